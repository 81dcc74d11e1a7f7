"""The logo drawn from a per-process XObject is what reportlab's drawImage draws, byte for byte."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from kreport.model import Logo
from kreport.page.images import draw_logo


def _logo(mode: str, seed: int) -> Logo:
    rng = random.Random(seed)
    w, h = 37, 23
    pixels = bytes(rng.randrange(256) for _ in range(w * h * len(mode)))
    return Logo(mode, (w, h), pixels)  # type: ignore[arg-type]


def _page(draw: object, logo: Logo, times: int = 1) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    for i in range(times):
        c.saveState()
        c.translate(50 + 100 * i, 600)
        draw(c, logo)  # type: ignore[operator]
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _reportlab(c: Canvas, logo: Logo) -> None:
    image = Image.frombytes(logo.mode, logo.size, logo.pixels)
    mask = "auto" if logo.mode == "RGBA" else None
    c.drawImage(ImageReader(image), 0, 0, 80, 50, mask=mask)


def _ours(c: Canvas, logo: Logo) -> None:
    draw_logo(c, logo, 80, 50)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_same_bytes_as_draw_image(mode: str) -> None:
    logo = _logo(mode, 1)
    expected = _page(_reportlab, logo)
    assert b"/SMask" in expected if mode == "RGBA" else b"/SMask" not in expected
    assert _page(_ours, logo) == expected
    assert _page(_ours, logo) == expected  # again, from the cached XObject
    assert _page(_ours, logo, times=2) == _page(_reportlab, logo, times=2)  # drawn twice: one


def test_another_logo_is_another_image() -> None:
    a, b = _logo("RGB", 2), _logo("RGB", 3)
    assert _page(_ours, a) == _page(_reportlab, a)
    assert _page(_ours, b) == _page(_reportlab, b)
    assert _page(_ours, a) != _page(_ours, b)
