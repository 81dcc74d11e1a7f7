"""Editions and their fixed words: BCP 47 tags, gettext catalogues, fallbacks between texts."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import kreport
from helpers import ROOT
from kreport.model import ALIASES, LANGUAGES, bcp47, fallbacks, is_chinese, language_tag
from kreport.page import words as words_module
from kreport.page.words import CATALOGUE, words


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "tools" / "catalogues.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
EXTRACTED = TOOL.extracted()
PO_FILES = TOOL.po_files()


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


# -- tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "edition"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("en_us", "en-US"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("ZH-HANS", "zh"),
        ("fr", None),
        ("zh-CN", None),
        ("", None),
    ],
)
def test_language_tags_name_editions(given: str, edition: str | None) -> None:
    assert language_tag(given) == edition


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_edition_has_a_bcp47_tag_babel_understands(language: Any) -> None:
    from babel import Locale

    tag = bcp47(language)
    assert Locale.parse(tag, sep="-").language == ("zh" if is_chinese(language) else "en")
    assert language_tag(language) == language


def test_aliases_name_real_editions() -> None:
    assert set(ALIASES.values()) <= set(LANGUAGES)


def test_fallbacks_never_cross_a_script_or_a_language() -> None:
    for language in LANGUAGES:
        for other in fallbacks(language):
            assert is_chinese(other) == is_chinese(language)
            assert (other == "zh") == (language == "zh"), (language, other)


# -- catalogues ----------------------------------------------------------------------------------


def test_compiled_catalogues_and_template_are_up_to_date() -> None:
    assert TOOL.stale() == [], "run python tools/catalogues.py and commit the result"


def test_the_words_module_asks_for_every_word_once() -> None:
    fields = words_module.Words.__dataclass_fields__
    contexts = [context for context, _ in EXTRACTED]
    assert sorted(contexts) == sorted(fields), "one pgettext call per Words field"


def test_each_word_is_written_once() -> None:
    """A word is a field of ``Words`` with its English text as default, nothing more: no second
    list of its name (a pgettext call or a keyword per field) to keep in step."""
    names = set(words_module.Words.__dataclass_fields__)
    tree = ast.parse(Path(words_module.__file__ or "").read_text(encoding="utf-8"))
    english = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)}  # "new"
    again = [
        node.value if isinstance(node, ast.Constant) else node.arg
        for node in ast.walk(tree)
        if (isinstance(node, ast.Constant) and node.value in names and id(node) not in english)
        or (isinstance(node, ast.keyword) and node.arg in names)
    ]
    assert again == []
    assert [(c, m) for c, m in EXTRACTED if c in names] == [
        (name, getattr(words("en"), name)) for name in words_module.Words.__dataclass_fields__
    ]


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalogue_has_every_word_and_no_unused_one(po: Path) -> None:
    messages = TOOL.messages(TOOL.read(po))
    missing = [m for m in EXTRACTED if m not in messages]
    unused = [m for m in messages if m not in EXTRACTED]
    assert missing == [], f"{po}: lacks {missing}"
    assert unused == [], f"{po}: keeps unused {unused}"
    for (context, message), translation in messages.items():
        assert translation.strip(), f"{po}: {context!r} is not translated"
        # a translation may leave a name out (元 needs no currency), never invent one
        assert _placeholders(translation) <= _placeholders(message), (po, context)


def test_every_catalogue_belongs_to_an_edition() -> None:
    locales = {po.parent.parent.name for po in PO_FILES}
    wanted = {CATALOGUE[lang] for lang in LANGUAGES} - {None}
    assert wanted <= locales, "an edition without its catalogue"
    assert locales <= set(CATALOGUE.values()), "a catalogue no edition reads"


def test_a_stale_compiled_catalogue_is_noticed(tmp_path: Path, monkeypatch: Any) -> None:
    po = tmp_path / "xx" / "LC_MESSAGES" / "kreport.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(PO_FILES[0].read_bytes())
    po.with_suffix(".mo").write_bytes(TOOL.compiled(po))
    monkeypatch.setattr(TOOL, "po_files", lambda: [po])
    assert po.with_suffix(".mo") not in TOOL.stale()
    po.write_text(po.read_text(encoding="utf-8").replace("主要数据", "摘要"), encoding="utf-8")
    assert po.with_suffix(".mo") in TOOL.stale()


def test_english_reads_the_message_ids() -> None:
    assert words("en").summary == "Summary"
    assert words("en").change_vs_last_year.format(change="12.5%") == "12.5% on last year"
    assert words("zh").summary == "主要数据"


def test_loading_words_imports_no_babel_messages() -> None:
    """Catalogues are compiled ahead: reading them costs the standard library's gettext only."""
    code = (
        "import sys; from kreport.page.words import words; words('zh'); "
        "print(any(m.startswith('babel.messages') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# -- texts in an edition -------------------------------------------------------------------------


def _briefing(**texts: Any) -> dict[str, Any]:
    return {
        "title": "T",
        "agency": "A",
        "period": "P",
        "metrics": [{"label": "Scam cases", "value": 12}],
        "mixed_languages": True,  # these tests are about the tables, not the texts' language
        **texts,
    }


def test_aliases_in_a_table_serve_their_edition() -> None:
    data = _briefing(title={"en-GB": "British", "zh-Hans": "简体"})
    assert kreport.parse(data, "en").title == "British"
    assert kreport.parse(data, "zh").title == "简体"


def test_the_same_edition_twice_in_a_table_is_an_error() -> None:
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(_briefing(title={"zh": "一", "zh-Hans": "二"}), "zh")
    assert [p.path for p in err.value.problems] == ["title.zh-Hans"]


def test_no_fallback_unless_the_file_allows_it() -> None:
    data = _briefing(title={"en": "Generic", "zh": "简体"})
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(data, "en-US")
    [problem] = err.value.problems
    assert problem.path == "title"
    assert "no 'en-US' text" in problem.message and "fallback = true" in problem.message
    assert kreport.parse({**data, "fallback": True}, "en-US").title == "Generic"


def test_en_us_dates_differ() -> None:
    data = _briefing(issued="2023-05-09")
    us = kreport.build_bytes(data, "en-US")
    gb = kreport.build_bytes(data, "en")
    from pdfread import read_pdf

    assert "May 9, 2023" in read_pdf(us).text
    assert "9 May 2023" in read_pdf(gb).text


def test_readme_lists_every_tag_with_its_conventions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Languages") : readme.index("### Numbers and money")]
    for tag in LANGUAGES:
        rows = [line for line in section.splitlines() if line.startswith(f"| `{tag}`")]
        assert len(rows) == 1, f"the Languages table needs one row for {tag}"
    for alias, tag in ALIASES.items():
        assert f"`{tag}` (= `{alias}`)" in section


def test_cli_takes_tags_in_any_case_and_names_the_output_by_the_edition(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kreport.cli import main

    runner = CliRunner()
    out = tmp_path / "hk.pdf"
    done = runner.invoke(
        main, ["build", "--example", "hongkong", "--lang", "zh_tw", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert read_pdf_lang(out) == "zh-TW"
    refused = runner.invoke(main, ["build", "--example", "hongkong", "--lang", "fr"])
    assert refused.exit_code == 2 and "zh-HK" in refused.output


def read_pdf_lang(path: Path) -> str:
    from pdfread import read_pdf

    return str(read_pdf(path.read_bytes()).lang)
