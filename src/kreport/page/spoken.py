"""What the page says to a reader who cannot see it: marks and charts turned into words.

A change is printed as an arrow shape and a bare figure ("▼ 12.5%"): ``change`` says it with
its direction ("down 12.5%"), for the element's /ActualText. A chart is a picture: ``chart``
writes its alternative text from the rows it draws ("Year-on-year change: Telecom fraud
reports down 12.5%; Telecom fraud cases solved up 171%").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Breakdown, Briefing, Change, ChangeKind, Language, Metric, Trend, is_chinese
from . import numbers
from .barchart import Row
from .figures import change_words, small_base
from .words import words


def change(m: Metric, currency: str, language: Language) -> str:
    """``m``'s change said aloud: "down 12.5%", "上升171%"; as printed when the printed words
    carry the direction already ("50 more", "new", "no change")."""
    assert m.change is not None
    if small_base(m):
        return change_words(m, currency, language)
    return change_of(m.change, language)


def change_of(c: Change, language: Language) -> str:
    """A change said aloud, from its figures alone: "down 12.5%", "new", "no change"."""
    if c.kind is ChangeKind.NEW or c.direction == "flat":
        return numbers.change_words(c, language)
    amount = numbers.change_signed(c, language).lstrip("+" + numbers.MINUS)
    w = words(language)
    return (w.spoken_rise if c.direction == "up" else w.spoken_fall).format(amount=amount)


def chart(title: str, parts: Sequence[tuple[str, str]], language: Language) -> str:
    """A chart's alternative text: ``title: label value; label value``."""
    colon, sep = ("：", "；") if is_chinese(language) else (": ", "; ")
    return title + colon + sep.join(f"{label} {value}".strip() for label, value in parts)


def change_chart(b: Briefing, title: str, metrics: Sequence[Metric]) -> str:
    """A change chart: each metric and its change, the direction in words."""
    parts = [(m.label, change(m, b.currency, b.language)) for m in metrics]
    return chart(title, parts, b.language)


def types_chart(b: Briefing, title: str, rows: Sequence[Row], last: str | None) -> str:
    """The fraud-type chart: each row's figure and share, and ``last`` year's when drawn."""
    parts = []
    for r in rows:
        value = r.text.replace(" · ", ", ")
        if last and r.previous is None:  # the † of the page, said in words
            w = words(b.language)
            missing = (
                w.no_previous_previous
                if b.comparison == "previous_period"
                else w.no_previous_last_year
            )
            value = value.replace(" †", "") + (
                f"（{missing}）" if is_chinese(b.language) else f" ({missing})"
            )
        if last and r.previous is not None:
            prev = (
                numbers.number(r.previous, b.language)
                if b.breakdown is Breakdown.CASES
                else numbers.money(r.previous, b.currency, b.language)
            )
            value += f"（{last}{prev}）" if is_chinese(b.language) else f" ({last} {prev})"
        parts.append((" ".join(r.label), value))
    return chart(title, parts, b.language)


def rows_chart(title: str, rows: Sequence[Row], labels: Sequence[Row], language: Language) -> str:
    """A bar chart as drawn: each row's label (from ``labels``: a chart beside another may
    leave its own blank) and the text at its bar's end."""
    parts = [(" ".join(n.label), r.text) for r, n in zip(rows, labels, strict=True)]
    return chart(title, parts, language)


def trend_chart(b: Briefing, title: str, trend: Trend, earlier: str) -> str:
    """The monthly chart: each month's figure, and a year earlier's where there is one."""
    from .trend import month_label

    def shown(v: float) -> str:
        money = trend.money
        return numbers.money(v, b.currency, b.language) if money else numbers.number(v, b.language)

    parts = []
    for pt in trend.points:
        value = shown(pt.value)
        if pt.previous is not None:
            prev = shown(pt.previous)
            value += f"（{earlier}{prev}）" if is_chinese(b.language) else f" ({earlier} {prev})"
        parts.append((month_label(pt.month.year, pt.month.month, b.language), value))
    return chart(title, parts, b.language)


__all__ = [
    "change",
    "change_chart",
    "change_of",
    "chart",
    "rows_chart",
    "trend_chart",
    "types_chart",
]
