"""Tagging as it was written before its shortcuts, for tests to compare pages against.

``write_tree`` registers each structure element with reportlab as an object of its own and
writes it from the list of kept elements (``structure.py`` writes them in one walk, as one
block of numbers). The ``Tagger`` searched the loose drawing with a pattern over its operators
joined, and found each element by walking its groups from the root; a tagged flowable was
drawn between the Tagger's ``begin`` and ``end`` (now ``mark``, one call); a paragraph had
content if reportlab's ``getPlainText`` had more than white space (or it had a bullet); the
catalogue's /Metadata was a stream made afresh for every page. ``reference_tagging`` puts all
of it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from kreport.page import pdf
from kreport.page import pdfa as archive
from kreport.page.pack import Written
from kreport.page.styles import StyledParagraph
from kreport.page.tags import Node, Tag, Tagged, Tagger


def write_tree(doc: Any, tagger: Tagger, page: Any) -> Any:
    from reportlab.pdfbase.pdfdoc import PDFString

    numbers = doc.idToObjectNumberAndVersion

    def ref(obj: Any) -> bytes:
        return b"%d 0 R" % numbers[doc.Reference(obj).name][0]

    kept = _with_content(tagger.root, None)
    objs = [Written() for _ in kept]
    refs = {id(n): ref(o) for (n, _), o in zip(kept, objs, strict=True)}  # in reading order
    root = Written()
    root_ref, page_ref = ref(root), ref(page)
    for (n, up), obj in zip(kept, objs, strict=True):
        parent = refs[id(up)] if up is not None else root_ref
        parts = [b"<</S/", n.role.encode(), b"/P ", parent]
        kids = [b"%d" % k if isinstance(k, int) else refs[id(k)] for k in n.kids if _kept(k, refs)]
        if kids:
            parts += [b"/K[", b" ".join(kids), b"]"]
        if any(isinstance(k, int) for k in n.kids):
            parts += [b"/Pg ", page_ref]
        if n.alt:
            parts += [b"/Alt", PDFString(n.alt).format(doc)]
        if n.actual:
            parts += [b"/ActualText", PDFString(n.actual).format(doc)]
        if n.attrs:
            attrs = b"".join(b"/%s/%s" % (k.encode(), v.encode()) for k, v in n.attrs)
            parts.append(b"/A<</O/Table" + attrs + b">>")
        parts.append(b">>")
        obj.data = b"".join(parts)
    parents = b" ".join(refs[id(n)] for n in tagger.parents)
    root.data = (
        b"<</Type/StructTreeRoot/K "
        + refs[id(tagger.root)]
        + b"/ParentTree<</Nums[0["
        + parents
        + b"]]>>/ParentTreeNextKey 1>>"
    )
    return doc.Reference(root)


def _with_content(node: Node, parent: Node | None) -> list[tuple[Node, Node | None]]:
    below = [d for k in node.kids if isinstance(k, Node) for d in _with_content(k, node)]
    if below or node.empty or any(isinstance(k, int) for k in node.kids):
        return [(node, parent), *below]
    return []


def _kept(kid: Node | int, refs: dict[int, bytes]) -> bool:
    return isinstance(kid, int) or id(kid) in refs


_PAINTS = re.compile(r"(?:^|\s)(?:S|s|f\*?|F|B\*?|b\*?|Tj|TJ|'|\"|Do|sh)(?:\s|$)")


def cover_loose(self: Tagger, code: list[str]) -> None:
    if self._loose < len(code) and _PAINTS.search("\n".join(code[self._loose :])):
        code.insert(self._loose, "/Artifact BMC")
        code.append("EMC")
    self._loose = len(code)


def switch_after_text(self: Tagger, canv: Any, start: int, t: Tag) -> None:
    code: list[str] = canv._code
    at = next((i + 1 for i in range(start, len(code)) if code[i].startswith("BT")), None)
    if at is None:
        return
    node = self._element(t)
    self._open[-1] = (node, t)
    code[at:at] = ["EMC", self._bdc(node, t)]


def begin(self: Tagger, canv: Any, t: Tag) -> None:
    code: list[str] = canv._code
    if self._open:
        code.append("EMC")
    else:
        self._cover_loose(code)
    node = None if t.role == "Artifact" else self._element(t)
    self._open.append((node, t))
    code.append(self._bdc(node, t))


def element(self: Tagger, t: Tag) -> Node:
    parent = self.root
    for g in t.groups:
        parent = parent.child(g.role, g.key)
    node = parent.child(t.role, t.key)
    node.alt = node.alt or t.alt
    node.actual = node.actual or t.actual
    node.attrs = node.attrs or t.attrs
    return node


def has_content(self: StyledParagraph) -> bool:
    return bool(self.getPlainText().strip() or self.bulletText)


def metadata(doc: Any, stamp: float, lang: str, pdfa: bool) -> Any:
    return archive.metadata_stream(archive.xmp(doc.info, stamp, lang, pdfa))


def draw_tagged(self: Tagged, canv: Any, draw: Callable[[Any], object], quiet: int = 0) -> None:
    # what the caller knows of the code's last entries (``quiet``) is not taken: all searched
    tagger: Tagger | None = getattr(canv, "tagger", None)
    t = self.tag or self.default_tag()
    if tagger is None or t is None or not self.has_content():
        if tagger is not None and t is not None and t.role in ("TD", "TH"):
            tagger.empty(t)
        draw(canv)
        return
    if t.label and getattr(self, "bulletText", None):
        tagger.begin(canv, Tag("Lbl", t.groups))
        start = len(canv._code)
        draw(canv)
        tagger.switch_after_text(canv, start, t)
    else:
        tagger.begin(canv, t)
        draw(canv)
    tagger.end(canv)


@contextmanager
def reference_tagging() -> Iterator[None]:
    """The page tagged as before the shortcuts."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf, "write_tree", write_tree)
        mp.setattr(Tagger, "_cover_loose", cover_loose)
        mp.setattr(Tagger, "_element", element)
        mp.setattr(Tagger, "begin", begin)
        mp.setattr(Tagger, "switch_after_text", switch_after_text)
        mp.setattr(Tagged, "_draw_tagged", draw_tagged)
        mp.setattr(StyledParagraph, "has_content", has_content)
        mp.setattr(archive, "metadata", metadata)
        yield
