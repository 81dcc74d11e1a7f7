"""What the process keeps from one page for the next, beyond the layout (see test_reuse.py):
font subsets and compressed streams. Kept results must be the results made afresh."""

from __future__ import annotations

import random
import zlib

import pytest
from reportlab import rl_config

import kreport
from kreport import fontcache, fonts
from kreport._kept import Kept
from kreport.page import pack


def test_a_key_is_kept_from_its_second_sight() -> None:
    kept: Kept[str, int] = Kept(10)
    kept.put("a", 1)
    assert kept.get("a") is None and len(kept) == 0  # offered once: only its hash noted
    kept.put("a", 1)
    assert kept.get("a") == 1 and len(kept) == 1


def test_kept_values_stay_within_their_budget_least_recently_used_out() -> None:
    kept: Kept[str, bytes] = Kept(10, weigh=len)
    for key, value in (("a", b"aaaa"), ("b", b"bbbb"), ("c", b"cc")):
        kept.put(key, value)
        kept.put(key, value)
    assert kept.weight == 10 and len(kept) == 3
    assert kept.get("a") == b"aaaa"  # now the most recently used
    kept.put("d", b"ddd")
    kept.put("d", b"ddd")
    assert kept.get("b") is None  # the least recently used left, as few as make room
    assert [kept.get(k) for k in "cad"] == [b"cc", b"aaaa", b"ddd"] and kept.weight == 9
    kept.put("huge", b"x" * 11)
    kept.put("huge", b"x" * 11)  # heavier than the whole budget: never kept
    assert kept.get("huge") is None and kept.weight == 9
    kept.put("a", b"a")
    assert kept.get("a") == b"a" and kept.weight == 6  # replaced, its old weight gone


def test_the_keys_seen_once_are_bounded() -> None:
    kept: Kept[int, int] = Kept(4, seen=8)
    for n in range(100):
        kept.put(n, n)
    assert len(kept._seen) <= 8 and len(kept) == 0


@pytest.mark.parametrize("size", [0, 1, 1000, 70_000])
def test_the_kept_flate_filter_compresses_as_reportlabs_does(size: int) -> None:
    from reportlab.pdfbase.pdfdoc import PDFZCompress

    data = random.Random(size).randbytes(size) + b"stream text " * (size // 10)
    for _ in range(3):  # compressed, then kept, then served from what was kept
        assert pack.FLATE.encode(data) == PDFZCompress.encode(data) == zlib.compress(data)
        assert pack.FLATE_ONCE.encode(data) == zlib.compress(data)
    assert pack.FLATE.pdfname == PDFZCompress.pdfname
    assert pack.FLATE.decode(pack.FLATE.encode(data)) == data
    assert isinstance(pack.FLATE, type(PDFZCompress))
    assert pack.FLATE.encode("一 text") == PDFZCompress.encode("一 text")
    assert pack.FLATE_ONCE.encode("一 text") == PDFZCompress.encode("一 text")


def test_a_pages_streams_are_compressed_through_the_kept_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compressed: list[bytes] = []
    once: list[str | bytes] = []
    real, real_once = pack.Flate.encode, pack.FlateOnce.encode
    monkeypatch.setattr(pack.Flate, "encode", lambda f, d: compressed.append(d) or real(f, d))
    monkeypatch.setattr(pack.FlateOnce, "encode", lambda f, d: once.append(d) or real_once(f, d))
    kreport.build_bytes(kreport.example_path("karamay"))
    # each face's subset and character map through the kept filter; the page's own drawing
    # (no other page repeats it) compressed without being looked for
    assert len(compressed) >= 4 and any(d[:4] == b"\0\1\0\0" for d in compressed)
    assert len(once) == 1 and "\nBT " in str(once[0])


@pytest.mark.parametrize("face", [fonts.LATIN.regular, fonts.CJK.regular], ids=lambda f: f.file)
def test_a_kept_subset_is_the_subset_written_afresh(face: fonts.FontFace) -> None:
    path = fonts.FONT_DIR / face.file
    font = fontcache.load("kept", path, face.subfont)
    assert font is not None
    codes = [c for c in (0x20, 0x41, 0x31, 0x4E2D, 0x6587, 0x7F) if c in font.face.charToGlyph]
    fresh = font.face.makeSubset(codes)
    assert font.face.makeSubset(codes) == fresh  # the second sight keeps it
    again = font.face.makeSubset(codes)
    assert again == fresh and again is font.face.makeSubset(codes)  # served from what was kept
    assert font.face.makeSubset(codes[::-1]) != fresh  # the order is the subset's glyph order
    assert font.face._subsets.weight <= fontcache.SUBSET_BUDGET


def test_kept_widths_are_the_array_reportlab_formats() -> None:
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDocument, PDFName

    doc = PDFDocument()
    rng = random.Random(3)
    for n in (1, 9, 10, 11, 150, 256):
        widths = [rng.choice([rng.randint(0, 2000), rng.uniform(0, 2000)]) for _ in range(n)]
        for _ in range(3):  # formatted, then kept, then served from what was kept
            written = pack._widths(PDFArray(widths), doc)
            assert written.format(doc) == PDFArray(widths).format(doc)
    names = [PDFName("A"), 1]
    pack._widths(PDFArray(names), doc)
    pack._widths(PDFArray(names), doc)
    assert pack._WIDTHS.get((*names, rl_config.pdfMultiLine)) is None  # only numbers are kept


def test_kept_widths_follow_reportlabs_line_breaking_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDocument

    doc = PDFDocument()
    widths = list(range(500, 530))
    for multiline in (0, 1, 0, 1):
        monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)
        assert pack._widths(PDFArray(widths), doc).format(doc) == PDFArray(widths).format(doc)
