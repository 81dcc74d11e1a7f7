"""Break text into lines that fit a width, for Latin words and for CJK characters alike."""

from __future__ import annotations

import functools
import re

from reportlab.lib import rl_accel
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from . import checked

# Closing punctuation must not start a line; opening punctuation must not end one (kinsoku).
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’・…%％,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
_CLOSING = "".join(sorted(NO_LINE_START)) + " "  # what a widow's last line may end with
# CJK characters are told by comparing code points, not by a regular expression: compiling a
# class of forty thousand characters costs Python's re compiler ~2 ms a pattern on each start.
_CJK_FIRST = "\u2e80"  # no character below it is CJK
_RUN = re.compile(r"\s+|\S+")


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is a CJK character (ideographs, kana, hangul, CJK punctuation and
    full-width forms): U+2E80-9FFF, U+AC00-D7AF, U+F900-FAFF, U+FF00-FFEF."""
    return (
        "\u2e80" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7af"
        or "\uf900" <= char <= "\ufaff"
        or "\uff00" <= char <= "\uffef"
    )


class _Widths(dict[str, float]):
    """The width of each string asked, remembered: breaking a text tries the same line (and,
    balancing it, the same text at many widths) again and again."""

    def __init__(self, font: str, size: float) -> None:
        super().__init__()
        self.font, self.size = font, size

    def __missing__(self, s: str) -> float:
        w: float = stringWidth(s, self.font, self.size)
        self[s] = w
        return w


class _Sums(_Widths):
    """``_Widths`` of the growing lines of one text, each from the one before it.

    reportlab's accelerated TrueType ``stringWidth`` adds the characters' widths one by one,
    left to right, from 0.0, and returns ``(sum * 0.001) * size``: a line one token longer than
    the last line measured has the sum of that line plus its new characters' widths, added in
    the same order, so the same float to the last bit, without measuring the whole line again
    (which made breaking a long Chinese text quadratic). Any other string is measured by
    ``stringWidth``; its sum is added up only if a longer line then starts with it. Used only
    where the fonts are measured that way (``exact_sums``)."""

    def __init__(self, font: str, size: float) -> None:
        super().__init__(font, size)
        face = getFont(font).face
        self.char_widths, self.default = face.charWidths.get, face.defaultWidth
        self.last: str = ""
        self.last_sum: float | None = 0.0  # None: not added up yet

    def __missing__(self, s: str) -> float:
        last = self.last
        if last and s.startswith(last):
            total = self.last_sum
            get, default = self.char_widths, self.default
            if total is None:
                total = 0.0
                for char in last:
                    total += get(ord(char), default)
            for char in s[len(last) :]:
                total += get(ord(char), default)
            w = total * 0.001 * self.size
        else:
            w, total = stringWidth(s, self.font, self.size), None
        self.last, self.last_sum = s, total
        self[s] = w
        return w


@functools.lru_cache(maxsize=64)
def exact_sums(font: str) -> bool:
    """Whether ``font``'s widths are summed as ``_Sums`` sums them: a TrueType font measured by
    reportlab's accelerator (its pure-Python fallback multiplies in another order)."""
    f = getFont(font)
    return (
        checked.SHORTCUTS
        and isinstance(f, TTFont)
        and type(f).stringWidth is TTFont.stringWidth
        and "instanceStringWidthTTF" not in rl_accel._py_funcs
    )


