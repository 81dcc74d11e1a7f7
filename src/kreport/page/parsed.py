"""Paragraph markup -> reportlab's parsed fragments, kept for more paragraphs of the same text
and style at any size (``Parsed``), and the parses every layout of the process shares."""

from __future__ import annotations

import re
import threading
from typing import Any, cast

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from . import breaks, checked


class Parsed:
    """Paragraph markup already parsed, for more paragraphs of the same text and style.

    Parsing (reportlab's ``ParaParser``, built on ``html.parser``) costs more than breaking the
    lines, and a layout sets the same texts several times, at several sizes, while it looks for
    the size that fills the page. A paragraph's fragments hold the text, font and colour of its
    style and its size; for markup of plain text, bold and line breaks only, the fragments at
    another size are the same with that size, so one parse serves every size.
    """

    _SIMPLE = re.compile(r"[^<]*(?:(?:<b>|</b>|<br/>)[^<]*)*")

    def __init__(self, limit: int = 0) -> None:
        self._frags: dict[tuple[Any, ...], tuple[str, float, list[ParaFrag]]] = {}
        self._limit = limit  # with a limit, the oldest parse goes first when it is reached
        self._lock = threading.Lock()
        # for each style (by ``_parse_part``), the fragment reportlab made of a plain text in it
        self._plain: dict[breaks.HashedOnce, ParaFrag] = {}

    def key(self, markup: str, style: ParagraphStyle) -> tuple[Any, ...] | None:
        if "<" in markup and not self._SIMPLE.fullmatch(markup):
            return None
        return (markup, _parse_part(style))

    def get(self, key: tuple[Any, ...], size: float) -> tuple[str, list[ParaFrag]] | None:
        found = self._frags.get(key)
        if found is None:
            return None
        text, parsed_size, frags = found
        if size == parsed_size:
            return text, [_clone(f) for f in frags]
        return text, [_clone(f, fontSize=size) for f in frags]

    def put(self, key: tuple[Any, ...], text: str, size: float, frags: list[ParaFrag]) -> None:
        # only fragments that all took the style's size (no <font size> crept in)
        if all(f.fontSize == size for f in frags):
            kept = (text, size, [_clone(f) for f in frags])
            plain = (
                len(frags) == 1
                and _is_plain(key[0])
                and frags[0].text == text
                and frags[0].__tag__ == "para"
            )
            # layouts in threads share one; readers take an entry or miss, never a torn one
            # (a dict's get is atomic), so only the writers, which evict, need the lock
            with self._lock:
                if self._limit and len(self._frags) >= self._limit:
                    del self._frags[next(iter(self._frags))]
                self._frags[key] = kept
                if plain:
                    # styles are few (the page's in two font sets): no bound needed but a guard
                    if len(self._plain) >= 256:
                        self._plain.clear()
                    self._plain[key[1]] = kept[2][0]

    def plain(
        self, key: tuple[Any, ...], style: ParagraphStyle
    ) -> tuple[str, list[ParaFrag]] | None:
        """What reportlab's parser makes of markup of plain text and line breaks only (a
        figure, a label, explicit lines), from what it made of a plain text in a style alike.

        The parser wraps the markup in ``<para>``; each run of text between tags (whitespace
        collapsed, no entity in it) reaches ``handle_data`` in one piece and becomes a copy of
        the style's fragment holding that text; each ``<br/>`` a copy marked as a line break,
        holding no text. An empty run makes nothing."""
        template = self._plain.get(key[1])
        markup = key[0]
        if template is None or "&" in markup or style.textTransform is not None:
            return None
        if not checked.SHORTCUTS:
            return None
        text = cleanBlockQuotedText(markup)
        runs = text.split("<br/>") if "<" in text else [text]
        if any("<" in run for run in runs):
            return None
        size = style.fontSize
        frags = []
        for i, run in enumerate(runs):
            if i:
                frags.append(_line_break(template, size))
            if run:
                frags.append(_clone(template, fontSize=size, text=run))
        return text, frags


def _is_plain(markup: str) -> bool:
    return "<" not in markup and "&" not in markup


def _line_break(template: ParaFrag, size: float) -> ParaFrag:
    """The fragment ``<br/>`` makes: the style's, marked as a line break, with no text (in
    the order the parser sets them)."""
    attrs = {k: v for k, v in template.__dict__.items() if k != "text"}
    attrs.update(fontSize=size, __tag__="br", lineBreak=True, text="")
    frag = ParaFrag.__new__(ParaFrag)
    frag.__dict__ = attrs
    return frag


def _clone(frag: ParaFrag, **changed: Any) -> ParaFrag:
    """``frag.clone(**changed)``: the same attributes, in the same order, in one step."""
    copy = ParaFrag.__new__(ParaFrag)
    attrs = frag.__dict__.copy()
    if changed:
        attrs.update(changed)
    copy.__dict__ = attrs
    return copy


_PARSE_PART = breaks.OWN + "parse_part"


def _parse_part(style: ParagraphStyle) -> breaks.HashedOnce:
    """What of ``style`` a parse's fragments hold besides its size (its name, font, colour and
    text transform), kept on the style and hashed once: a colour hashes in Python."""
    found = style.__dict__.get(_PARSE_PART)
    if found is None or found[0] != id(style):  # not one a parent style passed on
        part = (style.name, style.fontName, style.textColor, style.textTransform)
        found = (id(style), breaks.HashedOnce(part))
        style.__dict__[_PARSE_PART] = found
    return cast(breaks.HashedOnce, found[1])


SHARED = Parsed(limit=1024)
"""The parses every layout of this process shares: the page's fixed words (headings, column
heads, notes) and a batch's recurring labels are parsed once, not once per briefing. The key
names everything of a style that its fragments hold (styles come from ``make_styles`` alone,
whose fonts name their bold face), so a parse serves any layout; a few thousand kept parses
are a few megabytes at most, however long a batch runs."""
