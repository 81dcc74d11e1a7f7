"""Turn the structure a ``Tagger`` recorded into PDF objects: elements, StructTreeRoot,
ParentTree.

Elements whose subtree owns no marked content are left out (an empty table cell excepted). Each
element with MCIDs names the page (/Pg): readers look for it there, not on an ancestor.
"""

from __future__ import annotations

from typing import Any

from .pack import Written
from .tags import Node, Tagger


def write_tree(doc: Any, tagger: Tagger, page: Any) -> Any:
    """Add ``tagger``'s structure tree to reportlab document ``doc`` for its one ``page``;
    returns the reference to the StructTreeRoot, for the catalogue.

    The elements are written as bytes (``Written``), not as reportlab dictionaries: a page has
    a hundred of them, and reportlab's generic formatting would cost a tenth of the build. An
    object's number is fixed when it is registered, so each is written here, once."""
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
            parts += [b"/Pg ", page_ref]  # readers look for it on the element with the MCIDs
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
    """``node`` (a kid of ``parent``) and its descendants that own some marked content (or are
    empty cells), in reading order, each with its parent."""
    below = [d for k in node.kids if isinstance(k, Node) for d in _with_content(k, node)]
    if below or node.empty or any(isinstance(k, int) for k in node.kids):
        return [(node, parent), *below]
    return []


def _kept(kid: Node | int, refs: dict[int, bytes]) -> bool:
    return isinstance(kid, int) or id(kid) in refs


__all__ = ["write_tree"]
