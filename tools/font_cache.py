"""Write the bundled fonts' metric caches, src/kreport/data/fonts/cache/: python tools/font_cache.py

Run it after changing a bundled font or upgrading reportlab; tests/test_fontcache.py fails until
the files match what this writes. See kreport/fontcache.py for what is kept and when it is used.
"""

from __future__ import annotations

from pathlib import Path

from kreport import fontcache, fonts

SRC = Path(__file__).resolve().parent.parent / "src" / "kreport" / "data" / "fonts"


def faces() -> list[fonts.FontFace]:
    return sorted({fonts.LATIN.regular, fonts.LATIN.bold, fonts.CJK.regular}, key=str)


def cache_bytes(face: fonts.FontFace, folder: Path = SRC) -> bytes:
    from reportlab.pdfbase.ttfonts import TTFontFace

    parsed = TTFontFace(str(folder / face.file), subfontIndex=face.subfont)
    return fontcache.dump(parsed)


def main() -> None:
    for face in faces():
        target = fontcache.cache_path(SRC / face.file, face.subfont)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(cache_bytes(face))
        print(target.relative_to(SRC.parent.parent.parent.parent))


if __name__ == "__main__":
    main()
