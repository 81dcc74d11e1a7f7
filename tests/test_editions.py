"""An edition prints no text in another language by accident: each plain string that does not
fit the edition is an error naming its field and the mend, unless the file sets
``mixed_languages = true`` (the rule itself: tests/test_credibility.py and source/mixing.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import kreport
from helpers import REQUIRED, run, small_tally, write_csv
from kreport.source.mixing import other_language
from pdfread import read_pdf

FIX = "or set mixed_languages = true to print it as it is"

CLAIMED = [
    ("karamay", "en"),
    ("karamay", "zh"),
    ("jieyang", "en"),
    ("jieyang", "zh"),
    ("singapore", "en"),
    ("hongkong", "zh-HK"),
    ("hongkong", "zh-Hant"),
    ("example-city", "en"),
    ("example-city", "zh"),
]
"""Every bundled example in each edition the README says it has."""


def example(name: str) -> dict[str, Any]:
    return tomllib.loads(kreport.example_path(name).read_text(encoding="utf-8"))


def problems(data: Any, language: str) -> list[tuple[str, str]]:
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(data, language)
    return [(p.path, p.message) for p in err.value.problems]


@pytest.mark.parametrize(("name", "language"), CLAIMED)
def test_every_example_builds_in_the_editions_it_claims(name: str, language: str) -> None:
    assert kreport.parse(kreport.example_path(name), language).language == language


def test_hong_kong_in_english_fails_naming_each_chinese_field(in_tmp: Path) -> None:
    result = run("build", "--example", "hongkong", "--lang", "en", "-o", "hk.pdf")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    source = kreport.example_path("hongkong")
    assert lines[0] == (
        f'error: {source}: title: "詐騙案件簡報": Chinese text in the English edition (en); '
        f'give a table with an \'en\' entry, such as {{ zh-HK = "…", en = "…" }}, {FIX}'
    )
    fields = {line.split(": ")[2] for line in lines}
    assert {"agency", "period", "metrics[0].label", "fraud_types[0].label", "highlights[0]"} <= (
        fields
    )
    assert all(FIX in line for line in lines)
    assert not (in_tmp / "hk.pdf").exists()


def test_singapore_in_traditional_chinese_fails_naming_each_english_field() -> None:
    found = dict(problems(kreport.example_path("singapore"), "zh-TW"))
    assert found["agency"] == (
        '"Singapore Police Force": English text in the Chinese edition (zh-TW); '
        f'give a table with a \'zh-TW\' entry, such as {{ en = "…", zh-TW = "…" }}, {FIX}'
    )
    assert {"title", "metrics[0].label", "fraud_types[1].label", "highlights[0]"} <= set(found)


def test_a_mixed_edition_builds_when_the_file_asks_for_one() -> None:
    data = {**example("hongkong"), "mixed_languages": True}
    f = read_pdf(kreport.build_bytes(data, "en"))
    assert f.pages == 1 and f.lang == "en-GB"
    assert "詐騙案件簡報" in f.text and "Issued 2 February 2026" in f.text


def test_a_tables_entry_for_the_edition_is_the_authors_and_not_checked() -> None:
    """A name printed unchanged in every edition is given as a table; as a plain string in a
    Chinese edition it is refused, even in a file whose own language is Chinese."""
    data = {**example("hongkong"), "agency": {"zh-HK": "WhatsApp", "en": "WhatsApp"}}
    assert kreport.parse(data, "zh-HK").agency == "WhatsApp"
    plain = {**example("hongkong"), "agency": "WhatsApp"}
    assert [path for path, _ in problems(plain, "zh-HK")] == ["agency"]
    english = {**REQUIRED, "title": {"en": "反诈 briefing", "zh": "反诈简报"}, "fallback": True}
    english["metrics"] = [{"label": "Reports", "value": 3}]
    assert kreport.parse(english, "en-US").title == "反诈 briefing"  # its en entry, by fallback


def test_the_opt_in_must_be_true_or_false() -> None:
    data = {**REQUIRED, "metrics": [{"label": "x", "value": 1}], "mixed_languages": "yes"}
    assert problems(data, "en") == [("mixed_languages", 'expected true or false, got "yes"')]


@pytest.mark.parametrize(
    ("language", "text", "other"),
    [
        ("en", "反诈专线", True),
        ("en", "Karamay 克拉玛依", True),
        ("en", "Scam cases", False),
        ("en-US", "96110", False),
        ("zh", "Scam cases", True),
        ("zh", "E-commerce scams", True),
        ("zh", "Reports", True),
        ("zh", "WhatsApp", True),
        ("zh-HK", "Hong Kong Police Force", True),
        ("zh", "诈骗案件", False),
        ("zh", "WhatsApp 诈骗", False),
        ("zh", "SGD", False),
        ("zh", "ATM POS", False),
        ("zh", "96110", False),
        ("zh", "Q1 2023", False),
        ("zh-TW", "A", False),
    ],
)
def test_what_counts_as_another_language(language: Any, text: str, other: bool) -> None:
    """Han characters are Chinese; a Latin word not in capitals is English; a code in capitals,
    a one-letter mark or a figure fits any edition."""
    assert other_language(language, text) is other


def test_a_tallys_english_headers_and_regions_are_named_in_a_chinese_edition(
    tmp_path: Path,
) -> None:
    """With a briefing TOML (a bare tally prints its headers as they are, in any edition)."""
    write_csv(tmp_path / "t.csv", small_tally(("North", "South")))
    spec = tmp_path / "t.toml"
    spec.write_text(
        'tally = "t.csv"\ntitle = { en = "Fraud", zh = "诈骗" }\n'
        'agency = { en = "P", zh = "公安" }\n'
        '[columns.Reports]\nlabel = { en = "Reports", zh = "警情" }\n[columns.Losses]\n',
        encoding="utf-8",
    )
    with pytest.raises(kreport.InputError) as err:
        kreport.parse(spec, "zh", period="2023-01")
    assert sorted((p.path, p.source) for p in err.value.problems) == [
        ('metrics row 1, column "Losses"', str(tmp_path / "t.csv")),  # the label's header cell
        ('metrics row 2, column "region"', str(tmp_path / "t.csv")),  # each region's first cell
        ('metrics row 3, column "region"', str(tmp_path / "t.csv")),
    ]
    assert kreport.parse(spec, "en", period="2023-01").metrics[0].label == "Reports"
