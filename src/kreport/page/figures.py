"""Decide how a figure is shown: which changes are a count story, which a percentage.

Rules shared by the summary table, the tiles and the change chart, so that they agree:

- **Small base.** A change whose previous figure is known and below ``SMALL_BASE`` (20) is
  shown as its figures, "2 → 52", never as a percentage bar: +2,500% from 2 cases is a count
  story, and its bar would flatten every other bar to a hairline.
- **Dwarfing bars.** In a change chart, a bar more than ``DWARF_RATIO`` (20) times as long as
  the median of the other bars is cut: drawn ``CUT_LENGTH`` (1.6) times the longest uncut bar,
  with a visible break, and labelled with its true value.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ..model import Change, ChangeKind, Language, Metric
from . import numbers
from .words import words

SMALL_BASE = 20.0
DWARF_RATIO = 20.0
CUT_LENGTH = 1.6  # a cut bar is drawn this many times the longest uncut bar
ARROW = "\u2192"  # →


def small_base(m: Metric) -> bool:
    """Whether ``m``'s percentage change comes from a base too small for a percentage."""
    return (
        m.change is not None
        and m.change.kind is ChangeKind.PERCENT
        and m.previous is not None
        and m.value is not None
        and 0 < m.previous < SMALL_BASE
    )


def before_after(m: Metric, currency: str, language: Language) -> str:
    """``2 → 52``: the previous and current figures, the unit written once, at the end."""
    assert m.previous is not None and m.value is not None
    if m.money:
        before = numbers.money(m.previous, currency, language)
    else:
        before = numbers.number(m.previous, language)
    return f"{before} {ARROW} {numbers.value(m, m.value, currency, language)}"


def cut_rows(magnitudes: Sequence[float]) -> set[int]:
    """Indexes of the bars to cut: longer than ``DWARF_RATIO`` times the median of the others.

    The median, not the next longest: one genuinely small change (−1.3% beside +46.8%) must not
    get every other bar cut; one outlier (+2,500% beside +12%) must.
    """
    out = set()
    for i, v in enumerate(magnitudes):
        others = [m for j, m in enumerate(magnitudes) if j != i and m > 0]
        if others and v > DWARF_RATIO * statistics.median(others):
            out.add(i)
    return out


def change_words(m: Metric, currency: str, language: Language, decimals: int | None = None) -> str:
    """A metric's change in words, without the arrow: ``12.5%``, ``new``, ``50 more`` (from a
    small base, the difference in the metric's own unit), ``下降12.5%``, ``增加50起``."""
    assert m.change is not None
    if not small_base(m) or m.change.direction == "flat":
        return numbers.change_words(m.change, language, decimals)
    assert m.value is not None and m.previous is not None
    w = words(language)
    diff = numbers.value(m, abs(m.value - m.previous), currency, language)
    if m.value > m.previous:
        return w.more.format(n=diff)
    return (w.less if m.money else w.fewer).format(n=diff)


def signed_number(change: Change, language: Language, decimals: int | None = None) -> str:
    """The change's amount with its sign and no unit: ``+2.5``, ``−1.4``."""
    assert change.amount is not None
    sign = {"up": "+", "down": numbers.MINUS, "flat": ""}[change.direction]
    pattern = "#,##0.#" if change.derived else "#,##0.##"
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    loc = numbers.locale_of(language)
    return f"{sign}{numbers.decimal(abs(change.amount), pattern, loc)}"
