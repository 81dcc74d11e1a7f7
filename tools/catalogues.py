"""Extract kreport's fixed words and compile its gettext catalogues, with Babel.

    python tools/catalogues.py          # write locale/kreport.pot and every .mo from its .po
    python tools/catalogues.py --check  # exit 1 if anything written would change

The messages are the fields of ``Words`` in page/words.py (the field's name is the context, its
default the English message id), and whatever ``pgettext(context, message)`` calls elsewhere in
the package ask for (Babel's Python extractor). Each ``.po`` is compiled into the ``.mo`` beside
it, which kreport reads at run time with the standard library; tests/test_locale.py runs the
same check.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import io
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kreport"
LOCALE_DIR = PACKAGE / "locale"
TEMPLATE = LOCALE_DIR / "kreport.pot"
KEYWORDS = {"pgettext": ((1, "c"), 2)}
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # fixed header dates: same input, same bytes

HEADER = (
    "# kreport's fixed words: the template for a new catalogue.\n"
    "# Copy to locale/<Babel locale>/LC_MESSAGES/kreport.po, translate, then run\n"
    "# python tools/catalogues.py to compile it."
)
Message = tuple[str, str]  # (context, message id)


def words_fields(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """A Babel extraction method for page/words.py: each ``name: str = "English"`` field of
    ``class Words`` is the message ``pgettext(name, "English")``."""
    tree = ast.parse(fileobj.read())
    [words] = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Words")
    for field in words.body:
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
            assert isinstance(field.value, ast.Constant) and isinstance(field.value.value, str), (
                f"page/words.py:{field.lineno}: a Words field needs its English text as default"
            )
            yield field.lineno, "pgettext", (field.target.id, field.value.value), []


METHODS = [("page/words.py", words_fields), ("**.py", "python")]


def extracted() -> list[Message]:
    """Every (context, message) the package asks for, in source order, each once."""
    found: dict[Message, None] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        PACKAGE,
        method_map=METHODS,
        keywords=KEYWORDS,
        strip_comment_tags=True,
    ):
        assert isinstance(message, str) and context, f"{_file}:{_line}: needs a context"
        found[(context, message)] = None
    return list(found)


def template() -> bytes:
    catalog = Catalog(
        project="kreport",
        header_comment=HEADER,
        creation_date=EPOCH,
        revision_date=EPOCH,
        fuzzy=False,
        charset="utf-8",
    )
    for context, message in extracted():
        catalog.add(message, context=context)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, no_location=True)
    # the Babel version in the header would make the file depend on who ran the tool
    lines = out.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"Generated-By:'))


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/kreport.po"))


def read(po: Path) -> Catalog:
    with po.open("rb") as fp:
        return read_po(fp, locale=po.parent.parent.name, domain="kreport")


def messages(catalog: Catalog) -> dict[Message, str]:
    """(context, message id) -> translation, for every message with an id."""
    return {(m.context or "", str(m.id)): str(m.string) for m in catalog if m.id}


def compiled(po: Path) -> bytes:
    catalog = read(po)
    catalog.creation_date = catalog.revision_date = EPOCH
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def in_mo(mo: Path) -> dict[Message, str]:
    """What a compiled catalogue holds, read back as kreport reads it (stdlib gettext)."""
    with mo.open("rb") as fp:
        raw: dict[str, str] = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    out = {}
    for key, value in raw.items():
        if key:  # "" is the header
            context, _, message = key.rpartition("\x04")
            out[(context, message)] = value
    return out


def stale() -> list[Path]:
    """Files to (re)write: the template when its bytes differ, a .mo when its messages do.

    A .mo is compared by content, not bytes: Babel writes its own version into the header.
    """
    out = [] if _same(TEMPLATE, template()) else [TEMPLATE]
    for po in po_files():
        mo = po.with_suffix(".mo")
        if not mo.is_file() or in_mo(mo) != messages(read(po)):
            out.append(mo)
    return out


def main(argv: list[str]) -> int:
    todo = stale()
    if "--check" in argv:
        for path in todo:
            print(f"stale: {path.relative_to(ROOT)} (run python tools/catalogues.py)")
        return 1 if todo else 0
    for path in todo:
        path.write_bytes(template() if path == TEMPLATE else compiled(path.with_suffix(".po")))
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
