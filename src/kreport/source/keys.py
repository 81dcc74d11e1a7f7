"""The data-file format's keys and limits: what the validator enforces, the schema describes
and the tally reader refuses to compute.
"""

from __future__ import annotations

TOP_KEYS = (
    "title",
    "agency",
    "period",
    "baseline",
    "issued",
    "language",
    "fallback",
    "currency",
    "source",
    "marking",
    "note",
    "highlights",
    "metrics",
    "fraud_types",
    "breakdown",
    "comparison",
    "types_total",
)
METRIC_KEYS = ("label", "value", "previous", "change_pct", "money", "unit", "better", "headline")
TYPE_KEYS = ("label", "cases", "losses", "previous_cases", "previous_losses", "other")

MAX_NUMBER = 1e15
"""Larger magnitudes are refused: no fraud figure comes near, and they are likely typos."""
MIN_NUMBER = 1e-6
"""Smaller non-zero magnitudes are refused: they cannot be printed and make absurd changes."""
MAX_TEXT = {
    "title": 120,
    "agency": 120,
    "period": 80,
    "baseline": 80,
    "marking": 60,
    "source": 300,
    "note": 300,
    "highlight": 400,
    "label": 100,
    "unit": 20,
}
MAX_METRICS = 16
MAX_TYPES = 500
MAX_HIGHLIGHTS = 8
