"""The fixed words printed on the page: gettext catalogues (``kreport/locale``) -> ``Words``.

The English words are the message ids, the defaults of ``Words``; each other edition has a catalogue
``locale/<Babel locale>/LC_MESSAGES/kreport.po``, compiled by Babel into the ``.mo`` beside it
(``python tools/catalogues.py``; a test fails when a ``.mo`` is stale, when a catalogue lacks a
message used here or keeps one no longer used). The ``.mo`` files are read with the standard
library's ``gettext``: nothing to compile at run time, no import beyond ``gettext``.

Every message has a context (``pgettext``), the name of the field it fills, so that one English
word may have two translations ("Change" is 同比 and 环比). Patterns keep their ``{names}`` so
that each language puts the words in its own order ("{change} on last year", 同比{change}).
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass, fields
from pathlib import Path

from ..model import Language

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "kreport"

CATALOGUE: dict[Language, str | None] = {
    "en": None,  # the message ids are British English
    "en-US": None,  # no word differs; dates do (Babel's en_US)
    "zh": "zh_Hans",
    "zh-Hant": "zh_Hant",
    "zh-HK": "zh_Hant_HK",
    "zh-TW": "zh_Hant_TW",
    "zh-MO": "zh_Hant_MO",
}
"""The Babel locale of each edition's catalogue (also its folder under ``locale/``)."""


@dataclass(frozen=True, slots=True)
class Words:
    """One edition's fixed words. Each field's default is its English text, the message id of
    its catalogue entry, whose context is the field's name (tools/catalogues.py reads them)."""

    summary: str = "Summary"
    indicator: str = "Indicator"
    this_period: str = "This period"
    last_year: str = "Same period last year"
    previous_period: str = "Previous period"
    change: str = "Change"
    change_previous: str = "Change"
    yoy_chart: str = "Year-on-year change"
    previous_chart: str = "Change on the previous period"
    types_chart_cases: str = "Cases by fraud type"
    types_chart_losses: str = "Losses by fraud type"
    types_list: str = "Main fraud types"
    types_list_caption: str = "In the order published; no counts were published."
    this_period_legend: str = "This period"
    last_year_legend: str = "Last year"
    highlights: str = "Main points"
    other: str = "Other"
    not_published: str = "not published"
    computed: str = "computed from the figures shown"
    vs_last_year: str = "on last year"
    vs_previous: str = "on the previous period"
    # {change}: the change in words, e.g. 下降12.5%
    change_vs_last_year: str = "{change} on last year"
    change_vs_previous: str = "{change} on the previous period"
    compared_with: str = "compared with {baseline}"
    issued: str = "Issued {date}"
    source: str = "Source: {source}"
    page: str = "Page 1 of 1"
    rise: str = "{amount}"  # 12.5% or 2.5 pts
    fall: str = "{amount}"
    spoken_rise: str = "up {amount}"  # a rise said in words, where the page shows an arrow
    spoken_fall: str = "down {amount}"
    flat: str = "no change"
    new: str = "new"
    points: str = "{amount} pts"
    quantity: str = "{number} {unit}"
    money: str = "{currency} {amount}"  # a currency's name in this edition
    money_home: str = "{currency} {amount}"  # the edition's own currency (元)
    # the page's own notes: folded rows, change-chart units and rules, the colour key
    folded: str = "Other ({n} types)"  # {n}: how many types the folded row holds
    folded_more: str = "{n} more types"  # when the data has its own catch-all row
    in_percent: str = "Change in %"
    in_points: str = "Change in percentage points"
    small_base_note: str = "From a base under 20: the figures, before → after, not a %."
    cut_note: str = "A broken bar is too long to draw to scale; its value is printed."
    better: str = "Better"
    worse: str = "Worse"
    no_judgement: str = "No judgement"
    more: str = "{n} more"  # a small count's rise, e.g. "50 more"
    fewer: str = "{n} fewer"
    less: str = "{n} less"  # an amount's fall
    issue_number: str = "No. {n}"
    advice: str = "Prevention advice"
    trend_chart: str = "{label} by month"
    ranking_title: str = "{noun} ranked"
    standing_title: str = "Where {region} stands"
    rank: str = "Rank"
    region: str = "Region"
    total: str = "Total"
    rate_10000: str = "per 10,000 people"
    rate_100000: str = "per 100,000 people"
    ranked_by_rate: str = "Ranked by {label} {per}, highest first."
    ranked_by_value: str = "Ranked by {label}, highest first."
    rate_computed: str = "computed from population figures"
    none_in: str = "{label}: none in {names}"
    standing: str = "{ordinal} of {n} {noun}"
    standing_zero: str = "None this period: one of {k} of the {n} {noun} with none"
    default_noun: str = "regions"
    types_both: str = "Cases and losses by fraud type"
    cases: str = "Cases"
    losses: str = "Losses"
    no_previous_last_year: str = "no figure for the same period last year"
    no_previous_previous: str = "no figure for the previous period"
    year_earlier: str = "A year earlier"
    left_out: str = "Left out for lack of space: {blocks}."
    left_out_advice: str = "prevention advice"
    left_out_trend: str = "the monthly trend"
    left_out_ranking: str = "the ranking"
    left_out_losses: str = "losses by fraud type"
    list_separator: str = ", "


ENGLISH = Words()
"""The message ids."""


def _words(t: gettext.NullTranslations) -> Words:
    return Words(**{f.name: t.pgettext(f.name, getattr(ENGLISH, f.name)) for f in fields(Words)})


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


@functools.cache
def translations(language: Language) -> gettext.NullTranslations:
    """The edition's compiled catalogue; English reads the message ids themselves."""
    locale = CATALOGUE[language]
    if locale is None:
        return gettext.NullTranslations()
    with catalogue_path(locale).open("rb") as fp:
        return gettext.GNUTranslations(fp)


@functools.cache
def words(language: Language) -> Words:
    return _words(translations(language))
