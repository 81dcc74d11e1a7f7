"""The agency's identity on the page: the logo beside the header, the prevention-advice box, and
the note that names the blocks a full page left out.

The issue number and the contact line are printed by the header itself (``blocks.header``),
top right, with the date of issue.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..model import Logo
from .blocks import header
from .images import draw_logo
from .plan import Block, Page, grid
from .styles import ACCENT, TINT, para, table_style, text
from .tables import MemoTable

LOGO_HEIGHT = 15 * mm  # at scale 1: about the height of the agency line and the title
LOGO_MAX_SHARE = 0.25  # of the page width, for a very wide logo
LOGO_GAP = 10.0

OPTIONAL = ("advice", "trend", "ranking", "losses")
"""The blocks a full page may leave out, first to go first (see ``layout.degradation``)."""


class LogoFlowable(Flowable):  # type: ignore[misc]
    """The logo's pixels, drawn once at a fixed height (narrower if very wide)."""

    def __init__(self, logo: Logo, height: float, max_width: float) -> None:
        super().__init__()
        self.logo = logo
        w, h = logo.size
        self.width = min(height * w / h, max_width)
        self.height = self.width * h / w

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_logo(self.canv, self.logo, self.width, self.height)


def logo_header(p: Page) -> Flowable | None:
    """The header, with the logo at its left when there is one."""
    logo = p.b.logo
    if logo is None:
        return header(p)
    f = LogoFlowable(logo, LOGO_HEIGHT * p.plan.scale, p.width * LOGO_MAX_SHARE)
    rest = p.width - f.width - LOGO_GAP
    inner = header(replace(p, width=rest))
    assert inner is not None
    return grid([[f, inner]], [f.width + LOGO_GAP, rest], p.s, 0)


def advice(p: Page) -> Flowable | None:
    """The prevention advice, boxed: a tinted panel with the navy rule of the key figures."""
    if not p.b.advice or "advice" in p.plan.left_out:
        return None
    s = p.s
    box = MemoTable(
        [[para(text(p.w.advice), s.heading, s)], [para(text(p.b.advice), s.body, s)]],
        colWidths=[p.width],
    )
    pad = 6 * p.plan.scale
    box.setStyle(
        table_style(
            s.fonts,
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8 * p.plan.scale),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), pad),
                ("TOPPADDING", (0, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
            ],
        )
    )
    return box


def left_out(p: Page) -> Flowable | None:
    """A line naming what a full page left out, in the order it gave way."""
    names = {
        "advice": p.w.left_out_advice,
        "trend": p.w.left_out_trend,
        "ranking": p.w.left_out_ranking,
        "losses": p.w.left_out_losses,
    }
    gone = [names[k] for k in OPTIONAL if k in p.plan.left_out and _present(p, k)]
    if not gone:
        return None
    line = p.w.left_out.format(blocks=p.w.list_separator.join(gone))
    return para(text(line), p.s.small, p.s)


def _present(p: Page, block: str) -> bool:
    """Whether the briefing has data for ``block`` (only those are said to be left out)."""
    from ..model import Breakdown

    b = p.b
    return {
        "advice": b.advice is not None,
        "trend": b.trend is not None,
        "ranking": b.ranking is not None,
        "losses": b.breakdown is Breakdown.BOTH,
    }[block]


__all__ = ["OPTIONAL", "Block", "LogoFlowable", "advice", "left_out", "logo_header"]
