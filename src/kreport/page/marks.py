"""Vector marks drawn on the reportlab canvas: change arrows, tone swatches and the colour key.

The arrows are shapes, not font glyphs: a glyph's size and weight depend on the face (the
Chinese face draws ▲ at half size), a shape is the same in every edition. Each mark is painted
with a ``Tone`` from ``palette.py``, so the table, the tiles, the key and the charts agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Literal

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from . import drawtext
from .palette import INK, Tone
from .tags import Tagged

Direction = Literal["up", "down", "flat"]

HATCH_STEP = 2.6  # points between the white stripes of a hatched tone
HATCH_WIDTH = 0.9
EDGE_WIDTH = 0.6


@functools.lru_cache(maxsize=256)
def hex_colour(hex_code: str) -> colors.Color:
    """``colors.HexColor(hex_code)``, made once: a page sets a few colours many times (reportlab
    never changes a colour object it is given)."""
    return colors.HexColor(hex_code)


def arrow_width(size: float) -> float:
    """Width taken by an arrow set beside text of ``size`` points, with the space after it."""
    return size * 0.78 + size * 0.35


def draw_arrow(c: Canvas, x: float, y: float, size: float, d: Direction, tone: Tone) -> None:
    """An arrow for text of ``size`` points, its left edge at ``x``, sitting on baseline ``y``."""
    w, h = size * 0.78, size * 0.68
    p = c.beginPath()
    if d == "up":
        p.moveTo(x, y)
        p.lineTo(x + w, y)
        p.lineTo(x + w / 2, y + h)
    elif d == "down":
        p.moveTo(x, y + h)
        p.lineTo(x + w, y + h)
        p.lineTo(x + w / 2, y)
    else:  # flat: a short bar at mid height
        p.rect(x, y + h * 0.35, w, h * 0.3)
    p.close()
    paint(c, p, tone, (x, y, x + w, y + h))


def paint(c: Canvas, path: object, tone: Tone, bounds: tuple[float, float, float, float]) -> None:
    """Fill ``path`` (inside ``bounds``: x0, y0, x1, y1) in ``tone``: fill, stripes, outline."""
    c.saveState()
    c.setFillColor(hex_colour(tone.fill))
    c.drawPath(path, stroke=0, fill=1)
    if tone.hatch:
        c.clipPath(path, stroke=0, fill=0)
        x0, y0, x1, y1 = bounds
        c.setStrokeColor(colors.white)
        c.setLineWidth(HATCH_WIDTH)
        start = x0 - (y1 - y0)
        n = int((x1 - start) / HATCH_STEP) + 2
        for i in range(n):
            sx = start + i * HATCH_STEP
            c.line(sx, y0, sx + (y1 - y0), y1)
    c.restoreState()
    if tone.edge:
        c.saveState()
        c.setStrokeColor(hex_colour(tone.edge))
        c.setLineWidth(EDGE_WIDTH)
        c.setLineJoin(1)
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


FIT_SLACK = 0.01  # points: a column measured for its text gets back exactly that width


@functools.cache
def _token() -> re.Pattern[str]:
    """What a change's words may break at (a wide character is a word): compiled when first
    needed, as few pages cut a change's words and its class of 53,000 characters costs Python's
    re compiler ~2.5 ms."""
    return re.compile(r"[\u2e80-\uffef]|[^\s\u2e80-\uffef]+\s*|\s+")


def _tokens(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` cut where a line may break; a word wider than ``width`` into its characters."""
    out: list[str] = []
    for token in _token().findall(text):
        if stringWidth(token.rstrip(), font, size) > width:
            out += list(token)
        else:
            out.append(token)
    return out


