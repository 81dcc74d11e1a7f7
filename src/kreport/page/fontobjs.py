"""A TrueType font's subsets -> the PDF objects reportlab's ``TTFont.addObjects`` adds for them.

The same objects, named and numbered in the same order, with two steps made cheaper: a subset's
file is written by ``subset.make_subset`` (kept by its face, as reportlab's would be), and its
ToUnicode map's text is kept, as a batch's pages repeat their subsets. A shortcut
(``checked.py``): under an unchecked reportlab, or for a font of another class, reportlab adds
the objects itself; tests build pages both ways and compare the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
)

from .._kept import Kept
from ..fontcache import CachedFace
from . import checked
from .subset import make_subset

_CMAPS: Kept[tuple[str, tuple[int, ...]], str] = Kept(256)
"""(a subset's font name, its characters) -> its ToUnicode map, as reportlab writes it."""


def add_objects(font: Any, doc: Any) -> None:
    """``font.addObjects(doc)``: its subsets' objects added to reportlab document ``doc``."""
    if not checked.SHORTCUTS or type(font) is not TTFont:
        font.addObjects(doc)
        return
    try:
        state = font.state[doc]
    except KeyError:
        state = font.state[doc] = TTFont.State(font._asciiReadable)
    state.frozen = 1
    face = font.face
    fonts = doc.idToObject["BasicFonts"].dict
    for n, subset in enumerate(state.subsets):
        internal = font.getSubsetInternalName(n, doc)[1:]
        base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.__Comment__ = f"Font {font.fontName} subset {n:d}"
        pdf_font.Name = internal
        pdf_font.BaseFont = base
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = pdfdoc.PDFArray(_widths(face, subset))
        cmap = pdfdoc.PDFStream()
        cmap.content = _cmap(base, subset)
        if doc.compression:
            cmap.filters = [pdfdoc.PDFZCompress]
        pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base)
        pdf_font.FontDescriptor = _descriptor(face, doc, base, subset)
        doc.Reference(pdf_font, internal)
        fonts[internal] = pdf_font
    del font.state[doc]


def _widths(face: Any, subset: Sequence[int]) -> list[Any]:
    """``face.getCharWidth`` of each character: reportlab's looked up without its method."""
    if type(face).getCharWidth is not TTFontFace.getCharWidth:
        return list(map(face.getCharWidth, subset))
    get, missing = face.charWidths.get, face.defaultWidth
    return [get(c, missing) for c in subset]


def _cmap(name: str, subset: Sequence[int]) -> str:
    key = (name, tuple(subset))
    found = _CMAPS.get(key)
    if found is None:
        found = makeToUnicodeCMap(name, subset)
        _CMAPS.put(key, found)
    return found


def _descriptor(face: Any, doc: Any, name: str, subset: Sequence[int]) -> Any:
    """``face.addSubsetObjects(doc, name, subset)``: the subset's file and descriptor."""
    font_file = pdfdoc.PDFStream()
    if isinstance(face, CachedFace):
        font_file.content = face.makeSubset(subset, make=make_subset)
    else:
        font_file.content = make_subset(face, subset)
    font_file.dictionary["Length1"] = len(font_file.content)
    if doc.compression:
        font_file.filters = [pdfdoc.PDFZCompress]
    file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({name})")
    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(name),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": file_ref,
            "MissingWidth": face.defaultWidth,
        }
    )
    return doc.Reference(descriptor, "fontDescriptor:" + name)


__all__ = ["add_objects"]
