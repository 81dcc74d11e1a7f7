"""Pages built two ways: as kreport builds them, and with a reference way put back (reportlab's
own drawing, the former tagging, matplotlib's Figures). The tests that hold a faster path to
the bytes of the one it replaced share these."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import kreport

GALLERY_PAGES = sorted((Path(__file__).parent / "data" / "gallery").glob("*.toml"))
LANGUAGES = (None, "en", "zh", "zh-Hant", "zh-HK")

Reference = Callable[[], AbstractContextManager[object]]


def both_ways(source: Any, reference: Reference, **options: Any) -> tuple[bytes, bytes]:
    """``source`` built as kreport builds it, then inside ``reference()``."""
    ours = kreport.build_bytes(source, **options)
    with reference():
        theirs = kreport.build_bytes(source, **options)
    return ours, theirs


def editions(source: Any, reference: Reference) -> Iterator[tuple[str | None, str, bytes, bytes]]:
    """Each language ``source`` builds in (others refuse it: mixed languages), both papers."""
    for language in LANGUAGES:
        for paper in ("a4", "letter"):
            try:
                ours, theirs = both_ways(source, reference, language=language, paper=paper)
            except kreport.InputError:
                continue
            yield language, paper, ours, theirs


def assert_every_edition_alike(source: Any, reference: Reference) -> None:
    """Every edition and paper of ``source`` the same both ways (and at least two built)."""
    built = 0
    for language, paper, ours, theirs in editions(source, reference):
        assert ours == theirs, (str(source)[-60:], language, paper)
        built += 1
    assert built >= 2
