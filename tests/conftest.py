"""Shared fixtures: built PDFs of the bundled examples, read back with independent readers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import kreport
from pdfread import PdfFacts, read_pdf

OUTPUT = Path(__file__).parent / "output"

# Property tests run under the "ci" profile by default (modest, so the suite stays fast);
# HYPOTHESIS_PROFILE=thorough runs many more examples. Tests that fix max_examples keep theirs.
# The default run is derandomized so that CI is repeatable; HYPOTHESIS_PROFILE=thorough explores
# with fresh random examples (and should be run after changes to validation or layout).
settings.register_profile("ci", max_examples=60, deadline=None, database=None, derandomize=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-baselines",
        action="store_true",
        help="rewrite the visual baseline PNGs instead of comparing against them",
    )


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside its own empty folder (relative paths and out/ land there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def built() -> dict[str, bytes]:
    """PDF bytes of every bundled example in each language it carries."""
    out = {}
    for name, lang in [
        ("karamay", "en"),
        ("karamay", "zh"),
        ("singapore", "en"),
        ("jieyang", "zh"),
        ("jieyang", "en"),
        ("hongkong", "zh-HK"),
        ("hongkong", "zh-TW"),
        ("hongkong", "zh-MO"),
        ("hongkong", "zh-Hant"),
    ]:
        out[f"{name}-{lang}"] = kreport.build_bytes(kreport.example_path(name), language=lang)
    return out


@pytest.fixture(scope="session")
def facts(built: dict[str, bytes]) -> dict[str, PdfFacts]:
    """What the independent readers found in each built example (read once per session)."""
    return {key: read_pdf(data) for key, data in built.items()}


@pytest.fixture(scope="session")
def regen_baselines(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-baselines"))
