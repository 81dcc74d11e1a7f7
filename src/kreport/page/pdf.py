"""Turn a ``PageLayout`` into the bytes of a one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from typing import Any

from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .._version import __version__
from ..errors import LayoutError
from ..model import bcp47
from .layout import PageLayout


def creation_time(issued: dt.date | None) -> float:
    """Seconds since the epoch for the PDF's dates: ``issued``, else SOURCE_DATE_EPOCH, else today.

    Midnight UTC, never the clock time, so rebuilding the same data the same day gives the same
    bytes; set ``issued`` or SOURCE_DATE_EPOCH for builds identical on any day.
    """
    if issued is not None:
        return dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC).timestamp()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return float(epoch)
    today = dt.datetime.now(dt.UTC).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()


def _canvas_maker(stamp: float) -> type[Canvas]:
    class _Canvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            ts = TimeStamp(invariant=1)
            ts.t, ts.lt = stamp, time.gmtime(stamp)
            ts.YMDhms = tuple(ts.lt)[:6]
            self._doc._timeStamp = ts

    return _Canvas


def render(layout: PageLayout) -> bytes:
    """The PDF of ``layout``: exactly one page, or a ``LayoutError``."""
    b = layout.briefing
    buf = io.BytesIO()
    x, y, w, h = layout.frame
    doc = BaseDocTemplate(
        buf,
        pagesize=layout.page_size,
        title=b.title,
        author=b.agency,
        subject=f"{b.period}" + (f" / {b.baseline}" if b.baseline else ""),
        creator=f"kreport {__version__}",
        producer=f"kreport {__version__}",
        lang=bcp47(b.language),
        invariant=1,
        initialFontName=layout.fonts.regular.name,
        displayDocTitle=1,
    )

    def on_page(canvas: Canvas, _doc: Any) -> None:
        if canvas.getPageNumber() > 1:
            raise LayoutError("the content overflowed onto a second page")
        for f in layout.footer:
            _, fh = f.wrap(w, layout.frame[1])
            f.drawOn(canvas, x, y - 8 - fh)

    frame = Frame(
        x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body"
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(list(layout.story), canvasmaker=_canvas_maker(creation_time(b.issued)))
    if doc.page != 1:
        raise LayoutError(f"the content needed {doc.page} pages")
    return buf.getvalue()
