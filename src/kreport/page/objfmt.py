"""A reportlab document's objects -> their bytes, as reportlab's ``pdfdoc.format`` writes them.

A page's file has a few dozen objects (the page, its resources, fonts and their descriptors,
the catalogue, streams' dictionaries) made of a few hundred dictionaries, arrays, names,
numbers and references. reportlab formats each through ``format``, a generic dispatch that
encodes every name and number through a Python codec; here the common kinds are formatted in
one step each, their names' and numbers' bytes kept, and anything else is handed to reportlab
(strings, dates, any class of object this does not know). ``pack`` takes objects through
``top``. A shortcut (``checked.py``): tests format every example's objects both ways and
compare the files, and compare generated nests of values object by object.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFPages,
    PDFStream,
    PDFTrueTypeFont,
    format,
    pdfdocEnc,
)

_NAMES: dict[str, bytes] = {}
"""A dictionary key -> its name's bytes (``/Type``): a few dozen keys, kept for the process."""

_NUMBERS: dict[int | float, bytes] = {}
"""A number -> its bytes, for the numbers pages repeat (metrics, widths, sizes), up to a bound."""

_TEXTS: dict[str, bytes] = {}
"""A text (most often a name: ``/FontDescriptor``, a subset's ``/AAAAAA+DejaVuSans``) -> its
bytes, up to a bound."""

_NUMBERS_KEPT = _TEXTS_KEPT = 4096


def _name(key: str) -> bytes:
    found = _NAMES.get(key)
    if found is None:
        found = _NAMES[key] = pdfdocEnc(PDFName(key))
    return found


def _number(n: int | float) -> bytes:
    # fp_str writes a number by its value alone (1 and 1.0 both as "1"), so equal keys agree
    found = _NUMBERS.get(n)
    if found is None:
        found = pdfdocEnc(fp_str(n))
        if len(_NUMBERS) < _NUMBERS_KEPT:
            _NUMBERS[n] = found
    return found


def _text(s: str) -> bytes:
    found = _TEXTS.get(s)
    if found is None:
        found = pdfdocEnc(s)
        if len(_TEXTS) < _TEXTS_KEPT:
            _TEXTS[s] = found
    return found


def plain() -> bool:
    """Whether reportlab's settings format objects as this module does: comments off or an
    invariant build, and dictionaries and arrays not one entry a line."""
    return bool((rl_config.invariant or not rl_config.pdfComments) and not rl_config.pdfMultiLine)


def value(e: Any, doc: Any) -> bytes:
    """``format(e, doc)``: ``e`` as part of another object."""
    t = type(e)
    if t is PDFObjectReference:
        return b"%d %d R" % doc.idToObjectNumberAndVersion[e.name]
    if t is int or t is float:
        return _number(e)
    if t is str:
        return _text(e)
    if t is PDFDictionary and e.multiline != "forced":
        return dictionary(e.dict, doc)
    if t is PDFArray and e.multiline != "forced":
        return array(e.sequence, doc)
    if t is bytes:
        return e  # type: ignore[no-any-return]
    if isinstance(e, PDFObject) and hasattr(e, "__RefOnly__"):
        return b"%d %d R" % doc.idToObjectNumberAndVersion[doc.Reference(e).name]
    return format(e, doc)  # type: ignore[no-any-return]


def dictionary(d: dict[str, Any], doc: Any) -> bytes:
    """``PDFDictionary(d).format(doc)``: entries by key (as given, for an ``OrderedDict``), a
    line break after every sixth (with ``plain`` settings)."""
    keys = list(d) if isinstance(d, OrderedDict) else sorted(d)
    items = [_name(k) + b" " + value(d[k], doc) for k in keys]
    for i in reversed(range(6, len(items), 6)):
        items.insert(i, b"\n ")
    return b"<<\n" + b" ".join(items) + b"\n>>"


def array(sequence: list[Any], doc: Any) -> bytes:
    """``PDFArray(sequence).format(doc)``: a line break after every tenth element."""
    items = [value(e, doc) for e in sequence]
    if len(items) > 10:
        for i in reversed(range(10, len(items), 10)):
            items.insert(i, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def top(obj: Any, doc: Any) -> bytes:
    """``format(obj, doc, toplevel=1)``: a registered object's own bytes."""
    t = type(obj)
    if t is PDFStream:
        return _stream(obj, doc)
    if t is PDFDictionary and obj.multiline != "forced":
        return dictionary(obj.dict, doc)
    if t is PDFTrueTypeFont:
        return dictionary(_font(obj), doc)
    if t is PDFPage or t is PDFPages or t is PDFCatalog:
        return dictionary(_catalog(obj, doc), doc)
    return format(obj, doc, toplevel=1)  # type: ignore[no-any-return]


def _stream(s: PDFStream, doc: Any) -> bytes:
    """``PDFStream.format``: the content through its filters (the last listed first), then
    its dictionary with their names and its /Length."""
    if s.content is None:
        raise ValueError("stream content not set")
    d = s.dictionary.dict.copy()  # an OrderedDict stays one: its keys are not sorted
    content = s.content
    filters = doc.defaultStreamFilters if s.filters is None else s.filters
    if filters is not None and "Filter" not in d:
        for f in reversed(filters):
            content = f.encode(content)
        d["Filter"] = PDFArray([PDFName(f.pdfname) for f in filters])
    content = doc.encrypt.encode(content)
    written = value(content, doc)
    d["Length"] = len(content)  # as given to the encoding: a text's characters
    return dictionary(d, doc) + b"\nstream\n" + written + b"endstream\n"


def _font(f: PDFTrueTypeFont) -> dict[str, Any]:
    """``PDFType1Font.format``'s dictionary."""
    d: dict[str, Any] = {}
    for name in f.name_attributes:
        if hasattr(f, name):
            d[name] = PDFName(getattr(f, name))
    for name in f.local_attributes:
        if hasattr(f, name):
            d[name] = getattr(f, name)
    return d


def _catalog(c: Any, doc: Any) -> dict[str, Any]:
    """``PDFCatalog.format``'s dictionary (and its page's and page tree's)."""
    c.check_format(doc)
    d: dict[str, Any] = {}
    for k, v in c.__Defaults__.items():
        v = getattr(c, k, v)
        if v is not None:
            d[k] = v
    for k in c.__NoDefault__:
        v = getattr(c, k, None)
        if v is not None:
            d[k] = v
    for k in c.__Refs__:
        if k in d:
            d[k] = doc.Reference(d[k])
    return d


__all__ = ["array", "dictionary", "plain", "top", "value"]
