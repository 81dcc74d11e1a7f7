"""Shared fixtures: built PDFs of the bundled examples, read back with independent readers."""

from __future__ import annotations

from pathlib import Path

import pytest

import kreport

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
