"""Texts of a Chinese edition -> the characters that belong to the other script, by field.

A Traditional edition (zh-Hant, zh-HK, zh-TW, zh-MO) must print no Simplified-only character,
and the Simplified edition (zh) no Traditional-only one. Which characters those are comes from
Unicode's Unihan variants (data/han-variants.txt, made by tools/han_variants.py): a character
counts only when it is not also a form of the other script (台, 后, 万 pass everywhere).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

from ..model import Language, is_chinese, is_traditional

TABLE = files("kreport") / "data" / "han-variants.txt"


@dataclass(frozen=True, slots=True)
class WrongScript:
    path: str
    chars: str  # each wrong character once, in order of appearance
    suggestions: str  # "发→發/髮, 亿→億"

    def message(self, language: Language) -> str:
        wanted, found = (
            ("Traditional", "Simplified")
            if is_traditional(language)
            else (
                "Simplified",
                "Traditional",
            )
        )
        return (
            f"{found} characters in a {wanted} edition ({language}): {self.suggestions}; "
            f"write the text in {wanted} characters (or give a {language!r} translation)"
        )


@functools.cache
def one_script() -> dict[str, dict[str, str]]:
    """{"S": {simplified-only char: its traditional forms}, "T": {traditional-only: ...}}."""
    out: dict[str, dict[str, str]] = {"S": {}, "T": {}}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tag, char, others = line.split("\t")
            out[tag][char] = others
    return out


def wrong_script(language: Language, texts: Mapping[str, str]) -> list[WrongScript]:
    """Every field of ``texts`` that holds characters of the script ``language`` does not use."""
    if not is_chinese(language):
        return []
    foreign = one_script()["S" if is_traditional(language) else "T"]
    out = []
    for path, text in texts.items():
        chars = "".join(dict.fromkeys(c for c in text if c in foreign))
        if chars:
            hints = ", ".join(f"{c}→{'/'.join(foreign[c])}" for c in chars)
            out.append(WrongScript(path, chars, hints))
    return out