def tokens(text: str) -> list[str]:
    """Words, spaces and single CJK characters, each a possible break point: a CJK character
    alone (also U+3000, the ideographic space, unless it follows another space), a word up to
    a space or a CJK character, and a run of spaces."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[str, ...]:
    # remembered: breaking a text cuts the same text and lines again and again (a Chinese page:
    # 52 texts, 365 times), and a batch's pages share their fixed words
    if max(text, default="") < _CJK_FIRST:  # most texts: words and spaces only
        return tuple(_RUN.findall(text))
    out: list[str] = []
    for run in _RUN.findall(text):
        if max(run) < _CJK_FIRST:
            out.append(run)
            continue
        spaces = run[0].isspace()  # a run is all spaces or has none
        start = 0
        for i, char in enumerate(run):
            if char >= _CJK_FIRST and _is_cjk(char) and (i == start or not spaces):
                if i > start:
                    out.append(run[start:i])
                out.append(char)
                start = i + 1
        if start < len(run):
            out.append(run[start:])
    return tuple(out)


def wrap(text: str, width: float, font: str, size: float, max_lines: int = 0) -> list[str]:
    """Lines of ``text`` no wider than ``width``; with ``max_lines``, the last ends in "…"."""
    widths = _Sums(font, size) if exact_sums(font) else _Widths(font, size)
    return _wrap(text, width, widths, max_lines)


def _wrap(
    text: str, width: float, widths: _Widths, max_lines: int = 0, stop_after: int = 0
) -> list[str]:
    """``wrap``'s lines; with ``stop_after``, only as many as show there are more than that
    (a balanced label asks only whether a narrower width still takes as many lines)."""
    whole = text.rstrip()
    if widths[whole] <= width:
        # One line: each candidate line below is a start of the text up to a non-space, so a
        # start of ``whole``, and a width sums the characters' (never negative) advances left
        # to right, so a start is never wider than the whole: every candidate would fit, and
        # the loop would end with the text as its one line (none if it is only spaces).
        return [whole] if whole else []
    lines: list[str] = []
    line = ""
    for tok in tokens(text):
        if stop_after and len(lines) > stop_after:
            return lines
        candidate = line + tok
        if widths[candidate.rstrip()] <= width:
            line = candidate  # it fits: no word in it to break by character
            continue
        if not line.strip():
            line = candidate
            while widths[line.rstrip()] > width and len(line) > 1:
                # a single word longer than the line: break it by character
                cut = _fit(line, width, widths)
                lines.append(line[:cut])
                line = line[cut:]
            continue
        k = _tail(line)
        if tok in NO_LINE_START and k < len(line):
            # pull the last character down with the punctuation rather than start a line with
            # it (with any punctuation that closes after it: "宗），" moves as one)
            lines.append(line[:-k].rstrip())
            line = line[-k:] + tok
            continue
        if line and line[-1] in NO_LINE_END:
            lines.append(line[:-1].rstrip())
            line = line[-1] + tok.lstrip()
            continue
        lines.append(line.rstrip())
        line = tok.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    lines = _no_widow(lines, width, widths)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _shorten(lines[-1], width, widths)
    return lines


def shorten(line: str, width: float, font: str, size: float) -> str:
    """``line`` ended with "…" within ``width``, cut at a word (or a CJK character), never
    inside a word; a single word too long for the line is the one exception, cut to fit."""
    return _shorten(line, width, _Widths(font, size))


def _shorten(line: str, width: float, widths: _Widths) -> str:
    toks = tokens(line + " ")  # the "…" says the text goes on
    while toks and (not toks[-1].strip() or widths["".join(toks).rstrip() + "…"] > width):
        toks.pop()
    if toks:
        return "".join(toks).rstrip(" ,;:，、；：") + "…"
    cut = _fit(line + "…", width, widths)
    return line[: max(cut - 1, 1)] + "…"


def wrap_balanced(text: str, width: float, font: str, size: float, max_lines: int = 0) -> list[str]:
    """Like ``wrap``, but as narrow as the same number of lines allows: no "件" left alone on a
    last line. For short labels; a text shortened to ``max_lines`` is returned as ``wrap`` has it.

    Kept for the process (the last 1,024): a label is balanced at each type size a layout
    tries, and a batch's districts share their labels; the lines depend only on the arguments
    (a font name stands for one registered face)."""
    return list(_balanced(text, width, font, size, max_lines))


@functools.lru_cache(maxsize=1024)
def _balanced(text: str, width: float, font: str, size: float, max_lines: int) -> tuple[str, ...]:
    return tuple(_balance(text, width, font, size, max_lines))


def _balance(text: str, width: float, font: str, size: float, max_lines: int) -> list[str]:
    # the same lines are tried at every width
    widths = _Sums(font, size) if exact_sums(font) else _Widths(font, size)
    lines = _wrap(text, width, widths)
    if len(lines) < 2 or (max_lines and len(lines) > max_lines):
        return _wrap(text, width, widths, max_lines)
    # never narrower than the longest word: a balanced label still breaks only between words
    longest = max(widths[t] for t in tokens(text) if t.strip())
    lo, hi = max(width / len(lines), longest), width
    for _ in range(8):
        mid = (lo + hi) / 2
        if len(_wrap(text, mid, widths, stop_after=len(lines))) == len(lines):
            hi = mid
        else:
            lo = mid
    return _wrap(text, hi, widths)


def _no_widow(lines: list[str], width: float, widths: _Widths) -> list[str]:
    """No last line of one CJK character and its punctuation: bring a character down with it.

    Chinese typesetting avoids such a line (a "widow"); the characters brought down keep the
    kinsoku rules (no closing punctuation first, no opening punctuation left at the line end).
    """
    if len(lines) < 2:
        return lines
    prev, last = lines[-2], lines[-1]
    core = last.rstrip(_CLOSING)
    if len(core) != 1 or not _is_cjk(core):
        return lines
    k = _tail(prev)
    moved, kept = prev[-k:].lstrip(), prev[:-k].rstrip()
    if not kept:
        return lines
    if widths[moved + last] > width:
        return lines
    return [*lines[:-2], kept, moved + last]


def _tail(line: str) -> int:
    """How many characters at the end of ``line`` may start the next line together: its last
    word or CJK character, with any closing punctuation after it and any opening one before it
    (whole words only, so "13.3%" never breaks)."""
    toks = tokens(line)
    n = 1
    while n < len(toks) and (toks[-n][0] in NO_LINE_START or toks[-n - 1][-1] in NO_LINE_END):
        n += 1
    return len("".join(toks[-n:]))


def _fit(text: str, width: float, widths: _Widths) -> int:
    cut = len(text)
    while cut > 1 and widths[text[:cut]] > width:
        cut -= 1
    return cut
