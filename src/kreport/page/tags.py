"""Tag the page while it is drawn: flowables' roles -> marked content and a structure tree.

Layout says what each flowable *means* (``tag``, ``data_table``, ``as_list``, ``figure``,
``artifact``); a paragraph without a tag is a ``P`` (an ``H1`` or ``H2`` when set in the title or
heading style). While the page is drawn, each tagged flowable wraps its drawing in a
marked-content sequence (``/P <</MCID 3>> BDC … EMC``) and the ``Tagger`` builds the structure
tree in drawing order, which on this page is reading order. Whatever is drawn outside any tagged
flowable (table rules and backgrounds, the marking box) becomes an ``/Artifact``.

Elements are found, not declared: a tag names its enclosing groups (a ``TR`` in a ``Table``, an
``LI`` in an ``L``) by role and key, and consecutive content with the same groups shares them.
So a new block needs no registration, only tags on its flowables.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from reportlab.platypus import Flowable, Table

ARTIFACT = "Artifact"
STYLE_ROLES = {"title": "H1", "heading": "H2"}
"""The role of an untagged paragraph set in one of these styles (others are ``P``)."""


@dataclass(frozen=True, slots=True)
class Group:
    """An enclosing element: found again (not repeated) while its key stays the same."""

    role: str
    key: Hashable


class Tag(NamedTuple):
    """What a flowable's drawing is: the element that owns it, inside ``groups``.

    Immutable, as a frozen dataclass would be, and made as a tuple is: a page's layout tags a
    hundred and fifty cells and list items, and a frozen dataclass sets each field through
    ``object.__setattr__`` (3.5x the time)."""

    role: str
    groups: tuple[Group, ...] = ()
    key: Hashable = None  # consecutive content with equal role and key is one element
    alt: str | None = None  # what a Figure shows, for a reader that cannot see it
    actual: str | None = None  # what drawn text with marks says: "down 12.5%" for "▼ 12.5%"
    attrs: tuple[tuple[str, str], ...] = ()  # Table-owned attributes such as Scope
    label: bool = False  # the paragraph's bullet text is a Lbl before this element
    artifact: str | None = None  # for role Artifact: its properties, e.g. "/Type /Layout"


def tag(flowable: Flowable, role: str, **kw: Any) -> Flowable:
    """``flowable``, tagged as ``role`` (a standard structure type or ``ARTIFACT``)."""
    flowable.tag = Tag(role, **kw)
    return flowable


def _place(
    f: Flowable,
    role: str,
    groups: tuple[Group, ...],
    key: Hashable,
    attrs: tuple[tuple[str, str], ...] = (),
    label: bool = False,
) -> None:
    """Tag ``f`` as ``role`` inside ``groups``, keeping what its own tag says it reads as."""
    own: Tag | None = getattr(f, "tag", None)
    f.tag = Tag(role, groups, key, None, own.actual if own else None, attrs, label)


def figure(flowable: Flowable, alt: str) -> Flowable:
    """``flowable`` as a Figure read as ``alt``: its drawing, text included, is one picture."""
    return tag(flowable, "Figure", alt=alt)


def artifact(flowable: Flowable, kind: str = "Pagination", subtype: str = "Footer") -> Flowable:
    """``flowable`` as page furniture that readers skip (a running footer, a credit line)."""
    return tag(flowable, ARTIFACT, artifact=f"/Type /{kind} /Subtype /{subtype}")


def data_table(table: Table, name: str, header_rows: int = 1, row_header: int | None = 0) -> Table:
    """Tag ``table``'s cells: a Table of TRs; header rows' cells are TH scoped to their column,
    the cell in column ``row_header`` of other rows a TH scoped to its row, the rest TD.

    Row headers are dropped from a table with fewer data cells than header cells (one metric,
    one column of figures): they would add nothing a reader needs, and checkers take such a
    table for one whose headers were shredded."""
    cells = table._cellvalues
    rows, cols = len(cells) - header_rows, len(cells[0]) if cells else 0
    if row_header is not None and header_rows * cols + rows > rows * (cols - 1):
        row_header = None
    attrs: tuple[tuple[str, str], ...]
    table_group = Group("Table", name)
    for r, row in enumerate(cells):
        groups = (table_group, Group("TR", r))  # every cell of the row: groups compare equal
        for c, cell in enumerate(row):
            if r < header_rows:
                role, attrs = "TH", (("Scope", "Column"),)
            elif c == row_header:
                role, attrs = "TH", (("Scope", "Row"),)
            else:
                role, attrs = "TD", ()
            for f in _cell_flowables(cell):
                _place(f, role, groups, (r, c), attrs=attrs)
    return table


def as_list(items: Iterable[Flowable], name: str) -> None:
    """Tag ``items`` (paragraphs with a bullet or number) as the LIs of one list."""
    for i, f in enumerate(items):
        _place(f, "LBody", (Group("L", name), Group("LI", i)), i, label=True)


def cells_as_list(table: Table, name: str) -> Table:
    """Tag each cell of ``table`` as one list item whose paragraphs are its body."""
    i = 0
    for row in table._cellvalues:
        for cell in row:
            groups = (Group("L", name), Group("LI", i), Group("LBody", i))
            for f in _cell_flowables(cell):
                _place(f, "P", groups, None)
            i += 1
    return table


def _cell_flowables(cell: Any) -> list[Flowable]:
    if isinstance(cell, list | tuple):
        return [f for f in cell if isinstance(f, Flowable)]
    return [cell] if isinstance(cell, Flowable) else []


_P = Tag("P")


class Tagged:
    """Mixin for a flowable that marks what it draws with its ``tag`` (or ``default_tag()``,
    a ``P``: text that layout did not tag is still read, never silently an artifact)."""

    tag: Tag | None = None

    def default_tag(self) -> Tag | None:
        return _P

    def has_content(self) -> bool:
        return True

    def _drawOn(self, canv: Any) -> None:
        self._draw_tagged(canv, super()._drawOn)  # type: ignore[misc]

    def _draw_tagged(self, canv: Any, draw: Callable[[Any], object], quiet: int = 0) -> None:
        """``draw(canv)`` inside the marked content of this flowable's tag; the last ``quiet``
        entries of the canvas's code (a ``q`` and a ``cm``, say) are known not to paint."""
        tagger: Tagger | None = getattr(canv, "tagger", None)
        t = self.tag or self.default_tag()
        if tagger is None or t is None or not self.has_content():
            if tagger is not None and t is not None and t.role in ("TD", "TH"):
                tagger.empty(t)  # an empty cell is still a cell: rows keep their width
            draw(canv)
            return
        if t.label and getattr(self, "bulletText", None):
            # reportlab draws a paragraph's bullet as its own text object, before the text
            tagger.begin(canv, Tag("Lbl", t.groups))
            start = len(canv._code)
            draw(canv)
            tagger.switch_after_text(canv, start, t)
            tagger.end(canv)
        else:
            tagger.mark(canv, t, draw, quiet)