def _rstrip(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A line's runs without the spaces at its end (they would push right-aligned text)."""
    runs = list(runs)
    while runs and not runs[-1][0].rstrip():
        runs.pop()
    if runs:
        runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
    return runs


class ChangeText(Tagged, Flowable):  # type: ignore[misc]
    """An arrow shape, then the change in words set in the edition's ``pattern``: the words in
    ink, the rest muted ("▲ 46.8% on last year", "▲ 上升46.8% 同比").

    Laid out on one line when it fits (and ``two_lines`` is not set), else on two: what follows
    the change goes to the second line, or what precedes it stays on the first ("較去年同期" /
    "▲ 增加10.5%"). ``align`` is ``"left"`` or ``"right"`` within the width it is given.
    """

    two_lines = False
    """Set on the changes of a row of tiles when one of them needs two lines: alike, they read
    as a row (one on two lines beside one on one reads as a different kind of figure)."""

    def __init__(
        self,
        direction: Direction | None,
        tone: Tone,
        words: str,
        font: str,
        size: float,
        *,
        pattern: str = "{change}",
        muted: str = INK,
        align: str = "left",
        leading: float = 1.3,
    ) -> None:
        super().__init__()
        self.direction = direction
        self.tone = tone
        self.words = words
        self.font = font
        self.size = size
        before, _, after = pattern.partition("{change}")
        self.before, self.after = before, after
        self.muted = muted
        self.align = align
        self.lead = size * leading
        self._lines: list[list[tuple[str, str]]] = []  # runs of (text, colour)
        self._arrow_line = 0

    def _width(self, runs: list[tuple[str, str]]) -> float:
        return sum(float(stringWidth(t, self.font, self.size)) for t, _ in runs)

    @property
    def mark_width(self) -> float:
        return arrow_width(self.size) if self.direction else 0.0

    @property
    def head_width(self) -> float:
        """The width of the arrow and the change, without what the pattern adds after it."""
        return self.mark_width + self._width([(self.before, ""), (self.words, "")])

    def fits_one_line(self, width: float) -> bool:
        """Whether the arrow, the change and its pattern's words fit on one line of ``width``."""
        whole = [(self.before, ""), (self.words, ""), (self.after, "")]
        return self.mark_width + self._width(whole) <= width + FIT_SLACK

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        head = [(self.before, self.muted), (self.words, INK)]
        tail = [(self.after, self.muted)]
        self._arrow_line = 0
        if not self.two_lines and self.fits_one_line(available_width):
            lines = [head + tail]
        elif self.after.strip():
            lines = [head, [(self.after.strip(), self.muted)]]
        elif self.before.strip():
            lines = [[(self.before.strip(), self.muted)], [(self.words, INK)]]
            self._arrow_line = 1
        else:
            lines = [head]
        # a line still too wide (a huge figure in a narrow column) breaks between words, or
        # between characters, rather than spill over its neighbours
        self._lines = []
        for i, runs in enumerate(lines):
            indent = self.mark_width if i == self._arrow_line else 0.0
            folded = self._fold(runs, available_width, indent)
            if i < self._arrow_line:
                self._arrow_line += len(folded) - 1
            self._lines += folded
        self.width = available_width
        self.height = self.lead * len(self._lines)
        return self.width, self.height

    def _fold(
        self, runs: list[tuple[str, str]], width: float, indent: float
    ) -> list[list[tuple[str, str]]]:
        if indent + self._width(runs) <= width + FIT_SLACK:
            return [runs]
        lines: list[list[tuple[str, str]]] = []
        line: list[tuple[str, str]] = []
        used = indent
        for text, colour in runs:
            for token in _tokens(text, self.font, self.size, width):
                w = float(stringWidth(token.rstrip(), self.font, self.size))
                if line and used + w > width + FIT_SLACK:
                    lines.append(line)
                    line, used = [], 0.0
                    token = token.lstrip()
                if token:
                    line.append((token, colour))
                    used += float(stringWidth(token, self.font, self.size))
        lines.append(line)
        return [_rstrip(x) for x in lines]

    def draw(self) -> None:
        c = self.canv
        for i, runs in enumerate(self._lines):
            # the baseline where reportlab's Paragraph puts its own (one font size below the
            # top of the line), so a change sits on one line with the figures beside it
            y = self.height - self.lead * i - self.size
            mark = self.mark_width if i == self._arrow_line else 0.0
            total = mark + self._width(runs)
            x = self.width - total if self.align == "right" else 0.0
            if mark and self.direction:
                draw_arrow(c, x, y, self.size, self.direction, self.tone)
            x += mark
            c.setFont(self.font, self.size)
            for run, colour in runs:
                c.setFillColor(hex_colour(colour))
                drawtext.draw_string(c, x, y, run)
                x += float(stringWidth(run, self.font, self.size))


class Key(Tagged, Flowable):  # type: ignore[misc]
    """What the colours mean, a swatch of each tone and its word, then plain notes ("— not
    published"), flowing on as many lines as they need."""

    def __init__(
        self,
        items: Sequence[tuple[Tone, str]],
        notes: Sequence[str],
        font: str,
        size: float,
        colour: str,
    ) -> None:
        super().__init__()
        self.items: list[tuple[Tone | None, str]] = [*items, *((None, n) for n in notes)]
        self.font = font
        self.size = size
        self.colour = colour
        self._rows: list[list[tuple[Tone | None, str, float]]] = []

    def _item_width(self, tone: Tone | None, label: str) -> float:
        swatch = self.size * 2.0 if tone else 0.0
        return swatch + float(stringWidth(label, self.font, self.size))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        gap = self.size * 1.6
        rows: list[list[tuple[Tone | None, str, float]]] = [[]]
        x = 0.0
        for tone, label in self.items:
            w = self._item_width(tone, label)
            if rows[-1] and x + w > available_width:
                rows.append([])
                x = 0.0
            rows[-1].append((tone, label, x))
            x += w + gap
        self._rows = rows
        self.width = available_width
        self.height = len(rows) * self.size * 1.35
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        lead = self.size * 1.35
        for r, row in enumerate(self._rows):
            y = self.height - lead * (r + 1) + (lead - self.size) / 2 + self.size * 0.2
            for tone, label, x in row:
                if tone is not None:
                    w, h = self.size * 1.6, self.size * 0.75
                    p = c.beginPath()
                    p.rect(x, y, w, h)
                    paint(c, p, tone, (x, y, x + w, y + h))
                    x += self.size * 2.0
                c.setFont(self.font, self.size)
                c.setFillColor(hex_colour(self.colour))
                drawtext.draw_string(c, x, y, label)


_NUMBER = re.compile(r"([0-9][0-9.,]*%?)")
UNIT_FACTOR = 0.62  # a tile's unit and currency words, relative to its digits


class TileFigure(Tagged, Flowable):  # type: ignore[misc]
    """A key figure on one line: its digits large, its unit and currency words smaller
    ("SGD 651.8 million"), an arrow shape first when the figure is a change."""

    def __init__(
        self,
        figure: str,
        font: str,
        size: float,
        colour: str,
        *,
        arrow: tuple[Direction, Tone] | None = None,
        stroke: float = 0.0,
    ) -> None:
        super().__init__()
        self.parts = [p for p in _NUMBER.split(figure) if p]
        self.font = font
        self.size = size
        self.colour = colour
        self.arrow = arrow
        self.stroke = stroke  # as a fraction of the size, for a face without a bold

    def _size_of(self, part: str, size: float) -> float:
        numeric = any(_NUMBER.fullmatch(p) for p in self.parts)
        return size if _NUMBER.fullmatch(part) or not numeric else size * UNIT_FACTOR

    def width_at(self, size: float) -> float:
        mark = arrow_width(size * UNIT_FACTOR * 1.3) if self.arrow else 0.0
        return mark + sum(
            float(stringWidth(p, self.font, self._size_of(p, size))) for p in self.parts
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.size * 1.15
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.size * 0.22
        x = 0.0
        if self.arrow:
            mark = self.size * UNIT_FACTOR * 1.3
            draw_arrow(c, x, y, mark, self.arrow[0], self.arrow[1])
            x += arrow_width(mark)
        c.saveState()
        c.setFillColor(hex_colour(self.colour))
        if self.stroke:
            c.setStrokeColor(hex_colour(self.colour))
        for part in self.parts:
            size = self._size_of(part, self.size)
            c.setFont(self.font, size)
            if self.stroke:
                c.setLineWidth(size * self.stroke)
                c.drawString(x, y, part, mode=2)
            else:
                drawtext.draw_string(c, x, y, part)
            x += float(stringWidth(part, self.font, size))
        c.restoreState()
