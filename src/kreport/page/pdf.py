"""Turn a ``PageLayout`` into the bytes of a one-page PDF: tagged (PDF/UA-1), PDF/A-2b on request.

The canvas records the page's structure while the story draws (``tags``); before the file is
written it adds the structure tree, the XMP metadata and, for PDF/A, the output intent
(``pdfa``). ``pack`` then writes the objects as a compact file with an ID from its content.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import time
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFPage, TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .._env import source_date_epoch
from .._version import __version__
from ..errors import LayoutError
from ..model import bcp47
from . import pdfa as archive
from .layout import PageLayout
from .pack import pack
from .structure import write_tree
from .tags import Tagger


def creation_time(issued: dt.date | None) -> float:
    """Seconds since the epoch for the PDF's dates: ``issued``, else SOURCE_DATE_EPOCH, else today.

    Midnight UTC, never the clock time, so rebuilding the same data the same day gives the same
    bytes; set ``issued`` or SOURCE_DATE_EPOCH for builds identical on any day.
    """
    epoch = source_date_epoch()  # checked even if unused: reportlab reads it too
    if issued is not None:
        return dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC).timestamp()
    if epoch is not None:
        return float(epoch)
    today = dt.datetime.now(dt.UTC).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()


class _Canvas(Canvas):  # type: ignore[misc]
    """reportlab's canvas, dated ``stamp``, tagging what it draws (``tagged``), archival
    (``pdfa``), writing the packed file, its metadata in ``xmp_lang``. One class for every
    page: ``render`` passes its settings with ``functools.partial``, as a class made per page
    would cost its creation and leave a cycle for the collector. (Not ``lang``: reportlab
    passes the canvas its own ``lang``.)"""

    def __init__(
        self, *args: Any, stamp: float, xmp_lang: str, tagged: bool, pdfa: bool, **kwargs: Any
    ) -> None:
        kwargs["invariant"] = 1
        kwargs["pdfVersion"] = (1, 7)  # PDF/UA-1 and PDF/A-2 are both built on PDF 1.7
        super().__init__(*args, **kwargs)
        ts = TimeStamp(invariant=1)
        ts.t, ts.lt = stamp, time.gmtime(stamp)
        ts.YMDhms = tuple(ts.lt)[:6]
        self._doc._timeStamp = ts
        self._stamp, self._xmp_lang, self._pdfa = stamp, xmp_lang, pdfa
        self.tagger = Tagger() if tagged else None
        self._texts: list[Any] = []  # see _free

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        text = super().beginText(x, y, direction)
        self._texts.append(text)
        return text

    def showPage(self) -> None:
        if self.tagger is not None:
            self.tagger.finish(self)
        if self._pdfa:
            archive.check_glyphs(self._code)
        super().showPage()
        if self.tagger is not None:
            page = self._doc.Pages.pages[-1]
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = 0
            page.Tabs = PDFName("S")

    def save(self) -> None:
        doc = self._doc
        cat = doc.Catalog
        if self.tagger is not None and doc.Pages.pages:
            cat.Metadata = archive.metadata(doc, self._stamp, self._xmp_lang, self._pdfa)
            cat.StructTreeRoot = write_tree(doc, self.tagger, doc.Pages.pages[0])
            cat.MarkInfo = PDFDictionary({"Marked": b"true"})
        if self._pdfa:
            cat.__NoDefault__ = [*cat.__NoDefault__, "OutputIntents"]
            cat.OutputIntents = archive.output_intent()
        if self._code:
            self.showPage()
        self._filename.write(pack(doc, self))  # not reportlab's file: packed from its objects


def render(layout: PageLayout, *, pdfa: bool = False, tagged: bool = True) -> bytes:
    """The PDF of ``layout``: exactly one page, or a ``LayoutError``.

    Tagged for accessibility unless ``tagged`` is false (kept for measuring what tagging
    costs); ``pdfa`` makes it PDF/A-2b as well."""
    b = layout.briefing
    buf = io.BytesIO()
    x, y, w, h = layout.frame
    lang = bcp47(b.language)
    doc = BaseDocTemplate(
        buf,
        pagesize=layout.page_size,
        title=b.title,
        author=b.agency,
        subject=f"{b.period}" + (f" / {b.baseline}" if b.baseline else ""),
        creator=f"kreport {__version__}",
        producer=f"kreport {__version__}",
        lang=lang,
        invariant=1,
        initialFontName=layout.fonts.regular.name,
        displayDocTitle=1,
    )

    def on_page(canvas: Canvas, _doc: Any) -> None:
        if canvas.getPageNumber() > 1:
            raise LayoutError("the content overflowed onto a second page")

    def on_page_end(canvas: Canvas, _doc: Any) -> None:
        # the footer is drawn last, so that the page paints in the order it is read
        for f in layout.footer:
            _, fh = f.wrap(w, layout.frame[1])
            f.drawOn(canvas, x, y - 8 - fh)

    frame = Frame(
        x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body"
    )
    template = PageTemplate(id="page", frames=[frame], onPage=on_page, onPageEnd=on_page_end)
    doc.addPageTemplates([template])
    stamp = creation_time(b.issued)
    maker = functools.partial(_Canvas, stamp=stamp, xmp_lang=lang, tagged=tagged or pdfa, pdfa=pdfa)
    try:
        doc.build(list(layout.story), canvasmaker=maker)
    finally:
        _free(doc)
    if doc.page != 1:
        raise LayoutError(f"the content needed {doc.page} pages")
    return buf.getvalue()


def _free(doc: BaseDocTemplate) -> None:
    """Break the cycles a build leaves, so that its objects are freed as soon as ``render``
    returns: left to the cycle collector, a page's few hundred objects make it walk, every few
    pages, every object the process holds (a millisecond a page, with matplotlib loaded).

    The template's namespace and its canvas refer to the template; a paragraph's text object
    may refer to itself (reportlab binds a line-drawing method to it), and to the canvas and
    the document that holds all the file's objects. Canvas and document are spent once saved."""
    doc._nameSpace.clear()
    canv = doc.__dict__.pop("canv", None)
    if canv is not None:
        for text in canv.__dict__.get("_texts", ()):
            text.__dict__.clear()
        pdf = canv.__dict__.get("_doc")
        canv.__dict__.clear()
        if pdf is not None:
            pdf.__dict__.clear()
