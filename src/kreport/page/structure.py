"""Turn the structure a ``Tagger`` recorded into PDF objects: elements, StructTreeRoot,
ParentTree.

Elements whose subtree owns no marked content are left out (an empty table cell excepted). Each
element with MCIDs names the page (/Pg): readers look for it there, not on an ancestor.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject

from .tags import Node, Tagger


def write_tree(doc: Any, tagger: Tagger, page: Any) -> Any:
    """Add ``tagger``'s structure tree to reportlab document ``doc`` for its one ``page``;
    returns the reference to the StructTreeRoot, for the catalogue.

    The elements are written as bytes (``_Written``), not as reportlab dictionaries: a page has
    a hundred of them, and reportlab's generic formatting would cost a tenth of the build."""
    from reportlab.pdfbase.pdfdoc import PDFString

    kept = {id(n): n for n in _with_content(tagger.root)}
    objs = {key: _Written() for key in kept}
    names = {key: doc.Reference(o).name for key, o in objs.items()}
    root = _Written()
    root_name = doc.Reference(root).name
    page_name = doc.Reference(page).name
    for key, n in kept.items():
        parent = names[id(n.parent)] if n.parent is not None else root_name
        parts: list[bytes | str] = [b"<</S/" + n.role.encode() + b"/P ", parent]
        kids: list[bytes | str] = []
        for k in n.kids:
            if isinstance(k, int):
                kids.append(b"%d" % k)
            elif id(k) in kept:
                kids.append(names[id(k)])
        if kids:
            parts += [b"/K[", *_spaced(kids), b"]"]
        if any(isinstance(k, int) for k in n.kids):
            parts += [b"/Pg ", page_name]  # readers look for it on the element with the MCIDs
        if n.alt:
            parts += [b"/Alt", PDFString(n.alt).format(doc)]
        if n.actual:
            parts += [b"/ActualText", PDFString(n.actual).format(doc)]
        if n.attrs:
            attrs = b"".join(b"/%s/%s" % (k.encode(), v.encode()) for k, v in n.attrs)
            parts.append(b"/A<</O/Table" + attrs + b">>")
        objs[key].parts = [*parts, b">>"]
    parents: list[bytes | str] = [names[id(n)] for n in tagger.parents]
    root.parts = [
        b"<</Type/StructTreeRoot/K ",
        names[id(tagger.root)],
        b"/ParentTree<</Nums[0[",
        *_spaced(parents),
        b"]]>>/ParentTreeNextKey 1>>",
    ]
    return doc.Reference(root)


def _spaced(items: list[bytes | str]) -> list[bytes | str]:
    out: list[bytes | str] = []
    for i, item in enumerate(items):
        out += [b" ", item] if i else [item]
    return out


class _Written(PDFObject):  # type: ignore[misc]
    """An object given as bytes and the internal names of the objects it refers to."""

    def __init__(self) -> None:
        self.parts: list[bytes | str] = []

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        return b"".join(p if isinstance(p, bytes) else b"%d %d R" % numbers[p] for p in self.parts)


def _with_content(node: Node) -> list[Node]:
    """``node`` and its descendants that own some marked content (or are empty cells), in
    reading order."""
    below = [d for k in node.kids if isinstance(k, Node) for d in _with_content(k)]
    if below or node.empty or any(isinstance(k, int) for k in node.kids):
        return [node, *below]
    return []


def _kept(kid: Node | int, kept: dict[int, Node]) -> bool:
    return isinstance(kid, int) or id(kid) in kept


__all__ = ["write_tree"]