class Node:
    """A structure element as recorded: its kids are elements and MCIDs in reading order.

    A node knows its kids, not its parent: a tree without back references is freed as soon
    as the page is written, not left to the cycle collector (which, every few pages, would
    walk every object the process holds)."""

    __slots__ = ("actual", "alt", "attrs", "empty", "key", "kids", "role")

    def __init__(self, role: str, key: Hashable = None) -> None:
        self.role = role
        self.key = key
        self.alt: str | None = None
        self.actual: str | None = None
        self.empty = False  # kept in the tree though it owns no content
        self.attrs: tuple[tuple[str, str], ...] = ()
        self.kids: list[Node | int] = []

    def child(self, role: str, key: Hashable) -> Node:
        kids = self.kids
        if key is not None and kids:
            last = kids[-1]
            # (last.role, last.key) == (role, key), as tuples compare: identity, then equality
            if (
                isinstance(last, Node)
                and (last.role is role or last.role == role)
                and (last.key is key or last.key == key)
            ):
                return last
        node = Node(role, key)
        kids.append(node)
        return node


# operators that paint: what an artifact must cover (state changes alone need no marking)
_PAINTS = frozenset(
    ["S", "s", "f", "f*", "F", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh"]
)
_QUIET = frozenset(("q", "Q"))  # most loose drawing: a paragraph's Q and the next one's q, cm


class Tagger:
    """Records the page's marked content and its structure tree while the canvas draws."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.parents: list[Node] = []  # MCID -> the element that owns it
        self._open: list[tuple[Node | None, Tag]] = []
        self._loose = 0  # where in the page's code untagged drawing began
        # the last element's groups, and the element they led to (see _element)
        self._groups: tuple[Group, ...] = ()
        self._parent = self.root

    def begin(self, canv: Any, t: Tag) -> None:
        code: list[str] = canv._code
        if self._open:  # a tagged flowable inside another: suspend the outer sequence
            code.append("EMC")
        else:
            loose = self._loose
            # as in mark: a lone quiet entry (the last paragraph's Q) needs no search
            if loose + 1 < len(code) or (loose < len(code) and code[loose] not in _QUIET):
                self._cover_loose(code)
            else:
                self._loose = len(code)
        node = None if t.role == ARTIFACT else self._element(t)
        self._open.append((node, t))
        code.append(self._bdc(node, t))

    def mark(self, canv: Any, t: Tag, draw: Callable[[Any], object], quiet: int = 0) -> None:
        """``begin(canv, t)``, ``draw(canv)``, ``end(canv)``, in one call: most tagged
        flowables are one element with nothing tagged inside, and a page has sixty of them.
        The last ``quiet`` entries of the code are known not to paint: they need no search."""
        code: list[str] = canv._code
        opened = self._open
        if opened:  # a tagged flowable inside another: suspend the outer sequence
            code.append("EMC")
        else:
            loose, end = self._loose, len(code) - quiet
            # most often the one loose entry is the last paragraph's Q: nothing to cover
            if loose < end and (loose + 1 < end or code[loose] not in _QUIET):
                self._cover_loose(code, end)
        node = None if t.role == ARTIFACT else self._element(t)
        code.append(self._bdc(node, t))
        opened.append((node, t))
        draw(canv)
        code = canv._code
        code.append("EMC")
        opened.pop()
        if opened:  # resume the outer sequence, with a new MCID for the same element
            code.append(self._bdc(*opened[-1]))
        else:
            self._loose = len(code)

    def end(self, canv: Any) -> None:
        code: list[str] = canv._code
        code.append("EMC")
        self._open.pop()
        if self._open:  # resume the outer sequence, with a new MCID for the same element
            code.append(self._bdc(*self._open[-1]))
        else:
            self._loose = len(code)

    def switch_after_text(self, canv: Any, start: int, t: Tag) -> None:
        """End the open sequence after the first text object drawn since ``start``; ``t``'s
        element owns the rest."""
        code: list[str] = canv._code
        at = start
        for op in code[start:]:  # (a loop: a generator's set-up costs more than the search)
            at += 1
            if op.startswith("BT"):
                break
        else:
            return
        node = self._element(t)
        self._open[-1] = (node, t)
        code[at:at] = ["EMC", self._bdc(node, t)]

    def empty(self, t: Tag) -> None:
        """Record ``t``'s element though nothing is drawn for it (an empty table cell)."""
        self._element(t).empty = True

    def finish(self, canv: Any) -> None:
        """Mark what was drawn after the last tagged flowable; call before the page is shown."""
        if self._open:
            raise RuntimeError("a marked-content sequence is still open at the end of the page")
        self._cover_loose(canv._code)

    def _cover_loose(self, code: list[str], end: int | None = None) -> None:
        # an entry of the code is one or more operators and their operands, whitespace apart:
        # it paints if one of its words is a painting operator (none after ``end`` does)
        for op in code[self._loose : end]:
            if op not in _QUIET and not _PAINTS.isdisjoint(op.split()):
                code.insert(self._loose, "/Artifact BMC")
                code.append("EMC")
                break
        self._loose = len(code)

    def _element(self, t: Tag) -> Node:
        groups = t.groups
        if groups is self._groups:
            # the very groups of the last element (the cells of a row, a label and its body):
            # only that element and its MCIDs were added since, below them, so walking the
            # groups again would find the same nodes (none has a key of None: see below)
            parent = self._parent
        else:
            parent = self.root
            keyed = True
            for g in groups:
                key = g.key
                parent = parent.child(g.role, key)
                if key is None:
                    keyed = False
            if keyed:  # a None key is a new node each time
                self._groups, self._parent = groups, parent
            else:
                self._groups, self._parent = (), self.root  # no groups: always the root
        node = parent.child(t.role, t.key)
        if not node.alt:  # node.alt = node.alt or t.alt, written only when it may change
            node.alt = t.alt
        if not node.actual:
            node.actual = t.actual
        if not node.attrs:
            node.attrs = t.attrs
        return node

    def _bdc(self, node: Node | None, t: Tag) -> str:
        if node is None:
            return f"/Artifact <<{t.artifact}>> BDC" if t.artifact else "/Artifact BMC"
        mcid = len(self.parents)
        self.parents.append(node)
        node.kids.append(mcid)
        return f"/{node.role} <</MCID {mcid}>> BDC"


__all__ = [
    "ARTIFACT",
    "STYLE_ROLES",
    "Group",
    "Node",
    "Tag",
    "Tagged",
    "Tagger",
    "artifact",
    "as_list",
    "cells_as_list",
    "data_table",
    "figure",
    "tag",
]
