"""Turn the structure a ``Tagger`` recorded into PDF objects: elements, StructTreeRoot,
ParentTree.

Elements whose subtree owns no marked content are left out (an empty table cell excepted). Each
element with MCIDs names the page (/Pg): readers look for it there, not on an ancestor.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFString

from .pack import Written, reserve
from .tags import Node, Tagger

_ROLES: dict[str, bytes] = {}
"""A role -> its bytes after ``/S/`` (a page has a hundred elements of a dozen roles)."""


def write_tree(doc: Any, tagger: Tagger, page: Any) -> Any:
    """Add ``tagger``'s structure tree to reportlab document ``doc`` for its one ``page``;
    returns the reference to the StructTreeRoot, for the catalogue.

    The elements are written as bytes in one walk of the tree and handed to ``pack`` as one
    block of consecutive objects (``reserve``), not as reportlab dictionaries nor one registered
    object each: a page has a hundred of them, and reportlab's generic formatting would cost a
    tenth of the build. They are numbered in reading order, the StructTreeRoot after them."""
    numbers = doc.idToObjectNumberAndVersion
    page_ref = b"/Pg %d 0 R" % numbers[doc.Reference(page).name][0]
    w = _Writer(doc, doc.objectcounter + 1, len(tagger.parents), page_ref)
    top = w.walk(tagger.root, 0)
    if not top:
        raise ValueError("the page's structure tree owns no content")
    first, objs, owners = w.first, w.objs, w.owners
    if reserve(doc, objs) != first:
        raise RuntimeError("the structure elements were not numbered as written")
    parents = b" ".join(b"%d 0 R" % n for n in owners)
    root = Written(
        b"<</Type/StructTreeRoot/K %d 0 R/ParentTree<</Nums[0[%s]]>>/ParentTreeNextKey 1>>"
        % (top, parents)
    )
    ref = doc.Reference(root)
    if numbers[ref.name][0] != first + len(objs):
        raise RuntimeError("the StructTreeRoot was not numbered as its elements name it")
    return ref


class _Writer:
    """One tree's writing: its elements' bytes in number order, and each MCID's element.
    (A class, not a closure: a function that calls itself through its closure is a cycle,
    which would leave the document it refers to for the cycle collector.)"""

    __slots__ = ("doc", "first", "objs", "owners", "page_ref")

    def __init__(self, doc: Any, first: int, mcids: int, page_ref: bytes) -> None:
        self.doc = doc
        self.first = first  # the number the next registered object gets
        self.objs: list[bytes] = []  # element number - first -> its bytes
        self.owners = [0] * mcids  # MCID -> the number of its element
        self.page_ref = page_ref

    def walk(self, node: Node, up: int) -> int:
        """Write ``node`` and what is kept below it: its number, or 0 if it owns nothing (its
        number is then given back; up 0 stands for the StructTreeRoot, numbered last)."""
        objs = self.objs
        num = self.first + len(objs)
        objs.append(b"")
        kids: list[bytes] = []
        mcids = False
        for k in node.kids:
            if isinstance(k, int):
                kids.append(b"%d" % k)
                self.owners[k] = num
                mcids = True
            else:
                below = self.walk(k, num)
                if below:
                    kids.append(b"%d 0 R" % below)
        if not kids and not node.empty:
            del objs[-1]  # nothing kept below, so this is still the last
            return 0
        role = _ROLES.get(node.role)
        if role is None:
            role = _ROLES[node.role] = node.role.encode()
        up = up or self.first + len(objs)
        if kids:  # the page is named by the element with the MCIDs: readers look for it there
            page = self.page_ref if mcids else b""
            data = b"<</S/%s/P %d 0 R/K[%s]%s" % (role, up, b" ".join(kids), page)
        else:
            data = b"<</S/%s/P %d 0 R" % (role, up)
        if node.alt or node.actual or node.attrs:
            data += self._more(node)
        objs[num - self.first] = data + b">>"
        return num

    def _more(self, node: Node) -> bytes:
        """What few elements say besides: /Alt, /ActualText, Table attributes."""
        parts = []
        if node.alt:
            parts += [b"/Alt", PDFString(node.alt).format(self.doc)]
        if node.actual:
            parts += [b"/ActualText", PDFString(node.actual).format(self.doc)]
        if node.attrs:
            attrs = b"".join(b"/%s/%s" % (k.encode(), v.encode()) for k, v in node.attrs)
            parts.append(b"/A<</O/Table" + attrs + b">>")
        return b"".join(parts)


__all__ = ["write_tree"]
