"""Turn a ``Ranking`` into its block: the regions ranked in a table, or, on a region's own page,
the sentence saying where it stands ("3rd of 7 districts", "7个区县中排第3").

The table: rank, region, figure, change (computed, *), rate per 10,000 or 100,000 people
(computed, †) when every region has a population, then the total; the regions with none are
listed by name under it, not ranked. Ranked by rate when there are rates, so a big region does
not look worst just for being big; highest first, ties sharing a rank.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ..model import Language, Metric, Ranked, Ranking, RegionFigure, is_chinese
from . import numbers, spoken, tags
from .figures import change_words
from .marks import ChangeText
from .markup import unescape
from .palette import NEUTRAL
from .plan import Page
from .precision import base_decimals, column, rounded
from .styles import ACCENT, RULE, TINT, para, table_style, text
from .tables import MemoTable
from .words import Words

DAGGER = "†"
CHANGE_GAP = 6.0  # points between a figure and the arrow of the change beside it


def ordinal(n: int, language: Language = "en") -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd`` in English; Chinese writes the
    number after 第 in its pattern, so there it is the number alone."""
    if is_chinese(language):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def standing(ranking: Ranking, region: RegionFigure, w: Words, language: Language) -> str:
    """Where ``region`` stands among all the regions, in the page's words."""
    n = len(ranking.regions)
    noun = ranking.noun or w.default_noun
    if not region.value:
        return w.standing_zero.format(k=len(ranking.zero()), n=n, noun=noun)
    rank = next(r.rank for r in ranking.ranked() if r.region is region)
    return w.standing.format(ordinal=ordinal(rank, language), n=n, noun=noun)


def rate_text(value: float, language: Language) -> str:
    """A rate with one decimal, the same in every row so the column lines up."""
    return numbers.decimal(value, "#,##0.0", numbers.locale_of(language))


def per_words(ranking: Ranking, w: Words) -> str:
    return w.rate_10000 if ranking.per == 10_000 else w.rate_100000


def figure(ranking: Ranking, value: float, currency: str, language: Language) -> str:
    if ranking.money:
        return numbers.money(value, currency, language)
    return numbers.number(value, language)


def ranking_block(p: Page, width: float) -> list[Flowable]:
    """The ranking's flowables for a column of ``width``: table, or the focus region's place."""
    b, s, w = p.b, p.s, p.w
    ranking = b.ranking
    assert ranking is not None
    noun = ranking.noun or w.default_noun
    focus = ranking.focus
    if focus is not None:
        return _standing(p, ranking, focus, width)
    title = w.ranking_title.format(noun=noun)
    if not is_chinese(b.language):
        title = title[:1].upper() + title[1:]
    items: list[Flowable] = [para(text(title), s.heading, s), _table(p, ranking, width)]
    zero = ranking.zero()
    if zero:
        names = w.list_separator.join(r.name for r in zero)
        items.append(para(text(w.none_in.format(label=ranking.label, names=names)), s.body, s))
    items.append(para(text(_caption(p, ranking)), s.small, s))
    return items


def _caption(p: Page, ranking: Ranking) -> str:
    w = p.w
    if ranking.per is not None:
        order = w.ranked_by_rate.format(label=ranking.label, per=per_words(ranking, w))
    else:
        order = w.ranked_by_value.format(label=ranking.label)
    notes = [order]
    if any(r.previous is not None for r in ranking.regions):
        notes.append(f"* {w.computed}")
    if ranking.per is not None:
        notes.append(f"{DAGGER} {w.rate_computed}")
    return "   ".join(notes)


def _table(p: Page, ranking: Ranking, width: float) -> Table:
    b, s, w = p.b, p.s, p.w
    lang, size = b.language, s.cell.fontSize
    with_change = any(r.previous is not None for r in ranking.regions)
    heads = [w.rank, w.region, ranking.label]
    if with_change:
        heads.append(w.change_previous if b.comparison == "previous_period" else w.change)
    if ranking.per is not None:
        heads.append(f"{per_words(ranking, w)}{DAGGER}")
    rows: list[list[Flowable]] = [
        [para(text(h), s.cell_head if i == 1 else s.cell_head_num, s) for i, h in enumerate(heads)]
    ]
    total = ranking.total()
    total_rate = _rate(total.value, total.population, ranking)
    entries: list[tuple[str, RegionFigure, float | None]] = [
        (str(r.rank), r.region, r.rate) for r in ranking.ranked()
    ]
    entries.append(("", RegionFigure(w.total, total.value, total.previous), total_rate))
    # one format and precision down the figures' column, the summary table's rules
    kind = Metric("", money=ranking.money)
    shown = column([kind] * len(entries), [r.value for _, r, _ in entries], b.currency, lang)
    # changes get the decimals their smallest base supports, as the summary's computed ones
    decimals = base_decimals([r.previous for _, r, _ in entries if r.previous])
    for (rank, region, rate), value in zip(entries, shown, strict=True):
        cells: list[Flowable] = [
            para(text(rank), s.cell_num, s),
            para(text(region.name), s.cell, s),
            para(text(value or ""), s.cell_num, s),
        ]
        if with_change:
            change = region.change()
            if change is None:
                cells.append(para("—", s.cell_num, s))
            else:
                # the summary's rules: from a base under 20, the difference, not a percentage
                as_metric = replace(
                    kind,
                    value=region.value,
                    previous=region.previous,
                    change=rounded(change, decimals),
                )
                words_ = change_words(as_metric, b.currency, lang, decimals) + "*"
                said = spoken.change(as_metric, b.currency, lang) + "*"
                mark = ChangeText(
                    change.direction, NEUTRAL, words_, s.cell.fontName, size, align="right"
                )
                cells.append(tags.tag(mark, "P", actual=said))
        if ranking.per is not None:
            cells.append(para(text("" if rate is None else rate_text(rate, lang)), s.cell_num, s))
        rows.append(cells)
    digits = stringWidth("00", s.cell_num.fontName, s.cell_num.fontSize)
    rank_w = max(digits, stringWidth(w.rank, s.cell_head.fontName, s.cell_head.fontSize)) + 8
    widths = [rank_w, *_widths(p, heads[2:], rows[1:], width - rank_w)]
    t = tags.data_table(MemoTable(rows, colWidths=widths), "ranking", row_header=1)
    pad = 2 * p.plan.scale
    gap = [("LEFTPADDING", (3, 0), (3, -1), 3 + CHANGE_GAP)] if with_change else []
    t.setStyle(
        table_style(
            s.fonts,
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -2), 0.4, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *gap,  # after the padding it widens
            ],
        )
    )
    return t


