"""Pixels: page 1 rendered by PDFium, compared with committed baselines within a tolerance.

After an intended change to the page, rewrite the baselines with ``pytest --regen-baselines``,
look at them, and commit them with the change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw

import kreport
from kreport.source.load import load
from pdfread import render_png

BASELINES = Path(__file__).parent / "baselines"
OUTPUT = Path(__file__).parent / "output"
SCALE = 1.0  # 72 dpi: an A4 page is 596 x 842 pixels
TOLERANCE = 1.0
"""RMS difference (0-255 levels, over the whole page) allowed. Measured: a key figure changed
from 151 to 181 gives 1.24, a page shifted by one pixel 20, a removed highlight 6.5; the same
PDF rendered twice gives 0. Anti-aliasing noise from another PDFium build stays well below."""

PAGES = [
    ("karamay", "en"),
    ("karamay", "zh"),
    ("singapore", "en"),
    # every Chinese edition: the same Traditional briefing in each place's words
    ("hongkong", "zh-HK"),
    ("hongkong", "zh-TW"),
    ("hongkong", "zh-MO"),
    ("hongkong", "zh-Hant"),
]


def rms(a: Image.Image, b: Image.Image) -> float:
    """Root-mean-square difference per channel; infinite when the sizes differ."""
    if a.size != b.size:
        return float("inf")
    x = np.asarray(a.convert("RGB"), dtype=np.float64)
    y = np.asarray(b.convert("RGB"), dtype=np.float64)
    return float(np.sqrt(np.mean((x - y) ** 2)))


def diff_image(a: Image.Image, b: Image.Image) -> Image.Image:
    """Differences amplified so that anti-aliasing noise is visible next to real changes."""
    if a.size != b.size:
        b = b.resize(a.size)
    delta = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    return delta.point(lambda v: min(255, v * 8))


def compare(name: str, actual: Image.Image, regen: bool) -> None:
    baseline = BASELINES / f"{name}.png"
    if regen:
        BASELINES.mkdir(exist_ok=True)
        actual.save(baseline, optimize=True)
        return
    assert baseline.is_file(), f"no baseline {baseline}; create it with pytest --regen-baselines"
    expected = Image.open(baseline)
    distance = rms(actual, expected)
    if distance > TOLERANCE:
        OUTPUT.mkdir(exist_ok=True)
        actual.save(OUTPUT / f"{name}-actual.png")
        diff_image(actual, expected).save(OUTPUT / f"{name}-diff.png")
        pytest.fail(
            f"{name}: RMS difference {distance:.2f} > {TOLERANCE} from {baseline}; see "
            f"{OUTPUT / (name + '-actual.png')} and {OUTPUT / (name + '-diff.png')}. If the "
            "change is intended, rerun with --regen-baselines and commit the new baseline."
        )


@pytest.mark.parametrize(("name", "lang"), PAGES)
def test_page_matches_baseline(
    built: dict[str, bytes], regen_baselines: bool, name: str, lang: str
) -> None:
    image = render_png(built[f"{name}-{lang}"], SCALE)
    assert abs(image.width - 595.28 * SCALE) < 1 and abs(image.height - 841.89 * SCALE) < 1
    compare(f"{name}-{lang}", image, regen_baselines)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_block_page_matches_baseline(regen_baselines: bool, lang: str, paper: str) -> None:
    """The synthetic example with every block: logo, trend, ranking, both measures, advice."""
    pdf = kreport.build_bytes(kreport.example_path("example-city"), language=lang, paper=paper)
    image = render_png(pdf, SCALE)
    compare(f"example-city-{lang}-{paper}", image, regen_baselines)


def test_rms_of_identical_images_is_zero(built: dict[str, bytes]) -> None:
    image = render_png(built["karamay-en"], SCALE)
    assert rms(image, image.copy()) == 0.0
    assert rms(image, image.resize((100, 100))) == float("inf")


def test_a_changed_figure_exceeds_the_tolerance(built: dict[str, bytes]) -> None:
    """The comparison can fail: one published number changed (151 -> 181) is caught."""
    data = load(kreport.example_path("karamay"))
    metrics = [dict(m) for m in data["metrics"]]
    metrics[2]["value"] = 181
    changed = kreport.build_bytes({**data, "metrics": metrics})
    original = render_png(built["karamay-en"], SCALE)
    assert rms(render_png(changed, SCALE), original) > TOLERANCE


def test_a_covered_block_exceeds_the_tolerance(built: dict[str, bytes]) -> None:
    image = render_png(built["karamay-zh"], SCALE)
    perturbed = image.copy()
    ImageDraw.Draw(perturbed).rectangle((45, 120, 200, 180), fill="white")  # hide a key figure
    assert rms(perturbed, image) > TOLERANCE
    assert rms(diff_image(perturbed, image), Image.new("RGB", image.size)) > 0
