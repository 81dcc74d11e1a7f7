"""Regenerate the SYNTHETIC example's logo: python assets/make_example_logo.py

A made-up emblem (a navy disc, a white shield, a navy check mark), drawn with Pillow at 240 x 240
pixels and written to src/kreport/data/examples/example-city-logo.png. No real agency's mark.
Running it again writes the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from kreport._atomic import write_atomic

TARGET = Path(__file__).resolve().parent.parent / "src/kreport/data/examples/example-city-logo.png"
SIZE = 240
NAVY = (31, 58, 95, 255)


def emblem() -> Image.Image:
    big = SIZE * 4  # drawn large, then scaled down: smooth edges without anti-aliasing support
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.ellipse((8, 8, big - 8, big - 8), fill=NAVY)
    c, top, w = big / 2, big * 0.2, big * 0.28
    shield = [(c - w, top), (c + w, top), (c + w, big * 0.52), (c, big * 0.82), (c - w, big * 0.52)]
    d.polygon(shield, fill=(255, 255, 255, 255))
    d.line(
        [(c - w * 0.5, big * 0.47), (c - w * 0.1, big * 0.6), (c + w * 0.55, big * 0.34)],
        fill=NAVY,
        width=int(big * 0.05),
        joint="curve",
    )
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    buf = io.BytesIO()
    emblem().save(buf, format="PNG", optimize=True)
    write_atomic(buf.getvalue(), TARGET)


if __name__ == "__main__":
    main()