def _widths(p: Page, heads: list[str], rows: list[list[Flowable]], room: float) -> list[float]:
    """The region column and the number columns: each number column as wide as its header on
    one line (or its widest figure), while the names keep their line (or 40% of the room)."""
    s = p.s
    want, least = [], []
    for i, head in enumerate(heads, start=2):
        font, size = s.cell_head.fontName, s.cell_head.fontSize
        head_w = stringWidth(head, font, size)
        word_w = max(stringWidth(x, font, size) for x in head.split() or [""])
        cells = [c for row in rows for c in row[i : i + 1]]
        content = 0.0
        gap = CHANGE_GAP if any(isinstance(c, ChangeText) for c in cells) else 0.0
        for c in cells:
            if isinstance(c, ChangeText):
                content = max(content, c.head_width)
            else:  # a paragraph of one figure
                plain = unescape(str(getattr(c, "text", "")))
                content = max(content, stringWidth(plain, s.cell.fontName, s.cell.fontSize))
        want.append(max(head_w, content) + 8 + gap)
        least.append(max(word_w, content) + 8 + gap)  # a header wraps between words only
    names = [unescape(str(getattr(row[1], "text", ""))) for row in rows]
    region = max(stringWidth(n, s.cell.fontName, s.cell.fontSize) for n in names) + 8
    most = max(room - region, room * 0.6)  # the names keep their line unless very long
    if sum(want) > most:
        # headers wrap first, the figures keep their width (a change's arrow must not run into
        # the next column); only when the figures alone are too wide do they give way
        if sum(least) <= most:
            spare = (most - sum(least)) / ((sum(want) - sum(least)) or 1.0)
            want = [n + (w_ - n) * spare for w_, n in zip(want, least, strict=True)]
        else:
            want = [n * most / sum(least) for n in least]
    return [room - sum(want), *want]


def _rate(value: float, population: float | None, ranking: Ranking) -> float | None:
    if ranking.per is None or not population:
        return None
    return value / population * ranking.per


def _standing(p: Page, ranking: Ranking, region: RegionFigure, width: float) -> list[Flowable]:
    b, s, w = p.b, p.s, p.w
    lang = b.language
    items: list[Flowable] = [
        para(text(w.standing_title.format(region=region.name)), s.heading, s),
        para(f"<b>{text(standing(ranking, region, w, lang))}</b>", s.body, s),
    ]
    ranked: Ranked | None = next((r for r in ranking.ranked() if r.region is region), None)
    colon = "：" if is_chinese(lang) else ": "
    own = figure(ranking, region.value, b.currency, lang)
    if ranked is not None and ranked.rate is not None:
        own = _with_rate(own, ranked.rate, ranking, w, lang)
    total = ranking.total()
    total_rate = _rate(total.value, total.population, ranking)
    all_of = figure(ranking, total.value, b.currency, lang)
    if total_rate is not None:
        all_of = _with_rate(all_of, total_rate, ranking, w, lang)
    parts = [f"{region.name}{colon}{own}", f"{w.total}{colon}{all_of}"]
    items.append(para(text(w.list_separator.join(parts)), s.body, s))
    items.append(Spacer(width, 2))
    items.append(para(text(_caption(p, ranking)), s.small, s))
    return items


def _with_rate(value: str, rate: float, ranking: Ranking, w: Words, language: Language) -> str:
    """``229 (5.6 per 10,000 people†)`` / ``229（每万人5.6†）``."""
    per, shown = per_words(ranking, w), rate_text(rate, language)
    if is_chinese(language):
        return f"{value}（{per}{shown}{DAGGER}）"
    return f"{value} ({shown} {per}{DAGGER})"


__all__ = ["ordinal", "per_words", "ranking_block", "rate_text", "standing"]
