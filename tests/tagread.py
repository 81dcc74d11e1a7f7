"""Read a tagged PDF the way a screen reader does: the structure tree, and its text in order.

pikepdf walks the structure tree; pypdf extracts the text of each marked-content sequence
(MCID) from the page's content stream. Nothing here comes from kreport's own recorder.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pypdf import PdfReader


@dataclass
class Elem:
    """A structure element: its type, attributes and kids (elements, and text for MCIDs)."""

    role: str
    alt: str | None = None
    actual: str | None = None  # /ActualText: what the element's content says
    attrs: dict[str, str] = field(default_factory=dict)
    kids: list[Elem | str] = field(default_factory=list)
    page: bool = False  # /Pg names the page

    def walk(self) -> Iterator[Elem]:
        yield self
        for k in self.kids:
            if isinstance(k, Elem):
                yield from k.walk()

    def elements(self, role: str) -> list[Elem]:
        return [e for e in self.walk() if e.role == role]

    @property
    def text(self) -> str:
        """Everything the element says, alternative or actual text in place of its content."""
        if self.alt is not None or self.actual is not None:
            return self.alt if self.alt is not None else str(self.actual)
        return " ".join(k if isinstance(k, str) else k.text for k in self.kids).strip()

    def children(self, role: str | None = None) -> list[Elem]:
        return [k for k in self.kids if isinstance(k, Elem) and role in (None, k.role)]


def mcid_texts(data: bytes) -> dict[int | None, str]:
    """The text inside each marked-content sequence of page 1 (None: outside any MCID)."""
    stack: list[int | None] = []
    texts: dict[int | None, list[str]] = {}

    def before(op: bytes, args: list[Any], *_: Any) -> None:
        if op == b"BDC":
            props = args[1]
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC":
            stack.pop()

    def text(t: str, *_: Any) -> None:
        texts.setdefault(stack[-1] if stack else None, []).append(t)

    PdfReader(io.BytesIO(data)).pages[0].extract_text(
        visitor_operand_before=before, visitor_text=text
    )
    return {k: " ".join("".join(v).split()) for k, v in texts.items()}


def structure(data: bytes) -> Elem:
    """The structure tree of ``data``, with each MCID replaced by its text."""
    texts = mcid_texts(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        top = Elem("StructTreeRoot")
        kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
        top.kids = [_elem(k, texts) for k in kids]
        return top


def _elem(node: Any, texts: dict[int | None, str]) -> Elem:
    alt = str(node.Alt) if "/Alt" in node else None
    actual = str(node.ActualText) if "/ActualText" in node else None
    attrs = {}
    if "/A" in node:
        attrs = {str(k)[1:]: str(v).lstrip("/") for k, v in node.A.items()}
    e = Elem(str(node.S)[1:], alt, actual, attrs, page="/Pg" in node)
    kids = node.get("/K", [])  # an empty table cell has none
    for k in kids if isinstance(kids, pikepdf.Array | list) else [kids]:
        e.kids.append(texts.get(int(k), "") if isinstance(k, int) else _elem(k, texts))
    return e


def reading_order(data: bytes) -> list[tuple[str, str]]:
    """(type, text) of each element that holds content, in reading order; a Figure is read as
    its alternative text, an element with /ActualText as that text."""
    out: list[tuple[str, str]] = []

    def visit(e: Elem) -> None:
        if e.alt is not None or e.actual is not None:
            out.append((e.role, e.text))
            return
        for k in e.kids:
            if isinstance(k, Elem):
                visit(k)
            elif k.strip():
                out.append((e.role, k.strip()))

    visit(structure(data))
    return out
