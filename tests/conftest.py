"""Shared fixtures: built PDFs of the bundled examples, read back with independent readers."""

from __future__ import annotations

from pathlib import Path

import pytest

import kreport
from pdfread import PdfFacts, read_pdf

OUTPUT = Path(__file__).parent / "output"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-baselines",
        action="store_true",
        help="rewrite the visual baseline PNGs instead of comparing against them",
    )


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
