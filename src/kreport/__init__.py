"""kreport: one-page fraud briefing PDFs from a small data file.

>>> import kreport
>>> pdf = kreport.build_bytes(kreport.example_path("karamay"))
>>> kreport.build("briefing.toml", "out/briefing.pdf", language="zh")
"""

from __future__ import annotations

from ._version import __version__
from .api import Paper, build, build_bytes, default_output, example_names, example_path, parse
from .batch import BatchResult, Outcome, build_many
from .errors import InputError, KreportError, LayoutError, OutputError, Problem
from .model import Breakdown, Briefing, Change, ChangeKind, FraudType, Metric, RawBriefing

__all__ = [
    "BatchResult",
    "Breakdown",
    "Briefing",
    "Change",
    "ChangeKind",
    "FraudType",
    "InputError",
    "KreportError",
    "LayoutError",
    "Metric",
    "Outcome",
    "OutputError",
    "Paper",
    "Problem",
    "RawBriefing",
    "__version__",
    "build",
    "build_bytes",
    "build_many",
    "default_output",
    "example_names",
    "example_path",
    "parse",
]
