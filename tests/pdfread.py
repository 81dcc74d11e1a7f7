"""Read a PDF back with three independent readers and report what they found.

qpdf (via pikepdf) checks the syntax, pypdf reads it in strict mode, PDFium (pypdfium2) renders
and extracts text. Any warning from any of them is a failure.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    page_size: tuple[float, float]
    text: str  # PDFium's extraction
    text_pypdf: str
    fonts: dict[str, bool]  # base font name -> embedded
    images: int  # image XObjects anywhere on the page
    metadata: dict[str, str]
    lang: str | None


def read_pdf(data: bytes) -> PdfFacts:
    """Facts about ``data``; raises AssertionError on any reader's warning or error."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = pdf.check_pdf_syntax() if hasattr(pdf, "check_pdf_syntax") else pdf.check()
        assert not problems, f"qpdf: {problems}"
        fonts: dict[str, bool] = {}
        images = 0
        for page in pdf.pages:
            images += _walk(page.obj.get("/Resources"), fonts, set())
        lang = str(pdf.Root.get("/Lang")) if "/Lang" in pdf.Root else None
        meta = {str(k): str(v) for k, v in pdf.docinfo.items()}
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger("pypdf").addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            reader = PdfReader(io.BytesIO(data), strict=True)
            text_pypdf = "\n".join(p.extract_text() for p in reader.pages)
    finally:
        logging.getLogger("pypdf").removeHandler(handler)
    assert not log.getvalue(), f"pypdf: {log.getvalue()}"
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        size = (page.get_width(), page.get_height())
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
        pages = len(doc)
    finally:
        doc.close()
    return PdfFacts(pages, size, text, text_pypdf, fonts, images, meta, lang)


def _walk(resources: object, fonts: dict[str, bool], seen: set[tuple[int, int]]) -> int:
    """Record fonts and count images in ``resources``, following form XObjects."""
    if not isinstance(resources, pikepdf.Dictionary):
        return 0
    images = 0
    for font in (resources.get("/Font") or {}).values():
        descendants = font.get("/DescendantFonts")
        target = descendants[0] if descendants is not None else font
        descriptor = target.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        fonts[str(font.get("/BaseFont"))] = embedded
    for xobj in (resources.get("/XObject") or {}).values():
        key = xobj.objgen
        if key in seen:
            continue
        seen.add(key)
        if xobj.get("/Subtype") == "/Image":
            images += 1
        elif xobj.get("/Subtype") == "/Form":
            images += _walk(xobj.get("/Resources"), fonts, seen)
    return images


def render_png(data: bytes, scale: float = 1.0) -> Image.Image:
    """The first page as a PIL image, rendered by PDFium."""
    doc = pdfium.PdfDocument(data)
    try:
        image: Image.Image = doc[0].render(scale=scale).to_pil().convert("RGB")
        return image
    finally:
        doc.close()


def squash(text: str) -> str:
    """``text`` without any whitespace: extracted lines break anywhere, Chinese ones mid-word."""
    return "".join(text.split())


def missing_from(facts: PdfFacts, expected: list[str]) -> list[str]:
    """The strings of ``expected`` that either reader's extracted text lacks (whitespace aside)."""
    texts = (squash(facts.text), squash(facts.text_pypdf))
    return [e for e in expected if not all(squash(e) in t for t in texts)]
