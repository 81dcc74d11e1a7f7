"""The data-file format's keys and limits: what the validator enforces, the schema describes
and the tally reader refuses to compute.
"""

from __future__ import annotations

import unicodedata

TOP_KEYS = (
    "title",
    "agency",
    "period",
    "baseline",
    "issued",
    "language",
    "fallback",
    "mixed_languages",
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
    "trend",
    "ranking",
    "logo",
    "issue_number",
    "contact",
    "advice",
)
METRIC_KEYS = ("label", "value", "previous", "change_pct", "money", "unit", "better", "headline")
TYPE_KEYS = ("label", "cases", "losses", "previous_cases", "previous_losses", "other")

MAX_NUMBER = 1e15
"""Larger magnitudes are refused: no fraud figure comes near, and they are likely typos."""
MIN_NUMBER = 1e-6
"""Smaller non-zero magnitudes are refused: they cannot be printed and make absurd changes."""
MAX_TEXT = {
    "title": 80,
    "agency": 60,
    "period": 40,
    "baseline": 40,
    "marking": 30,
    "source": 200,
    "note": 200,
    "highlight": 240,
    "label": 60,
    "unit": 8,
    "contact": 80,
    "advice": 300,
    "noun": 20,
    "region": 60,
}
"""Lengths as ``text_length`` counts them. With every count and length of the page's texts at
its maximum at once, the page still fits on A4 and on Letter, in every edition (the page gives
way in its documented order; tests/test_gallery.py builds exactly that)."""
MAX_METRICS = 10
MAX_TYPES = 500  # folded into "Other" to fit
MAX_HIGHLIGHTS = 5


def text_length(text: str) -> int:
    """The length a limit counts: a character is one, a wide one (Chinese) two, as it takes
    about twice the width on the page."""
    if text.isascii():  # most texts of a Latin edition: no character is wide
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- the optional blocks: a monthly trend, a regional ranking, the agency's identity ------------
TREND_KEYS = ("label", "money", "months")
TREND_MONTH_KEYS = ("month", "value", "previous")
RANKING_KEYS = ("label", "noun", "money", "rate_per", "regions")
REGION_KEYS = ("name", "value", "previous", "population", "previous_population", "focus")
MAX_TREND_MONTHS = 12
MIN_TREND_MONTHS = 2
MAX_REGIONS = 20
MAX_ISSUE_NUMBER = 99_999

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_LOGO_BYTES = 1024 * 1024
"""A logo file larger than this is refused unread: an agency emblem is a few KiB."""
MAX_LOGO_SIDE = 4096
MAX_LOGO_PIXELS = 4096 * 4096
"""Read from the image header before any pixel is decoded: a decompression bomb stops here."""
LOGO_EMBED_SIDE = 600
"""A logo is scaled down to at most this many pixels on its longer side before it is embedded
(it is printed about 15 mm tall: 600 pixels is over 1,000 dpi), so the PDF stays small."""
