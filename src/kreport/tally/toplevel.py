"""Turn the briefing TOML's keys and the period into a computed briefing's top-level keys: the
title (with the region's name in each language), the period's and baseline's names, and the
note that says which figures have no comparison.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from ..model import LANGUAGES, fallbacks, is_chinese, is_traditional, language_tag
from .spec import Period, TallySpec

DEFAULT_TITLE = {
    lang: ("詐騙情況簡報" if is_traditional(lang) else "诈骗情况简报")
    if is_chinese(lang)
    else "Fraud briefing"
    for lang in LANGUAGES
}


def top(spec: TallySpec, period: Period | None) -> dict[str, Any]:
    """The briefing's top-level keys: the TOML's own, defaults, and the period's names."""
    raw: dict[str, Any] = {k: v for k, v in spec.briefing.items() if k != "note"}
    if not spec.briefing:  # no briefing keys: the page prints the headers and file name as is
        raw["mixed_languages"] = True
    raw.setdefault("title", DEFAULT_TITLE)
    raw.setdefault("agency", Path(spec.source).stem)
    if period is not None and spec.other_period(period) and _is_date(raw.get("issued")):
        del raw["issued"]  # written for the TOML's own months, not for another --period
    if period is None:
        raw["period"] = raw["baseline"] = dict.fromkeys(LANGUAGES, "-")
    else:
        raw["period"], raw["baseline"] = period.labels(), period.baseline().labels()
    return raw


def _is_date(value: Any) -> bool:
    """A date the validator would take (anything else stays, for it to report)."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return bool(dt.date.fromisoformat(value))
    return isinstance(value, dt.date)


def with_region(title: Any, region: Any) -> Any:
    """The title with the region's label appended, in each language the title has."""

    def one(lang: str, text: Any) -> Any:
        name = _in(lang, region)
        if not isinstance(text, str):
            return text  # validation reports it
        chinese = is_chinese(language_tag(lang) or "en")
        return f"{text}（{name}）" if chinese else f"{text} — {name}"

    if isinstance(title, dict):
        return {lang: one(lang, t) for lang, t in title.items()}
    return {lang: one(lang, title) for lang in LANGUAGES}


def note(user: Any, labels: list[Any], baseline: Period) -> Any:
    if not labels:
        return user
    out = {}
    for lang in LANGUAGES:
        names = [_in(lang, x) for x in labels]
        if is_chinese(lang):
            missing = "無以下數據，未作比較" if is_traditional(lang) else "无以下数据，未作比较"
            computed = f"{baseline.label(lang)}{missing}：{'、'.join(names)}。"
        else:
            computed = f"No {baseline.label(lang)} figures for {', '.join(names)}: no change shown."
        mine = _in(lang, user) if user is not None else None
        out[lang] = f"{mine} {computed}" if mine else computed
    return out


def _in(lang: str, text: Any) -> str:
    """``text`` in ``lang``: its own entry, else its fallback's, else the first one given."""
    if isinstance(text, dict):
        tag = language_tag(lang)
        for want in (lang, *(fallbacks(tag) if tag else ())):
            if want in text:
                return str(text[want])
        return str(next(iter(text.values()), ""))
    return str(text)
