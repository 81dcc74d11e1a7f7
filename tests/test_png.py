"""PNG export: the page as the PDF draws it, at the asked resolution, small and reproducible."""

from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import kreport
from helpers import run
from kreport.api import Paper
from kreport.deliver.png import DEFAULT_PPI, build_png, pdf_to_png, png_export, reduce
from pdfread import render_png


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


A4 = (210 / 25.4 * 72, 297 / 25.4 * 72)  # in points
LETTER = (8.5 * 72, 11 * 72)


@pytest.mark.parametrize(("paper", "ppi"), [("a4", 144), ("a4", 72), ("letter", 100)])
def test_png_has_the_page_size_at_the_asked_resolution(paper: Paper, ppi: int) -> None:
    pdf = kreport.build_bytes(kreport.example_path("singapore"), paper=paper)
    image = _open(pdf_to_png(pdf, ppi))
    width, height = A4 if paper == "a4" else LETTER
    # a part pixel at the edge is kept: A4 at 72 ppi (595.28 x 841.89 pt) is 596 x 842 pixels
    assert image.size == (math.ceil(width * ppi / 72), math.ceil(height * ppi / 72))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == ppi  # prints at the page's own size


def test_png_is_small_and_uses_a_palette(built: dict[str, bytes]) -> None:
    for key in ("karamay-en", "karamay-zh", "jieyang-zh"):
        data = pdf_to_png(built[key], DEFAULT_PPI)
        full = io.BytesIO()
        render_png(built[key], DEFAULT_PPI / 72).save(full, "PNG", optimize=True)
        assert _open(data).mode == "P", key
        assert len(data) < 120_000, key
        assert len(data) < len(full.getvalue()) / 2, key  # the palette more than halves it


def test_png_bytes_are_reproducible(built: dict[str, bytes]) -> None:
    first = pdf_to_png(built["karamay-zh"])
    again = pdf_to_png(kreport.build_bytes(kreport.example_path("karamay"), language="zh"))
    assert first == again


def test_png_agrees_with_the_pdf_rendering_pixel_for_pixel(built: dict[str, bytes]) -> None:
    """Against PDFium's own full-colour render of the PDF: the palette moves no pixel visibly.

    Measured on the examples: ~98.5% of pixels exact, 99% within 1 level of 255, 99.9% within
    7; only a few isolated edge shades (at most ~70 levels) merge with a neighbouring colour.
    """
    for key in ("karamay-en", "jieyang-zh"):
        png = np.asarray(_open(pdf_to_png(built[key], 144)).convert("RGB"), dtype=int)
        ref = np.asarray(render_png(built[key], 2.0), dtype=int)
        assert png.shape == ref.shape
        diff = np.abs(png - ref).max(axis=2)
        assert np.abs(png - ref).mean() < 0.1, key
        assert np.percentile(diff, 99) <= 2, key
        assert np.percentile(diff, 99.9) <= 12, key
        assert (ref.min(axis=2) < 128).sum() > 10_000  # the page has ink: not a blank match


def test_png_agreement_check_can_fail(built: dict[str, bytes]) -> None:
    """The same measures tell pages apart: another edition fails them by far."""
    en = np.asarray(_open(pdf_to_png(built["karamay-en"], 72)).convert("RGB"), dtype=int)
    zh = np.asarray(render_png(built["karamay-zh"], 1.0), dtype=int)
    diff = np.abs(en - zh).max(axis=2)
    assert np.abs(en - zh).mean() > 1
    assert np.percentile(diff, 99.9) > 12


def test_a_photo_like_page_keeps_every_colour() -> None:
    """A palette would band a gradient visibly: then the PNG stays full colour."""
    x = np.linspace(0, 255, 400)
    gradient = np.stack([*np.meshgrid(x, x), np.full((400, 400), 128.0)], axis=2)
    image = Image.fromarray(gradient.astype("uint8"), "RGB")
    assert reduce(image).mode == "RGB"
    flat = Image.new("RGB", (50, 50), (255, 255, 255))
    assert reduce(flat).mode == "P"


def test_unreadable_pdf_and_bad_ppi_are_clear_errors() -> None:
    with pytest.raises(kreport.KreportError, match="cannot render the PDF as PNG"):
        pdf_to_png(b"not a pdf")
    with pytest.raises(kreport.KreportError, match="ppi must be between 18 and 600, got 1000"):
        png_export(1000)


def test_build_png_writes_the_file(tmp_path: Path) -> None:
    out = build_png(kreport.example_path("karamay"), tmp_path / "k.png", ppi=72)
    assert _open(out.read_bytes()).size == (596, 842)


def test_cli_build_png_default_name_and_ppi(in_tmp: Path) -> None:
    result = run("build", "-f", "png", "--ppi", "72")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(Path("out/karamay-2023-jan-apr.png"))
    assert _open((in_tmp / "out/karamay-2023-jan-apr.png").read_bytes()).size == (596, 842)
    assert not list((in_tmp / "out").glob("*.pdf"))


def test_cli_png_format_from_the_output_name(in_tmp: Path) -> None:
    result = run("build", "--lang", "zh", "-o", "page.png")
    assert result.exit_code == 0, result.stderr
    assert _open((in_tmp / "page.png").read_bytes()).size == (1191, 1684)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "png", "-o", "x.pdf"], "-f png contradicts -o x.pdf"),
        (["--ppi", "100"], "--ppi applies to PNG output"),
        (["-f", "png", "--ppi", "5000"], "5000 is not in the range 18<=x<=600"),
    ],
)
def test_cli_contradictory_png_options_are_usage_errors(
    in_tmp: Path, args: list[str], message: str
) -> None:
    result = run("build", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (in_tmp / "out").exists()


def test_cli_batch_png_writes_one_png_per_input(in_tmp: Path) -> None:
    for name in ("karamay", "singapore"):
        shutil.copy(kreport.example_path(name), in_tmp / f"{name}.toml")
    result = run(
        "build", "karamay.toml", "singapore.toml", "-f", "png", "--ppi", "50", "-o", "png/"
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (in_tmp / "png").iterdir()) == ["karamay.png", "singapore.png"]
    assert "PNGs in png" in result.stderr
    single = pdf_to_png(kreport.build_bytes(in_tmp / "singapore.toml"), 50)
    assert (in_tmp / "png/singapore.png").read_bytes() == single


@pytest.mark.slow
def test_png_batch_in_worker_processes_matches_one_process(in_tmp: Path) -> None:
    """The PNG export reaches worker processes (pickled) and gives the same bytes there."""
    for name in ("karamay", "singapore"):
        shutil.copy(kreport.example_path(name), in_tmp / f"{name}.toml")
    inputs = ["karamay.toml", "singapore.toml"]
    one = run("build", *inputs, "-f", "png", "--ppi", "40", "-o", "one", "--jobs", "1")
    two = run("build", *inputs, "-f", "png", "--ppi", "40", "-o", "two", "--jobs", "2")
    assert one.exit_code == 0, one.stderr
    assert two.exit_code == 0, two.stderr
    for name in ("karamay.png", "singapore.png"):
        assert (in_tmp / "one" / name).read_bytes() == (in_tmp / "two" / name).read_bytes()
