"""Fonts are embedded as reportlab embeds them, byte for byte: a subset's file written by
``page/subset.py`` is reportlab's ``makeSubset``'s, and the objects ``page/fontobjs.py`` adds are
``TTFont.addObjects``'s. Pages are built both ways (with reportlab's own embedding put back and
nothing kept from the faster one) and compared; subsets of any characters, in any order, are
written both ways and compared."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

import bothways
import kreport
from bothways import GALLERY_PAGES
from gallery import maximal
from kreport import fontcache
from kreport._kept import Kept
from kreport.fonts import CJK, LATIN
from kreport.page import fontobjs, pack, subset


def _faces() -> list[Any]:
    for fonts in (LATIN, CJK):
        fonts.register()
    names = (LATIN.regular.name, LATIN.bold.name, CJK.regular.name)
    return [pdfmetrics.getFont(n).face for n in names]


@contextmanager
def reportlab_embedding() -> Iterator[None]:
    """reportlab adds the fonts' objects and writes their subsets, with no subset kept from
    before (a face's kept subsets would otherwise answer for reportlab)."""
    faces = [f for f in _faces() if isinstance(f, fontcache.CachedFace)]
    kept = [f.__dict__.pop("_subsets", None) for f in faces]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pack, "add_objects", lambda font, doc: font.addObjects(doc))
        try:
            yield
        finally:
            for face, subsets in zip(faces, kept, strict=True):
                face.__dict__.pop("_subsets", None)
                if subsets is not None:
                    face.__dict__["_subsets"] = subsets


def test_pages_embed_their_fonts_as_reportlab_does() -> None:
    for name in ("karamay", "jieyang", "hongkong"):
        bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_embedding)


@pytest.mark.slow
@pytest.mark.parametrize("name", kreport.example_names())
def test_every_example_edition_and_paper(name: str) -> None:
    bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_embedding)


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page(path: Path) -> None:
    bothways.assert_every_edition_alike(path, reportlab_embedding)


@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_the_fullest_pages(script: str) -> None:
    for pdfa in (False, True):
        ours = kreport.build_bytes(maximal(script), pdfa=pdfa)
        with reportlab_embedding():
            theirs = kreport.build_bytes(maximal(script), pdfa=pdfa)
        assert ours == theirs, (script, pdfa)


def test_the_faster_embedding_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above compare something: a new subset is written by ``make_subset``."""
    written: list[int] = []
    real = fontobjs.make_subset

    def counted(face: Any, chars: Any) -> bytes:
        written.append(len(chars))
        return real(face, chars)

    monkeypatch.setattr(fontobjs, "make_subset", counted)
    for face in _faces():  # nothing kept: every subset is written
        monkeypatch.setitem(face.__dict__, "_subsets", Kept(1 << 20, weigh=len))
    kreport.build_bytes(kreport.example_path("karamay"), language="zh")
    assert written


@st.composite
def _subsets(draw: st.DrawFn, chars: list[int]) -> list[int]:
    """Characters as reportlab lists a subset's: some the face has (composite glyphs among
    them), some it has not, a few repeated (reportlab pads the first subset with code 0)."""
    picked = draw(st.lists(st.sampled_from(chars), min_size=1, max_size=255))
    missing = draw(st.lists(st.integers(0, 0x10FFFF), max_size=4))
    zeros = draw(st.integers(0, 40))
    order = draw(st.permutations([*picked, *missing]))
    return [0] * zeros + list(order)


@functools.cache
def _chars(which: int) -> list[int]:
    """Characters of face ``which`` to pick from: the first and last it maps, and the first of
    those drawn by composite glyphs."""
    face = _faces()[which]
    chars = sorted(face.charToGlyph)
    parts = subset._parts(face)
    composite = [c for c in chars if subset._glyph(face, parts, face.charToGlyph[c])[0]]
    assert composite
    return chars[:400] + chars[-400:] + composite[:300]


@pytest.mark.parametrize("which", [0, 1, 2], ids=["dejavu", "dejavu-bold", "wenquanyi"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_subset_is_written_as_reportlab_writes_it(which: int, data: st.DataObject) -> None:
    face = _faces()[which]
    chosen = data.draw(_subsets(_chars(which)))
    if data.draw(st.booleans()):  # from nothing kept about the face, or after other subsets
        subset._PARTS.pop(id(face), None)
    assert subset.make_subset(face, chosen) == TTFontFace.makeSubset(face, chosen)


def test_the_faces_have_composite_glyphs() -> None:
    """The subsets above renumber composite glyphs' parts: every face has some to pick."""
    for which, face in enumerate(_faces()):
        parts = subset._parts(face)
        assert any(subset._glyph(face, parts, face.charToGlyph[c])[1] for c in _chars(which))
