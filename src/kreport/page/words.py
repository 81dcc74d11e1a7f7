"""The fixed words printed on the page: gettext catalogues (``kreport/locale``) -> ``Words``.

The English words are the message ids, written below; each other edition has a catalogue
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
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..model import Language

LOCALE_DIR = Path(str(files("kreport") / "locale"))
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
    summary: str
    indicator: str
    this_period: str
    last_year: str
    previous_period: str
    change: str
    change_previous: str
    yoy_chart: str
    previous_chart: str
    types_chart_cases: str
    types_chart_losses: str
    types_list: str
    types_list_caption: str
    this_period_legend: str
    last_year_legend: str
    highlights: str
    other: str
    not_published: str
    computed: str
    vs_last_year: str
    vs_previous: str
    change_vs_last_year: str  # {change}: the change in words, e.g. 下降12.5%
    change_vs_previous: str
    compared_with: str  # {baseline}
    issued: str  # {date}
    source: str  # {source}
    page: str
    rise: str  # {amount}: 12.5% or 2.5 pts
    fall: str
    spoken_rise: str  # {amount}: a rise said in words, where the page shows an arrow
    spoken_fall: str
    flat: str
    new: str
    points: str  # {amount}
    quantity: str  # {number} {unit}
    money: str  # {amount} {currency}: a currency's name in this edition
    money_home: str  # {amount} {currency}: the edition's own currency (元)
    # the page's own notes: folded rows, change-chart units and rules, the colour key
    folded: str  # {n}: how many types the folded row holds
    folded_more: str  # {n}, when the data has its own catch-all row
    in_percent: str
    in_points: str
    small_base_note: str
    cut_note: str
    better: str
    worse: str
    no_judgement: str
    more: str  # {n}: a small count's rise, e.g. "50 more"
    fewer: str  # {n}
    less: str  # {n}: an amount's fall
    issue_number: str
    advice: str
    trend_chart: str
    ranking_title: str
    standing_title: str
    rank: str
    region: str
    total: str
    rate_10000: str
    rate_100000: str
    ranked_by_rate: str
    ranked_by_value: str
    rate_computed: str
    none_in: str
    standing: str
    standing_zero: str
    default_noun: str
    types_both: str
    cases: str
    losses: str
    no_previous_last_year: str
    no_previous_previous: str
    year_earlier: str
    left_out: str
    left_out_advice: str
    left_out_trend: str
    left_out_ranking: str
    left_out_losses: str
    list_separator: str


def _words(t: gettext.NullTranslations) -> Words:
    # Literal calls, one per message, so that Babel's extractor (and the catalogue test) sees them.
    return Words(
        summary=t.pgettext("summary", "Summary"),
        indicator=t.pgettext("indicator", "Indicator"),
        this_period=t.pgettext("this_period", "This period"),
        last_year=t.pgettext("last_year", "Same period last year"),
        previous_period=t.pgettext("previous_period", "Previous period"),
        change=t.pgettext("change", "Change"),
        change_previous=t.pgettext("change_previous", "Change"),
        yoy_chart=t.pgettext("yoy_chart", "Year-on-year change"),
        previous_chart=t.pgettext("previous_chart", "Change on the previous period"),
        types_chart_cases=t.pgettext("types_chart_cases", "Cases by fraud type"),
        types_chart_losses=t.pgettext("types_chart_losses", "Losses by fraud type"),
        types_list=t.pgettext("types_list", "Main fraud types"),
        types_list_caption=t.pgettext(
            "types_list_caption", "In the order published; no counts were published."
        ),
        this_period_legend=t.pgettext("this_period_legend", "This period"),
        last_year_legend=t.pgettext("last_year_legend", "Last year"),
        highlights=t.pgettext("highlights", "Main points"),
        other=t.pgettext("other", "Other"),
        not_published=t.pgettext("not_published", "not published"),
        computed=t.pgettext("computed", "computed from the figures shown"),
        vs_last_year=t.pgettext("vs_last_year", "on last year"),
        vs_previous=t.pgettext("vs_previous", "on the previous period"),
        change_vs_last_year=t.pgettext("change_vs_last_year", "{change} on last year"),
        change_vs_previous=t.pgettext("change_vs_previous", "{change} on the previous period"),
        compared_with=t.pgettext("compared_with", "compared with {baseline}"),
        issued=t.pgettext("issued", "Issued {date}"),
        source=t.pgettext("source", "Source: {source}"),
        page=t.pgettext("page", "Page 1 of 1"),
        rise=t.pgettext("rise", "{amount}"),
        fall=t.pgettext("fall", "{amount}"),
        spoken_rise=t.pgettext("spoken_rise", "up {amount}"),
        spoken_fall=t.pgettext("spoken_fall", "down {amount}"),
        flat=t.pgettext("flat", "no change"),
        new=t.pgettext("new", "new"),
        points=t.pgettext("points", "{amount} pts"),
        quantity=t.pgettext("quantity", "{number} {unit}"),
        money=t.pgettext("money", "{currency} {amount}"),
        money_home=t.pgettext("money_home", "{currency} {amount}"),
        folded=t.pgettext("folded", "Other ({n} types)"),
        folded_more=t.pgettext("folded_more", "{n} more types"),
        in_percent=t.pgettext("in_percent", "Change in %"),
        in_points=t.pgettext("in_points", "Change in percentage points"),
        small_base_note=t.pgettext(
            "small_base_note", "From a base under 20: the figures, before → after, not a %."
        ),
        cut_note=t.pgettext(
            "cut_note", "A broken bar is too long to draw to scale; its value is printed."
        ),
        better=t.pgettext("better", "Better"),
        worse=t.pgettext("worse", "Worse"),
        no_judgement=t.pgettext("no_judgement", "No judgement"),
        more=t.pgettext("more", "{n} more"),
        fewer=t.pgettext("fewer", "{n} fewer"),
        less=t.pgettext("less", "{n} less"),
        issue_number=t.pgettext("issue_number", "No. {n}"),
        advice=t.pgettext("advice", "Prevention advice"),
        trend_chart=t.pgettext("trend_chart", "{label} by month"),
        ranking_title=t.pgettext("ranking_title", "{noun} ranked"),
        standing_title=t.pgettext("standing_title", "Where {region} stands"),
        rank=t.pgettext("rank", "Rank"),
        region=t.pgettext("region", "Region"),
        total=t.pgettext("total", "Total"),
        rate_10000=t.pgettext("rate_10000", "per 10,000 people"),
        rate_100000=t.pgettext("rate_100000", "per 100,000 people"),
        ranked_by_rate=t.pgettext("ranked_by_rate", "Ranked by {label} {per}, highest first."),
        ranked_by_value=t.pgettext("ranked_by_value", "Ranked by {label}, highest first."),
        rate_computed=t.pgettext("rate_computed", "computed from population figures"),
        none_in=t.pgettext("none_in", "{label}: none in {names}"),
        standing=t.pgettext("standing", "{ordinal} of {n} {noun}"),
        standing_zero=t.pgettext(
            "standing_zero", "None this period: one of {k} of the {n} {noun} with none"
        ),
        default_noun=t.pgettext("default_noun", "regions"),
        types_both=t.pgettext("types_both", "Cases and losses by fraud type"),
        cases=t.pgettext("cases", "Cases"),
        losses=t.pgettext("losses", "Losses"),
        no_previous_last_year=t.pgettext(
            "no_previous_last_year", "no figure for the same period last year"
        ),
        no_previous_previous=t.pgettext(
            "no_previous_previous", "no figure for the previous period"
        ),
        year_earlier=t.pgettext("year_earlier", "A year earlier"),
        left_out=t.pgettext("left_out", "Left out for lack of space: {blocks}."),
        left_out_advice=t.pgettext("left_out_advice", "prevention advice"),
        left_out_trend=t.pgettext("left_out_trend", "the monthly trend"),
        left_out_ranking=t.pgettext("left_out_ranking", "the ranking"),
        left_out_losses=t.pgettext("left_out_losses", "losses by fraud type"),
        list_separator=t.pgettext("list_separator", ", "),
    )


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
