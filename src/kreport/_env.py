"""Read the environment variables kreport honours, checked: ``SOURCE_DATE_EPOCH`` -> seconds.

Private and light (standard library only), so the CLI and batch builds can check the environment
before anything is built, and the page stage can use it without checking twice.
"""

from __future__ import annotations

import os

from .errors import UsageError

MAX_EPOCH = 253_402_300_799
"""9999-12-31 23:59:59 UTC: a PDF date has a four-digit year, so nothing later can be written."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as whole seconds since 1970 (None when unset or empty).

    Anything else is a ``UsageError`` naming the variable, as the reproducible-builds convention
    asks: never a silent fallback to today, and never a number reportlab (which reads the
    variable too) would choke on or turn into an invalid PDF date.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH")
    if text is None or not text.strip():
        return None
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= len(str(MAX_EPOCH)):
        seconds = int(value)
        if seconds <= MAX_EPOCH:
            return seconds
    shown = value if len(value) <= 24 else f"{value[:21]}..."
    raise UsageError(
        f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, from 0 to {MAX_EPOCH} "
        f"(9999-12-31); got {shown!r}"
    )
