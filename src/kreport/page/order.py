"""The page's blocks in reading order, ``BLOCKS``: (section name, block function).

header (with the logo) -> key figures -> main points -> summary table -> charts -> trend and
ranking -> prevention advice -> note -> what a full page left out. The blocks themselves live in
``blocks.py`` (header, main points, note), ``tiles.py``, ``summary.py``, ``panels.py`` (the
charts), ``identity.py`` (logo, advice), ``trend.py`` and ``ranking.py``.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..model import is_chinese
from . import spoken, tags
from .blocks import main_points, note
from .charts import ChartFlowable
from .identity import advice, left_out, logo_header
from .panels import charts
from .plan import CHART_GAP, Block, Page, grid, stack
from .ranking import ranking_block
from .styles import para, text
from .summary import summary
from .tiles import tiles
from .trend import draw_trend, months_alt, trend_chart

TREND_SHARE = 0.45  # of the width, beside a ranking


def trend_panel(p: Page, width: float) -> list[Flowable]:
    b, s, w = p.b, p.s, p.w
    trend = b.trend
    assert trend is not None
    years = {pt.month.year for pt in trend.points}
    if len(years) == 1:
        (year,) = years
        legend = (str(year), str(year - 1))
    else:
        legend = (w.this_period_legend, w.year_earlier)
    chart = trend_chart(trend, b.language, b.currency, legend, width, p.chart_size, s.fonts)
    title = w.trend_chart.format(label=trend.label)
    alt = spoken.trend_chart(b, title, trend, legend[1])
    figure = tags.figure(ChartFlowable(chart, s.fonts, draw_trend, months_alt), alt)
    items: list[Flowable] = [para(text(title), s.heading, s), figure]
    if any(pt.previous is None for pt in trend.points):
        missing = w.no_previous_last_year
        items.append(para(text(f"† {missing}"), s.small, s))
    return items


def trend_and_ranking(p: Page) -> Flowable | None:
    """The monthly trend and the ranking: side by side when both are shown, else full width."""
    b, plan = p.b, p.plan
    has_trend = b.trend is not None and "trend" not in plan.left_out
    has_ranking = b.ranking is not None and "ranking" not in plan.left_out
    if not (has_trend or has_ranking):
        return None
    if not (has_trend and has_ranking):
        items = trend_panel(p, p.width) if has_trend else ranking_block(p, p.width)
        return stack(items, p.width, p.s)
    gap = CHART_GAP * plan.scale
    # Chinese labels are narrower: the ranking table needs less room beside the chart
    share = TREND_SHARE + (0.03 if is_chinese(b.language) else 0.0)
    trend_w = (p.width - gap) * share
    rank_w = p.width - gap - trend_w
    cells: list[Flowable] = [
        stack(trend_panel(p, trend_w), trend_w, p.s),
        stack(ranking_block(p, rank_w), rank_w, p.s),
    ]
    return grid([cells], [trend_w + gap, rank_w], p.s, 0)


BLOCKS: tuple[tuple[str, Block], ...] = (
    ("header", logo_header),
    ("key figures", tiles),
    ("main points", main_points),
    ("summary table", summary),
    ("charts", charts),
    ("trend and ranking", trend_and_ranking),
    ("advice", advice),
    ("note", note),
    ("left out", left_out),
)
"""The page in reading order: (section name, block)."""
