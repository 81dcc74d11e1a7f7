"""kreport's shortcuts around reportlab (see kreport/page/checked.py) are taken only under the
reportlab versions they were compared with, and stepping aside changes no byte."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reportlab

import kreport
from gallery import maximal
from kreport.page import checked, parsed, styles
from kreport.page import wrap as page_wrap


def test_the_installed_reportlab_is_one_the_shortcuts_were_checked_against() -> None:
    # failing here after an upgrade: run the byte comparisons (tests/test_drawing.py and this
    # file) under the new version, then add it to CHECKED
    assert reportlab.Version in checked.CHECKED and checked.SHORTCUTS


@pytest.fixture
def no_shortcuts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(checked, "SHORTCUTS", False)
    # and nothing kept that a shortcut made: markup parsed afresh (styles made afresh, so that
    # none holds the process's parses)
    monkeypatch.setattr(styles, "SHARED", parsed.Parsed())
    monkeypatch.setattr(styles, "_made", styles._made.__wrapped__)
    page_wrap.exact_sums.cache_clear()
    yield
    page_wrap.exact_sums.cache_clear()


SOURCES = [
    *((name, None) for name in ("karamay", "example-city", "singapore", "jieyang", "hongkong")),
    ("karamay", "zh"),
]


@pytest.mark.parametrize(("name", "lang"), SOURCES)
def test_a_page_is_the_same_with_every_shortcut_aside(
    name: str, lang: str | None, request: pytest.FixtureRequest
) -> None:
    src = kreport.example_path(name)
    with_them = kreport.build_bytes(src, language=lang)
    request.getfixturevalue("no_shortcuts")
    assert kreport.build_bytes(src, language=lang) == with_them


@pytest.mark.parametrize("script", ["en", "zh"])
def test_the_fullest_page_is_the_same_with_every_shortcut_aside(
    script: str, request: pytest.FixtureRequest
) -> None:
    with_them = kreport.build_bytes(maximal(script), pdfa=True)
    request.getfixturevalue("no_shortcuts")
    assert kreport.build_bytes(maximal(script), pdfa=True) == with_them


def test_building_pages_changes_no_style_the_process_keeps() -> None:
    """Styles are kept for the process and keyed by what they were made from, not by their
    attributes: a build that changed one in place would leak into later builds unseen."""
    import dataclasses
    import tomllib

    from kreport.fonts import CJK, LATIN

    def snapshot() -> dict[tuple[str, float], dict[str, object]]:
        shot = {}
        for fonts in (LATIN, CJK):
            fonts.register()
            for scale in (1.0, 1.3):
                kept = styles.make_styles(fonts, scale)
                for f in dataclasses.fields(kept):
                    value = getattr(kept, f.name)
                    if hasattr(value, "__dict__") and f.name not in ("fonts", "parsed"):
                        # less the keys kreport notes on a style when it first keys it
                        attrs = {k: v for k, v in vars(value).items() if k[:9] != "_kreport_"}
                        shot[(f"{fonts.regular.name} {f.name}", scale)] = attrs
        return shot

    before = snapshot()
    for name in kreport.example_names():
        raw = tomllib.loads(kreport.example_path(name).read_text(encoding="utf-8"))
        title = raw.get("title")
        for lang in [None, *(title if isinstance(title, dict) else ())]:
            kreport.build_bytes(kreport.example_path(name), language=lang)
    for script in ("en", "zh"):
        kreport.build_bytes(maximal(script))
    assert snapshot() == before
