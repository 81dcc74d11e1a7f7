"""What the page says to a reader who cannot see it: marks and charts turned into words.

A change is printed as an arrow shape and a bare figure ("▼ 12.5%"): ``change`` says it with
its direction ("down 12.5%"), for the element's /ActualText. A chart is a picture: ``chart``
writes its alternative text from the rows it draws ("Year-on-year change: Telecom fraud
reports down 12.5%; Telecom fraud cases solved up 171%").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Breakdown, Briefing, ChangeKind, Language, Metric, is_chinese
from . import numbers
from .charts import Row
from .figures import change_words, small_base
from .words import words


def change(m: Metric, currency: str, language: Language) -> str:
    """``m``'s change said aloud: "down 12.5%", "上升171%"; as printed when the printed words
    carry the direction already ("50 more", "new", "no change")."""
    c = m.change
    assert c is not None
    if small_base(m) or c.kind is ChangeKind.NEW or c.direction == "flat":
        return change_words(m, currency, language)
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
        if last and r.previous is not None:
            prev = (
                numbers.number(r.previous, b.language)
                if b.breakdown is Breakdown.CASES
                else numbers.money(r.previous, b.currency, b.language)
            )
            value += f"（{last}{prev}）" if is_chinese(b.language) else f" ({last} {prev})"
        parts.append((" ".join(r.label), value))
    return chart(title, parts, b.language)


__all__ = ["change", "change_chart", "chart", "types_chart"]
