"""Texts of an edition -> the fields written in another language than the edition's.

A Chinese edition whose title or labels are English words (or an English one printing Chinese)
is a mixed page: fixed words in one language, the data in another. That is refused, naming each
field, unless the data file asks for it with ``mixed_languages = true``. A text counts as
Chinese when it has a Chinese character; as English when it has a Latin word (two letters or
more) and no Chinese character. Figures, codes of one letter and punctuation belong to both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import Language, is_chinese

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")


def foreign(language: Language, texts: Mapping[str, str]) -> list[str]:
    """The paths of ``texts`` that are not in ``language``'s script: English words in a Chinese
    edition, Chinese characters in an English one."""
    if is_chinese(language):
        return [p for p, t in texts.items() if _WORD.search(t) and not _HAN.search(t)]
    return [p for p, t in texts.items() if _HAN.search(t)]


def message(language: Language) -> str:
    found, edition = ("English", "Chinese") if is_chinese(language) else ("Chinese", "English")
    return (
        f"{found} text in the {edition} edition ({language}); add its {language!r} translation, "
        "or set mixed_languages = true to print it as it is"
    )
