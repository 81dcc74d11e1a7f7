"""Render the Karamay pages (English, Chinese) and the Hong Kong page side by side.

Run after a change to the page: ``python tests/make_readme_image.py``.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

import kreport

ROOT = Path(__file__).parent.parent
TARGET = ROOT / "assets" / "examples.png"
PAGES = [("karamay", "en"), ("karamay", "zh"), ("hongkong", "zh-HK")]
PAGE_WIDTH = 600  # pixels per page; three pages and four margins make about 1880
MARGIN = 20
BORDER = "#C8CED6"


def page(name: str, language: str) -> Image.Image:
    pdf = kreport.build_bytes(kreport.example_path(name), language=language)
    doc = pdfium.PdfDocument(pdf)
    try:
        # render larger and shrink: smoother text than rendering at the final size
        image = doc[0].render(scale=2 * PAGE_WIDTH / 595.28).to_pil().convert("RGB")
    finally:
        doc.close()
    return image.resize((PAGE_WIDTH, round(image.height * PAGE_WIDTH / image.width)), Image.LANCZOS)


def side_by_side(*images: Image.Image) -> Image.Image:
    height = max(image.height for image in images)
    width = (len(images) + 1) * MARGIN + sum(image.width for image in images)
    sheet = Image.new("RGB", (width, 2 * MARGIN + height), "white")
    draw = ImageDraw.Draw(sheet)
    x = MARGIN
    for image in images:
        sheet.paste(image, (x, MARGIN))
        # a thin frame shows where each white page ends on a white background
        draw.rectangle((x - 1, MARGIN - 1, x + image.width, MARGIN + image.height), outline=BORDER)
        x += image.width + MARGIN
    return sheet


def main() -> Path:
    TARGET.parent.mkdir(exist_ok=True)
    side_by_side(*(page(name, lang) for name, lang in PAGES)).save(TARGET, optimize=True)
    return TARGET


if __name__ == "__main__":
    print(main())
