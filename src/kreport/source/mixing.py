"""Texts of an edition -> the fields written in another language than the edition's.

A Chinese edition whose title or labels are English words (or an English one printing Chinese)
is a mixed page: fixed words in one language, the data in another. That is refused, naming each
field and how to mend it, unless the data file asks for it with ``mixed_languages = true``.

Only plain strings are checked: a text given as a plain string is printed in every edition,
while a table's entry for the edition (``zh = "WhatsApp"``) is its author's text for that
edition, whatever its script. A text counts as Chinese when it has a Han character; as
English when it has no Han character and a Latin word of two letters or more that is not in
capitals. Figures, one-letter marks ("A", "Q1") and codes in capitals ("SGD", "APP", "ATM
POS") belong to every edition.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from ..model import Language, is_chinese

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")


@functools.cache
def _han() -> re.Pattern[str]:
    """A Han character: compiled when first needed, as most files have no plain string to check
    and its class of 28,000 characters costs Python's re compiler ~1.6 ms."""
    return re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def other_language(language: Language, text: str) -> bool:
    """Whether ``text`` is in another language than ``language``'s edition."""
    if not is_chinese(language):
        return _han().search(text) is not None
    return not _han().search(text) and any(not w.isupper() for w in _WORD.findall(text))


def foreign(
    language: Language, declared: Language, plain: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """(path, message) for each of the ``plain`` strings in another language than the edition,
    ``declared`` being the file's own language (the key its table would give the text under)."""
    for path, text in plain.items():
        if other_language(language, text):
            yield path, _message(language, declared, text)


def _message(language: Language, declared: Language, text: str) -> str:
    chinese = is_chinese(language)
    found, edition = ("English", "Chinese") if chinese else ("Chinese", "English")
    # the tag the text would have in a table: the file's own language, if the text is in it
    written = declared if is_chinese(declared) != chinese else "en" if chinese else "zh"
    article = "an" if language.startswith("en") else "a"
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (
        f'"{shown}": {found} text in the {edition} edition ({language}); give a table with '
        f'{article} {language!r} entry, such as {{ {written} = "…", {language} = "…" }}, or set '
        "mixed_languages = true to print it as it is"
    )
