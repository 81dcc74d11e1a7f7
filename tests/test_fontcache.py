"""The bundled fonts' metric caches: current, equal to a parse, used only when they fit, and
the same PDFs either way (kreport/fontcache.py)."""

from __future__ import annotations

import importlib.util
import marshal
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from kreport import fontcache, fonts

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("font_cache", ROOT / "tools" / "font_cache.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FACES = _tool().faces()


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.file)
def test_each_cache_is_what_the_tool_writes_now(face: fonts.FontFace) -> None:
    shipped = fontcache.cache_path(fonts.FONT_DIR / face.file, face.subfont).read_bytes()
    assert shipped == _tool().cache_bytes(face, fonts.FONT_DIR), (
        "run python tools/font_cache.py (a font or reportlab changed)"
    )


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.file)
def test_a_cached_font_equals_a_parsed_one(face: fonts.FontFace) -> None:
    """What reportlab reads of a cached font is what a parse gives: the same values, of the
    same types, in the same order (the per-glyph tables are packed, so their containers differ)."""
    path = fonts.FONT_DIR / face.file
    cached = fontcache.load("cached", path, face.subfont)
    parsed = TTFont("parsed", str(path), subfontIndex=face.subfont)
    assert cached is not None
    assert type(cached) is type(parsed) and isinstance(cached.face, type(parsed.face))
    assert vars(cached).keys() == vars(parsed).keys()
    for key in ("_asciiReadable", "shapable"):
        assert getattr(cached, key) == getattr(parsed, key)
    assert type(cached.encoding) is type(parsed.encoding)
    mine, theirs = cached.face, parsed.face
    assert vars(mine).keys() - vars(theirs).keys() == {"_glyph_chars"}
    assert [mine._pdfScale(v) for v in (0, 1, 1000, 2048)] == [
        theirs._pdfScale(v) for v in (0, 1, 1000, 2048)
    ]
    for key, value in vars(theirs).items():
        if key in ("_pdfScale", "hmetrics", "glyphPos", "glyphToChar"):
            continue
        assert getattr(mine, key) == value, key
        assert type(getattr(mine, key)) is type(value), key
    assert _typed(mine.hmetrics) == _typed(theirs.hmetrics)
    assert isinstance(theirs.hmetrics[-1][0], float)  # the scaled advance after the listed ones
    assert [(type(p), p) for p in mine.glyphPos] == [(type(p), p) for p in theirs.glyphPos]
    assert "glyphToChar" not in vars(mine)  # unpacked only when shaping asks for it
    assert list(mine.glyphToChar.items()) == list(theirs.glyphToChar.items())


def _typed(pairs: Sequence[tuple[float, int]]) -> list[tuple[type, float, type, int]]:
    assert all(len(pair) == 2 for pair in pairs)
    return [(type(aw), aw, type(lsb), lsb) for aw, lsb in pairs]


@pytest.mark.parametrize("face", FACES, ids=lambda f: f.file)
def test_a_cached_font_writes_the_subsets_a_parsed_one_does(face: fonts.FontFace) -> None:
    path = fonts.FONT_DIR / face.file
    cached = fontcache.load("cached", path, face.subfont)
    parsed = TTFont("parsed", str(path), subfontIndex=face.subfont)
    assert cached is not None
    codes = sorted(parsed.face.charToGlyph)
    # the first and last glyphs, composite ones (accented letters), and the glyphs after the
    # last listed advance, whose advance reportlab repeats
    tail = [c for c, g in parsed.face.charToGlyph.items() if g >= len(parsed.face.hmetrics) - 20]
    for subset in (codes[:40], [0x20, 0xE9, 0xC5, 0x4E2D, 0x6587, 0xFF0C], tail[:30], codes[-30:]):
        subset = [c for c in subset if c in parsed.face.charToGlyph]
        assert cached.face.makeSubset(subset) == parsed.face.makeSubset(subset)


def test_packed_metrics_index_as_a_list_does() -> None:
    pairs = [(500, 10), (600, 20), (700, 30), (341.796875, 40), (341.796875, 50)]
    metrics = fontcache.HMetrics([500, 600, 700], [10, 20, 30, 40, 50], 341.796875)
    assert len(metrics) == len(pairs)
    assert [metrics[i] for i in range(-5, 5)] == [pairs[i] for i in range(-5, 5)]
    assert metrics[1:4] == pairs[1:4] and metrics[::-2] == pairs[::-2]
    assert list(metrics) == pairs
    for i in (5, -6):
        with pytest.raises(IndexError):
            metrics[i]


def test_a_cache_is_used_only_for_its_own_file_and_reportlab(tmp_path: Path) -> None:
    face = fonts.LATIN.regular
    font = tmp_path / face.file
    shutil.copy(fonts.FONT_DIR / face.file, font)
    assert fontcache.load("x", font, 0) is None  # no cache beside it
    cache = fontcache.cache_path(font, 0)
    cache.parent.mkdir()
    shutil.copy(fontcache.cache_path(fonts.FONT_DIR / face.file, 0), cache)
    assert fontcache.load("x", font, 0) is not None
    data = bytearray(font.read_bytes())
    data[-1] ^= 1  # the same size, another font
    font.write_bytes(bytes(data))
    assert fontcache.load("x", font, 0) is None
    shutil.copy(fonts.FONT_DIR / face.file, font)
    import reportlab

    saved = cache.read_bytes()
    cache.write_bytes(saved.replace(reportlab.Version.encode(), b"0.0.0"[: len(reportlab.Version)]))
    assert fontcache.load("x", font, 0) is None
    older = marshal.loads(saved)
    older["format"] = fontcache.FORMAT - 1  # a cache laid out otherwise (identity, packing)
    cache.write_bytes(marshal.dumps(older, 2))
    assert fontcache.load("x", font, 0) is None
    cache.write_bytes(saved)
    assert fontcache.load("x", font, 0) is not None


def test_pages_are_byte_identical_with_and_without_the_caches() -> None:
    build_all = (
        "import hashlib, kreport\n"
        "for name in kreport.example_names():\n"
        "    for lang in (None, 'en', 'zh'):\n"
        "        try:\n"
        "            data = kreport.build_bytes(kreport.example_path(name), language=lang)\n"
        "        except kreport.InputError:\n"
        "            data = b''\n"
        "        print(name, lang, hashlib.sha256(data).hexdigest())\n"
    )
    parse = "import kreport.fontcache as c\nc.load = lambda *args: None\n"

    def run(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout

    cached = run(build_all)
    assert cached == run(parse + build_all)
    assert len(cached.splitlines()) >= 15
