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
from pathlib import Path

from ..model import Language, is_chinese, is_traditional

TABLE = Path(__file__).parent.parent / "data" / "han-variants.txt"


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


def one_script() -> dict[str, dict[str, str]]:
    """{"S": {simplified-only char: its traditional forms}, "T": {traditional-only: ...}}."""
    return {"S": only_in("S"), "T": only_in("T")}


@functools.cache
def only_in(script: str) -> dict[str, str]:
    """The characters of ``script`` only ("S" or "T"): each with its forms in the other script.
    An edition reads one of the two: a Simplified one, the Traditional-only characters."""
    # Each line is the script, a tab, one character, a tab, its forms (a test holds the file to
    # it): read by position, in a third of the time a split of every line takes on each start
    prefix = script + "\t"
    return {line[2]: line[4:] for line in _lines() if line.startswith(prefix)}


@functools.cache
def _lines() -> list[str]:
    return TABLE.read_text(encoding="utf-8").split("\n")


def wrong_script(language: Language, texts: Mapping[str, str]) -> list[WrongScript]:
    """Every field of ``texts`` that holds characters of the script ``language`` does not use."""
    if not is_chinese(language):
        return []
    foreign = only_in("S" if is_traditional(language) else "T")
    out = []
    for path, text in texts.items():
        chars = "".join(dict.fromkeys(c for c in text if c in foreign))
        if chars:
            hints = ", ".join(f"{c}→{'/'.join(foreign[c])}" for c in chars)
            out.append(WrongScript(path, chars, hints))
    return out
