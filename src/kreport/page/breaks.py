"""Paragraph line breaks kept for the process: (markup, style, bullet, width) -> what wrapping
left on the paragraph.

A page is measured at several type scales, and every briefing of a batch sets the same fixed
words (headings, column heads, notes, the key's labels) in the same styles at the same widths;
reportlab breaks each paragraph's lines afresh every time, which is most of what measuring a
paragraph costs. A paragraph's lines depend on its fragments, which its markup and style
decide, on its bullet and on the width: that is the key, with every attribute of the style.
What ``Paragraph.wrap`` set on the first paragraph (its lines, size and, for markup with
several fragments, the fragments cut into words) is handed to the next one with the same key.

Kept state is shared, never changed: reportlab draws from a paragraph's lines without
altering them, and a paragraph whose state is shared gets fragments of its own before its
lines are broken at another width (``StyledParagraph.wrap``). The table is bounded, the least
recently used key leaving first: a long batch worker holds 1,024 entries at most (about
1.5 MB, reached within a hundred briefings; 4,096 let a worker's memory grow for some 500, for
no more hits), which keep about two thirds of a new briefing's line breaking. A key is kept
from its second sight on (its first only notes its hash): what one briefing alone sets would
churn the table, and every kept object lengthens the cycle collector's full collections (about
a ms a build more when every wrap was kept, about half of that now).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

from reportlab.lib.styles import ParagraphStyle

from .. import _kept

LIMIT = 1024
OWN = "_kreport_"  # what kreport keeps on a style, never part of its key
_KEY = OWN + "break_key"  # a style's key, kept on the style (styles are never changed)


Wrapped = tuple[tuple[float, float], dict[str, Any]]
"""What wrapping left on a paragraph: its size, and its attributes (lines, fragments)."""


class Breaks(_kept.Kept[Hashable, Wrapped]):
    """Kept wraps, least recently used first out beyond ``limit`` entries."""

    def __init__(self, limit: int = LIMIT) -> None:
        super().__init__(limit, seen=4 * limit)


SHARED = Breaks()


class HashedOnce:
    """A style's key, hashed once (a key is looked up a few hundred times)."""

    __slots__ = ("hash", "items")

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items
        self.hash = hash(items)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, HashedOnce) and self.items == other.items)


def style_key(style: ParagraphStyle) -> Hashable | None:
    """Every attribute of ``style``, hashable; None when one cannot be hashed."""
    found = style.__dict__.get(_KEY)
    if found is None or found[0] != id(style):  # not one a parent style passed on
        # in the order the style's attributes were set: always the same for styles made alike
        items = tuple(i for i in style.__dict__.items() if not i[0].startswith(OWN))
        try:
            found = (id(style), HashedOnce(items))
        except TypeError:
            return None
        style.__dict__[_KEY] = found
    return cast(Hashable, found[1])


def name_style(style: ParagraphStyle, made_from: tuple[Any, ...]) -> None:
    """Key ``style`` by what it was ``made_from`` rather than by its attributes, which the
    caller vouches decide every one of them (``styles.make_styles``, from its arguments): equal
    keys are styles alike, and naming one costs a small tuple, not some forty attributes. A
    style named so never has the key of one keyed by its attributes: at worst a miss."""
    style.__dict__[_KEY] = (id(style), HashedOnce(("made from", *made_from)))


def key(text: str, style: ParagraphStyle, bullet: Any, width: float) -> Hashable | None:
    """The key of a paragraph of ``text`` (markup, as reportlab keeps it) wrapped at ``width``,
    or None when it has no key (a bullet of fragments, an unhashable style, or no text: the
    pieces reportlab splits a paragraph into have none, and their lines are their own)."""
    if not isinstance(text, str) or not (bullet is None or isinstance(bullet, str)):
        return None
    found = style_key(style)
    return None if found is None else (text, found, bullet, width)


__all__ = [
    "LIMIT",
    "OWN",
    "SHARED",
    "Breaks",
    "HashedOnce",
    "Wrapped",
    "key",
    "name_style",
    "style_key",
]
