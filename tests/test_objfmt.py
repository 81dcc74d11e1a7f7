"""A document's objects are formatted as reportlab's ``pdfdoc.format`` formats them, byte for
byte (``page/objfmt.py``): pages are saved both ways and compared, and generated nests of
dictionaries, arrays, names, numbers, texts and references are formatted both ways."""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
    format,
)
from reportlab.pdfgen.canvas import Canvas

import bothways
import kreport
from bothways import GALLERY_PAGES
from gallery import maximal
from kreport.page import objfmt, pack


@contextmanager
def reportlab_formatting() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(objfmt, "plain", lambda: False)
        mp.setattr(pack, "_WIDTHS", pack.Kept(0))  # no widths formatted the faster way
        yield


def test_pages_are_formatted_as_reportlab_formats_them() -> None:
    for name in ("karamay", "jieyang", "singapore"):
        bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_formatting)


@pytest.mark.slow
@pytest.mark.parametrize("name", kreport.example_names())
def test_every_example_edition_and_paper(name: str) -> None:
    bothways.assert_every_edition_alike(kreport.example_path(name), reportlab_formatting)


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page(path: Path) -> None:
    bothways.assert_every_edition_alike(path, reportlab_formatting)


@pytest.mark.parametrize("script", ["en", "zh"])
def test_the_fullest_pages(script: str) -> None:
    for pdfa in (False, True):
        ours = kreport.build_bytes(maximal(script), pdfa=pdfa)
        with reportlab_formatting():
            theirs = kreport.build_bytes(maximal(script), pdfa=pdfa)
        assert ours == theirs, (script, pdfa)


def test_the_faster_formatting_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above compare something: a page's objects go through ``top``."""
    seen: list[str] = []
    real = objfmt.top

    def counted(obj: Any, doc: Any) -> bytes:
        seen.append(type(obj).__name__)
        return real(obj, doc)

    monkeypatch.setattr(pack, "top", counted)
    kreport.build_bytes(kreport.example_path("karamay"))
    assert {"PDFPage", "PDFStream", "PDFTrueTypeFont", "PDFCatalog"} <= set(seen)


def test_reportlabs_settings_decide_whether_it_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    assert objfmt.plain()
    monkeypatch.setattr(rl_config, "pdfMultiLine", 1)
    assert not objfmt.plain()  # one entry a line: reportlab's own
    monkeypatch.setattr(rl_config, "pdfMultiLine", 0)
    monkeypatch.setattr(rl_config, "pdfComments", 1)
    assert not objfmt.plain()  # comments before objects, unless invariant
    monkeypatch.setattr(rl_config, "invariant", 1)
    assert objfmt.plain()


_NUMBERS = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e-3, 1e-3, allow_nan=False),
    st.sampled_from([0, 1, 1.0, -0.0, 0.5, 1000, 1e-9]),
)
_KEYS = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)


def _values(doc: Any) -> st.SearchStrategy[Any]:
    """What a dictionary or array of a page holds: numbers, names, texts, references (to
    objects registered or not), strings, and dictionaries and arrays of them."""
    leaves = st.one_of(
        _NUMBERS,
        st.builds(PDFName, _KEYS),
        st.text(alphabet="abcXYZ /+-.0123456789", max_size=12),
        st.binary(max_size=8),
        st.builds(PDFString, st.text(max_size=8)),
        st.sampled_from([True, None]),
        st.builds(lambda s: doc.Reference(PDFStream(content=s)), st.text(max_size=4)),
        st.builds(lambda s: PDFStream(content=s), st.text(max_size=4)),
    )

    def nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.builds(PDFArray, st.lists(inner, max_size=25)),
            st.builds(PDFDictionary, st.dictionaries(_KEYS, inner, max_size=14)),
            st.builds(
                lambda d: PDFDictionary(OrderedDict(d)), st.dictionaries(_KEYS, inner, max_size=8)
            ),
        )

    return st.recursive(leaves, nest, max_leaves=40)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_value_is_formatted_as_reportlab_formats_it(data: st.DataObject) -> None:
    doc = Canvas(io.BytesIO())._doc
    v = data.draw(_values(doc))
    assert _outcome(objfmt.value, v, doc) == _outcome(format, v, doc)
    ordered = OrderedDict(data.draw(st.dictionaries(_KEYS, _values(doc), max_size=8)))
    assert _outcome(objfmt.dictionary, ordered, doc) == _outcome(
        lambda d, doc: PDFDictionary(d).format(doc), ordered, doc
    )


@settings(max_examples=60, deadline=None)
@given(
    content=st.one_of(st.text(max_size=40), st.binary(max_size=40)),
    filters=st.sampled_from([None, [], [PDFZCompress]]),
    entries=st.dictionaries(_KEYS, _NUMBERS, max_size=5),
    ordered=st.booleans(),
)
def test_any_stream_is_formatted_as_reportlab_formats_it(
    content: str | bytes, filters: Any, entries: dict[str, Any], ordered: bool
) -> None:
    doc = Canvas(io.BytesIO())._doc
    if isinstance(content, bytes) and filters is None and doc.defaultStreamFilters:
        filters = []  # reportlab's default filters take text only
    made = OrderedDict(entries) if ordered else entries
    ours = PDFStream(PDFDictionary(made), content, filters)
    theirs = PDFStream(PDFDictionary(made), content, filters)
    assert _outcome(objfmt.top, ours, doc) == _outcome(
        lambda s, doc: format(s, doc, toplevel=1), theirs, doc
    )


def _outcome(f: Any, *args: Any) -> tuple[str, object]:
    """What ``f(*args)`` gives, or the kind of error it raises (a text reportlab's encoding
    cannot write fails both ways)."""
    try:
        return "bytes", f(*args)
    except Exception as e:
        return "error", type(e)
