"""Measure the page for a ``Plan``: each block of ``order.BLOCKS`` built, and its height.

Fitting one page (``layout.py``) measures several plans: larger type, then the same type with
taller chart rows, or with the charts stacked. A ``Measurer`` serves all the plans of one
layout and builds only what a plan changes: each block is kept with the values of the plan's
fields it read while it was built (the scale and line spacing always count, for its styles),
and a later plan that agrees on those gets the same flowable back, already measured (a taller
chart row rebuilds the charts alone). The briefing's printed figures are worked out once, and
paragraphs share their parsed markup with every layout of the process (``parsed.SHARED``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from reportlab.platypus import Flowable

from ..fonts import FontSet
from ..model import Briefing
from .order import BLOCKS
from .parsed import SHARED
from .plan import GAP, Page, Plan
from .precision import Figures, figures
from .styles import Styles, make_styles
from .words import Words, words

_ORDER = tuple(f.name for f in fields(Plan))
_FIELDS = frozenset(_ORDER)
_STYLED = frozenset({"scale", "spacing"})  # every block's styles are made from these


@dataclass(frozen=True, slots=True)
class Measured:
    """The blocks built for ``plan`` and their heights, top to bottom."""

    plan: Plan
    page: Page
    blocks: tuple[tuple[str, Flowable], ...]
    sections: tuple[tuple[str, float], ...]

    @property
    def gap(self) -> float:
        return GAP * self.plan.scale

    @property
    def used(self) -> float:
        return sum(h for _, h in self.sections) + self.gap * (len(self.sections) - 1)


class _Watched(Plan):
    """A plan that notes which of its fields are read: what a block built from it depends on."""

    __slots__ = ("read",)

    def __init__(self, plan: Plan) -> None:
        for name in _FIELDS:
            object.__setattr__(self, name, getattr(plan, name))
        object.__setattr__(self, "read", set(_STYLED))

    def __getattribute__(self, name: str) -> Any:
        if name in _FIELDS:
            object.__getattribute__(self, "read").add(name)
        return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:  # as the plan it watches (every field read)
        return isinstance(other, Plan) and all(
            getattr(self, f) == getattr(other, f) for f in _ORDER
        )

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f) for f in _ORDER))  # a Plan's own hash


class Measurer:
    """Measures plans for one briefing at one width, reusing what earlier plans built."""

    def __init__(
        self, b: Briefing, fonts: FontSet, width: float, shown: Figures | None = None
    ) -> None:
        self.b, self.fonts, self.width = b, fonts, width
        self.words: Words = words(b.language)
        self.figures: Figures = shown or figures(b)  # ``shown``: the caller's, for ``b``
        self.parsed = SHARED
        # one Styles per scale and spacing, shared by the blocks built for plans that agree
        self.styles: dict[tuple[float, float], Styles] = {}
        # block name -> [(the plan's values the block read, the block)]
        self.kept: dict[str, list[tuple[tuple[tuple[str, Any], ...], Flowable | None]]] = {}

    def __call__(self, plan: Plan) -> Measured:
        styles = self.styles.get((plan.scale, plan.spacing))
        if styles is None:
            styles = make_styles(self.fonts, plan.scale, plan.spacing, self.parsed)
            self.styles[plan.scale, plan.spacing] = styles
        page = Page(self.b, styles, self.words, self.width, plan, self.figures)
        blocks = []
        for name, block in BLOCKS:
            f = self._block(name, block, page)
            if f is not None:
                blocks.append((name, f))
        sections = tuple((name, float(f.wrap(self.width, 10_000)[1])) for name, f in blocks)
        return Measured(plan, page, tuple(blocks), sections)

    def _block(self, name: str, block: Any, page: Page) -> Flowable | None:
        kept = self.kept.setdefault(name, [])
        for read, f in kept:
            if all(getattr(page.plan, k) == v for k, v in read):
                return f
        watched = _Watched(page.plan)
        f = block(replace(page, plan=watched))
        kept.append((tuple((k, getattr(page.plan, k)) for k in sorted(watched.read)), f))
        return f


__all__ = ["Measured", "Measurer"]
