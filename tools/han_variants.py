"""Derive kreport's table of one-script Han characters from Unicode's Unihan database.

    python tools/han_variants.py [Unihan_Variants.txt[.bz2]]

Default input: /usr/share/unicode/Unihan_Variants.txt.bz2 (Debian's unicode-data package).
Writes src/kreport/data/han-variants.txt, which kreport reads to tell a Simplified character
in a Traditional edition (and the reverse). A character is *Simplified only* when Unihan gives
it a kTraditionalVariant and it is not among its own traditional variants (发 -> 發 髮, but not
台, whose variants include 台 itself); *Traditional only* likewise with kSimplifiedVariant.
Only the Basic Multilingual Plane is kept: the bundled fonts draw nothing above it.
"""

from __future__ import annotations

import bz2
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
TARGET = ROOT / "src" / "kreport" / "data" / "han-variants.txt"
_LINE = re.compile(r"^U\+([0-9A-F]+)\t(kSimplifiedVariant|kTraditionalVariant)\t(.+)$")


def table(source: str) -> str:
    version = re.search(r"^# Unicode version: (\S+)", source, re.MULTILINE)
    variants: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for line in source.splitlines():
        m = _LINE.match(line)
        if m and int(m.group(1), 16) <= 0xFFFF:
            others = [chr(int(v[2:].split("<")[0], 16)) for v in m.group(3).split()]
            variants[m.group(2)][chr(int(m.group(1), 16))] = others
    lines = [
        "# Han characters of one script only, derived from Unicode's Unihan database",
        f"# (Unihan_Variants.txt, Unicode {version.group(1) if version else '?'}) by "
        "tools/han_variants.py: a modified data file,",
        "# used under the Unicode licence in LICENSE-Unicode.txt. Each line: a character, a tab,",
        "# its variants in the other script. S: Simplified only; T: Traditional only.",
    ]
    for tag, field in (("S", "kTraditionalVariant"), ("T", "kSimplifiedVariant")):
        for char, others in sorted(variants[field].items()):
            if char not in others:
                lines.append(f"{tag}\t{char}\t{''.join(others)}")
    return "\n".join(lines) + "\n"


def read(path: Path) -> str:
    data = bz2.decompress(path.read_bytes()) if path.suffix == ".bz2" else path.read_bytes()
    return data.decode("utf-8")


def main(argv: list[str]) -> int:
    TARGET.write_text(table(read(Path(argv[0]) if argv else DEFAULT)), encoding="utf-8")
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
