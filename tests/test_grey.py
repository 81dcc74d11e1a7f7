"""Meaning survives a black-and-white printer and colour blindness: measured from renders.

Each page is rendered by PDFium, the pixels painted in each meaningful tone are found in the
colour render, and the same pixels are read in a greyscale copy (luma, as an office laser
printer converts) and in a deuteranopia simulation.
"""

from __future__ import annotations

import io
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from reportlab.pdfgen.canvas import Canvas

import kreport
from kreport.fonts import CJK, LATIN
from kreport.page.marks import ChangeText
from kreport.page.palette import (
    BAD,
    GOOD,
    LAST_YEAR,
    NEUTRAL,
    OTHER,
    THIS_PERIOD,
    Tone,
)
from pdfread import missing_from, read_pdf, render_png

GALLERY = Path(__file__).parent / "data" / "gallery"
SCALE = 3.0
MARGIN = 40  # grey levels (of 255) that tones meaning different things must differ by


def rgb(hexcode: str) -> np.ndarray:
    return np.array([int(hexcode[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)


def mask_of(image: np.ndarray, hexcode: str, tolerance: int = 6) -> np.ndarray:
    """Pixels painted in ``hexcode`` (anti-aliased edges excluded by the tolerance)."""
    return np.all(np.abs(image.astype(np.int16) - rgb(hexcode)) <= tolerance, axis=2)


def render(pdf: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The page in colour (RGB) and as a grey printer would print it (luma, 0-255)."""
    image = render_png(pdf, SCALE).convert("RGB")
    return np.asarray(image), np.asarray(image.convert("L"))


def grey_of(colour: np.ndarray, grey: np.ndarray, tone: Tone) -> float:
    mask = mask_of(colour, tone.fill)
    assert mask.sum() > 200, f"{tone.fill} is not on the page"
    return float(np.median(grey[mask]))


@pytest.fixture(scope="module")
def mixed() -> tuple[np.ndarray, np.ndarray]:
    return render(kreport.build_bytes(GALLERY / "mixed-changes.toml"))


def test_better_worse_and_no_judgement_differ_in_grey(mixed: tuple[np.ndarray, ...]) -> None:
    colour, grey = mixed
    levels = {
        name: grey_of(colour, grey, t)
        for name, t in (("better", GOOD), ("worse", BAD), ("none", NEUTRAL))
    }
    assert levels["better"] + MARGIN <= levels["worse"], levels
    assert levels["worse"] + MARGIN <= levels["none"], levels


def blobs(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """Connected regions of ``mask``: (top, left, bottom, right, pixel count), 4-connected."""
    seen = np.zeros_like(mask)
    out = []
    for y, x in zip(*np.nonzero(mask), strict=True):
        if seen[y, x]:
            continue
        queue, box, count = deque([(y, x)]), [y, x, y, x], 0
        seen[y, x] = True
        while queue:
            cy, cx = queue.popleft()
            count += 1
            box = [min(box[0], cy), min(box[1], cx), max(box[2], cy), max(box[3], cx)]
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                inside = 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1]
                if inside and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    queue.append((ny, nx))
        out.append((box[0], box[1], box[2], box[3], count))
    return out


def bars(colour: np.ndarray, tone: Tone) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the chart bars in ``tone``: wide, flat regions (arrows are small)."""
    mask = mask_of(colour, tone.fill)
    out = []
    for top, left, bottom, right, _ in blobs(mask):
        if right - left > 40 and 10 < bottom - top < 60:
            out.append((top, left, bottom, right))
    return out


def test_worse_bars_are_striped_better_bars_solid(mixed: tuple[np.ndarray, ...]) -> None:
    """The second cue: white stripes across a worse bar, none across a better one."""
    colour, _ = mixed
    white = np.all(colour >= 170, axis=2)  # stripes are thin: anti-aliased, rarely pure white

    def white_share(tone: Tone) -> float:
        # along the page row most painted in the tone (through its longest bar), the share of
        # white between the first and the last pixel of the tone
        mask = mask_of(colour, tone.fill)
        y = int(np.argmax(mask.sum(axis=1)))
        xs = np.nonzero(mask[y])[0]
        assert xs.size > 100, f"no {tone.fill} bar found"
        return float(white[y, xs.min() : xs.max()].mean())

    assert white_share(GOOD) < 0.02
    assert 0.08 < white_share(BAD) < 0.7  # measured 0.15 at 216 dpi


def test_no_judgement_bars_are_outlined(mixed: tuple[np.ndarray, ...]) -> None:
    colour, _ = mixed
    assert NEUTRAL.edge is not None
    edge = mask_of(colour, NEUTRAL.edge, tolerance=40)
    [(top, left, bottom, right)] = bars(colour, NEUTRAL)
    ring = edge[top - 4 : bottom + 5, left - 4 : right + 5].copy()
    ring[6:-6, 6:-6] = False
    assert ring.sum() > 2 * (right - left)  # above and below the bar, most of its length


def deuteranopia(image: np.ndarray) -> np.ndarray:
    """Machado, Oliveira and Fernandes (2009), severity 1.0, applied in linear RGB."""
    m = np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    )
    lin = (image / 255.0) ** 2.2
    out = np.clip(lin @ m.T, 0, 1) ** (1 / 2.2)
    return np.asarray(out * 255)


@pytest.mark.parametrize(
    ("a", "b"), [(GOOD, BAD), (BAD, NEUTRAL), (GOOD, NEUTRAL), (THIS_PERIOD, LAST_YEAR)]
)
def test_tones_stay_apart_with_deuteranopia(a: Tone, b: Tone) -> None:
    pair = np.array([[rgb(a.fill), rgb(b.fill)]], dtype=np.float64)
    seen = deuteranopia(pair)[0]
    assert np.linalg.norm(seen[0] - seen[1]) > 60


def test_fraud_type_bars_are_neutral_and_last_year_lighter() -> None:
    colour, grey = render(kreport.build_bytes(kreport.example_path("singapore")))
    assert grey_of(colour, grey, THIS_PERIOD) + MARGIN <= grey_of(colour, grey, LAST_YEAR)
    assert THIS_PERIOD.fill not in (GOOD.fill, BAD.fill)
    # no bar of the type chart is painted in the good-news colour
    assert not bars(colour[:, colour.shape[1] // 2 :], GOOD)


def test_folded_other_row_is_lighter_than_the_types() -> None:
    data = {
        "title": "t",
        "agency": "a",
        "period": "p",
        "fraud_types": [{"label": f"Type {i}", "cases": 100 + i} for i in range(30)],
    }
    colour, grey = render(kreport.build_bytes(data))
    assert grey_of(colour, grey, THIS_PERIOD) + MARGIN <= grey_of(colour, grey, OTHER)


def test_a_key_says_what_the_colours_mean_whenever_they_mean_something() -> None:
    f = read_pdf(kreport.build_bytes(GALLERY / "mixed-changes.toml"))
    assert missing_from(f, ["Better", "Worse", "No judgement"]) == []
    data = {
        "title": "t",
        "agency": "a",
        "period": "p",
        "metrics": [
            {"label": "x", "value": 5, "previous": 4},
            {"label": "y", "value": 3, "previous": 4},
        ],
    }
    plain = read_pdf(kreport.build_bytes(data))
    assert "Better" not in plain.text and "No judgement" not in plain.text


def test_arrows_are_the_same_size_in_every_language() -> None:
    """Shapes, not glyphs: the Chinese face's ▲ is half the size of DejaVu's; a shape is not."""
    for fonts in (LATIN, CJK):
        fonts.register()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(300, 100))
    for x, fonts in ((20, LATIN), (160, CJK)):
        arrow = ChangeText("up", GOOD, "171%", fonts.regular.name, 12)
        arrow.wrapOn(c, 120, 40)
        arrow.drawOn(c, x, 40)
    c.save()
    colour = np.asarray(render_png(buf.getvalue(), 4.0).convert("RGB"))
    sizes = sorted(
        (bot - top, r - left) for top, left, bot, r, _ in blobs(mask_of(colour, GOOD.fill))
    )
    assert len(sizes) == 2
    assert sizes[0] == sizes[1]
    assert sizes[0][0] > 4 * 12 * 0.5  # at least half the text size tall
    text = read_pdf(kreport.build_bytes(kreport.example_path("karamay"), language="zh")).text
    assert "▲" not in text and "▼" not in text  # no glyph arrows left on the page
