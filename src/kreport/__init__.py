"""kreport: one-page fraud briefing PDFs from a small data file.

>>> import kreport
>>> pdf = kreport.build_bytes(kreport.example_path("karamay"))
>>> kreport.build("briefing.toml", "out/briefing.pdf", language="zh")
>>> kreport.build_many(["tally.toml"], "out/april", period="2023-04", by="region")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__
from .api import (
    Paper,
    build,
    build_bytes,
    check,
    collect,
    default_output,
    example_names,
    example_path,
    parse,
)
from .errors import InputError, KreportError, LayoutError, OutputError, Problem, UsageError
from .model import Breakdown, Briefing, Change, ChangeKind, FraudType, Metric, RawBriefing
from .sources import Item

if TYPE_CHECKING:
    from .batch import BatchResult, Outcome, build_many

_BATCH = frozenset({"BatchResult", "Outcome", "build_many"})


def __getattr__(name: str) -> object:
    """The batch names, imported when first asked for: a single build has no use for them."""
    if name in _BATCH:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BatchResult",
    "Breakdown",
    "Briefing",
    "Change",
    "ChangeKind",
    "FraudType",
    "InputError",
    "Item",
    "KreportError",
    "LayoutError",
    "Metric",
    "Outcome",
    "OutputError",
    "Paper",
    "Problem",
    "RawBriefing",
    "UsageError",
    "__version__",
    "build",
    "build_bytes",
    "build_many",
    "check",
    "collect",
    "default_output",
    "example_names",
    "example_path",
    "parse",
]
