"""Render the English and Chinese Karamay pages side by side into assets/karamay-en-zh.png.

Run after a change to the page: ``python tests/make_readme_image.py``.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

import kreport

ROOT = Path(__file__).parent.parent
TARGET = ROOT / "assets" / "karamay-en-zh.png"
PAGE_WIDTH = 680  # pixels per page; two pages and three margins make about 1400
MARGIN = 20
BORDER = "#C8CED6"


def page(language: str) -> Image.Image:
    pdf = kreport.build_bytes(kreport.example_path("karamay"), language=language)
    doc = pdfium.PdfDocument(pdf)
    try:
        # render larger and shrink: smoother text than rendering at the final size
        image = doc[0].render(scale=2 * PAGE_WIDTH / 595.28).to_pil().convert("RGB")
    finally:
        doc.close()
    return image.resize((PAGE_WIDTH, round(image.height * PAGE_WIDTH / image.width)), Image.LANCZOS)


def side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    height = max(left.height, right.height)
    sheet = Image.new("RGB", (3 * MARGIN + left.width + right.width, 2 * MARGIN + height), "white")
    draw = ImageDraw.Draw(sheet)
    x = MARGIN
    for image in (left, right):
        sheet.paste(image, (x, MARGIN))
        # a thin frame shows where each white page ends on a white background
        draw.rectangle((x - 1, MARGIN - 1, x + image.width, MARGIN + image.height), outline=BORDER)
        x += image.width + MARGIN
    return sheet


def main() -> Path:
    TARGET.parent.mkdir(exist_ok=True)
    side_by_side(page("en"), page("zh")).save(TARGET, optimize=True)
    return TARGET


if __name__ == "__main__":
    print(main())
