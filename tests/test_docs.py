"""The documentation cannot go stale: README reference, template, schema and CLI help agree.

In the spirit of sqlite-utils' test_docs.py: the validator's key tuples are the truth, and every
place that documents the data-file format is checked against them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import kreport
from helpers import ROOT, run
from kreport.cli import main
from kreport.source.keys import (
    MAX_HIGHLIGHTS,
    MAX_METRICS,
    MAX_REGIONS,
    MAX_TEXT,
    MAX_TREND_MONTHS,
    MAX_TYPES,
    METRIC_KEYS,
    RANKING_KEYS,
    REGION_KEYS,
    TOP_KEYS,
    TREND_KEYS,
    TREND_MONTH_KEYS,
    TYPE_KEYS,
)
from kreport.source.load import Format, loads
from kreport.source.schema import schema, template
from pdfread import missing_from, read_pdf

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = sorted((ROOT / "src/kreport/data/examples").glob("*.toml"))


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = len(heading.split(" ")[0])
    lines = text.splitlines()
    start = lines.index(heading)
    fenced = False
    for end in range(start + 1, len(lines)):
        line = lines[end].lstrip()
        fenced ^= line.startswith("```")  # a "# comment" inside a code block is no heading
        hashes = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < hashes <= level and line[hashes:].startswith(" "):
            return "\n".join(lines[start:end])
    return "\n".join(lines[start:])


REFERENCE = _section(README, "## Data-file reference")


def _row(table_heading: str, key: str) -> str:
    rows = [
        line
        for line in _section(REFERENCE, table_heading).splitlines()
        if line.startswith(f"| `{key}` |")
    ]
    assert len(rows) == 1, f"{key!r} needs exactly one row under {table_heading!r}"
    return rows[0]


def _code_blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def _json_ready(value: Any) -> Any:
    """TOML and YAML dates become the ISO strings JSON carries; everything else as is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
TEMPLATE = tomllib.loads(template())


# -- the README reference ------------------------------------------------------------------------


@pytest.mark.parametrize("key", TOP_KEYS)
def test_readme_documents_top_level_key(key: str) -> None:
    row = _row("### Top-level keys", key)
    assert row.count("|") >= 6, "every row gives type, required, meaning and example"


@pytest.mark.parametrize("key", METRIC_KEYS)
def test_readme_documents_metric_key(key: str) -> None:
    _row("### `[[metrics]]` keys", key)


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_readme_documents_fraud_type_key(key: str) -> None:
    _row("### `[[fraud_types]]` keys", key)


NESTED = [
    ("### `[trend]` keys", TREND_KEYS),
    ("### `[[trend.months]]` keys", TREND_MONTH_KEYS),
    ("### `[ranking]` keys", RANKING_KEYS),
    ("### `[[ranking.regions]]` keys", REGION_KEYS),
]


@pytest.mark.parametrize(
    ("heading", "key"), [(h, k) for h, keys in NESTED for k in keys], ids=lambda x: str(x)
)
def test_readme_documents_block_key(heading: str, key: str) -> None:
    assert _row(heading, key).count("|") >= 6


def test_readme_block_limits_match_the_validator() -> None:
    top = "### Top-level keys"
    for key in ("contact", "advice"):
        assert f"≤ {MAX_TEXT[key]}" in _row(top, key), key
    assert f"2–{MAX_TREND_MONTHS} tables" in _row("### `[trend]` keys", "months")
    assert f"2–{MAX_REGIONS} tables" in _row("### `[ranking]` keys", "regions")
    assert f"≤ {MAX_TEXT['noun']}" in _row("### `[ranking]` keys", "noun")
    assert f"≤ {MAX_TEXT['region']}" in _row("### `[[ranking.regions]]` keys", "name")


def test_readme_limits_match_the_validator() -> None:
    top = "### Top-level keys"
    for key in ("title", "agency", "period", "baseline", "marking", "source", "note"):
        assert f"≤ {MAX_TEXT[key]}" in _row(top, key), key
    assert f"≤ {MAX_HIGHLIGHTS} texts, each ≤ {MAX_TEXT['highlight']}" in _row(top, "highlights")
    assert f"≤ {MAX_METRICS} tables" in _row(top, "metrics")
    assert f"≤ {MAX_TYPES} tables" in _row(top, "fraud_types")
    assert f"≤ {MAX_TEXT['label']}" in _row("### `[[metrics]]` keys", "label")
    assert f"≤ {MAX_TEXT['unit']}" in _row("### `[[metrics]]` keys", "unit")
    assert f"≤ {MAX_TEXT['label']}" in _row("### `[[fraud_types]]` keys", "label")


def _readme_examples() -> list[tuple[str, Format, str]]:
    found = [
        (f"{fmt.value}-{i}", fmt, block)
        for fmt in Format
        for i, block in enumerate(_code_blocks(REFERENCE, fmt.value))
    ]
    assert {fmt for _, fmt, _ in found} == set(Format), "one example per format"
    return found


@pytest.mark.parametrize(("name", "fmt", "block"), _readme_examples())
def test_readme_examples_are_valid_briefings(name: str, fmt: Format, block: str) -> None:
    raw = loads(block.encode(), fmt, name)
    VALIDATOR.validate(_json_ready(raw))
    for lang in ("en", "zh") if fmt is Format.YAML else (None,):
        assert kreport.parse(raw, lang).metrics


def test_readme_money_formats_are_what_kreport_prints() -> None:
    from kreport.model import Metric
    from kreport.page.precision import column

    money, count = Metric("m", money=True), Metric("n")
    for metric, amount, currency, en, zh in [
        (money, 113_500, "CNY", "CNY 113,500", "11.35万元"),
        (money, 1_902_600, "CNY", "CNY 1,902,600", "190.26万元"),
        (money, 651_800_000, "SGD", "SGD 651.8 million", "65,180万新加坡元"),
        (money, 13_999, "SGD", "SGD 13,999", None),
        (money, 652_000_000, "CNY", None, "6.52亿元"),
        (money, 1_234_567, "CNY", None, "1,234,567元"),
        (count, 2_600_000, "CNY", "2.6 million", "260万"),
        (count, 46_563, "CNY", "46,563", None),
    ]:
        for language, shown in (("en", en), ("zh", zh)):
            if shown is not None:
                assert column([metric], [amount], currency, language) == [shown]
                assert f"`{shown}`" in REFERENCE


# -- the template --------------------------------------------------------------------------------


def test_template_uses_and_documents_every_key() -> None:
    # the logo needs a file beside the template, so it is there as a comment to uncomment
    assert set(TEMPLATE) | {"logo"} == set(TOP_KEYS) and "logo" not in TEMPLATE
    assert re.search(r'^# logo = "logo.png"$', template(), re.MULTILINE)
    assert {k for m in TEMPLATE["metrics"] for k in m} == set(METRIC_KEYS)
    assert {k for t in TEMPLATE["fraud_types"] for k in t} == set(TYPE_KEYS)
    assert set(TEMPLATE["trend"]) == set(TREND_KEYS)
    assert {k for m in TEMPLATE["trend"]["months"] for k in m} == set(TREND_MONTH_KEYS)
    assert set(TEMPLATE["ranking"]) == set(RANKING_KEYS)
    assert {k for r in TEMPLATE["ranking"]["regions"] for k in r} == set(REGION_KEYS)
    comments = "\n".join(line for line in template().splitlines() if line.startswith("#"))
    nested = (*TREND_MONTH_KEYS, *(k for k in REGION_KEYS if k != "name"))
    for key in (*METRIC_KEYS, *TYPE_KEYS, *nested):
        assert re.search(rf"^#\s+{key}\s", comments, re.MULTILINE), key


def test_template_is_clearly_an_example() -> None:
    assert "replace me" in TEMPLATE["title"]["en"]
    assert "EXAMPLE" in TEMPLATE["marking"]
    labels = (
        [m["label"] for m in TEMPLATE["metrics"]]
        + [t["label"] for t in TEMPLATE["fraud_types"]]
        + [TEMPLATE["trend"]["label"], TEMPLATE["ranking"]["label"]]
        + [r["name"] for r in TEMPLATE["ranking"]["regions"]]
    )
    assert all("example" in label.lower() for label in labels), labels


def test_template_builds_one_page_as_written() -> None:
    facts = read_pdf(kreport.build_bytes(TEMPLATE))
    assert facts.pages == 1
    assert missing_from(facts, ["Example briefing — replace me", "Cases by fraud type"]) == []


def test_init_writes_the_template_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "briefing.toml"
    first = run("init", str(target))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == str(target)
    assert target.read_text(encoding="utf-8") == template()

    target.write_text("mine", encoding="utf-8")
    again = run("init", str(target))
    assert again.exit_code == 1
    assert again.stderr.startswith("error: ") and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == "mine"

    forced = run("init", "--force", str(target))
    assert forced.exit_code == 0, forced.stderr
    assert target.read_text(encoding="utf-8") == template()


# -- the JSON Schema -----------------------------------------------------------------------------


def test_schema_command_prints_a_valid_2020_12_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == schema()
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(printed)


def test_schema_keys_and_limits_come_from_the_validator() -> None:
    s = schema()
    metrics, types = s["properties"]["metrics"], s["properties"]["fraud_types"]
    assert list(s["properties"]) == list(TOP_KEYS)
    assert list(metrics["items"]["properties"]) == list(METRIC_KEYS)
    assert list(types["items"]["properties"]) == list(TYPE_KEYS)
    trend, ranking = s["properties"]["trend"], s["properties"]["ranking"]
    assert list(trend["properties"]) == list(TREND_KEYS)
    assert list(trend["properties"]["months"]["items"]["properties"]) == list(TREND_MONTH_KEYS)
    assert trend["properties"]["months"]["maxItems"] == MAX_TREND_MONTHS
    assert list(ranking["properties"]) == list(RANKING_KEYS)
    assert list(ranking["properties"]["regions"]["items"]["properties"]) == list(REGION_KEYS)
    assert ranking["properties"]["regions"]["maxItems"] == MAX_REGIONS
    assert (metrics["maxItems"], types["maxItems"]) == (MAX_METRICS, MAX_TYPES)
    assert s["properties"]["highlights"]["maxItems"] == MAX_HIGHLIGHTS
    assert all(p["description"] for p in s["properties"].values())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_schema_accepts_bundled_example(path: Path) -> None:
    VALIDATOR.validate(_json_ready(tomllib.loads(path.read_text(encoding="utf-8"))))


def test_schema_accepts_the_template() -> None:
    VALIDATOR.validate(_json_ready(TEMPLATE))


def _with(change: dict[str, Any], where: str = "") -> dict[str, Any]:
    data = json.loads(json.dumps(_json_ready(TEMPLATE)))
    target = data if not where else data[where][0]
    target.update(change)
    return data


@pytest.mark.parametrize(
    "bad",
    [
        _with({"colour": "red"}),
        _with({"lable": "x"}, "metrics"),
        _with({"count": 3}, "fraud_types"),
        _with({"title": {"en": "T", "fr": "T"}}),
        _with({"comparison": "last_week"}),
        _with({"title": "x" * (MAX_TEXT["title"] + 1)}),
        _with({"issued": "9 May 2023"}),
        _with({"cases": 2.5}, "fraud_types"),
        {k: v for k, v in _with({}).items() if k != "agency"},
        _with({"highlights": ["h"] * (MAX_HIGHLIGHTS + 1)}),
        _with({"logo": "logo.svg"}),
        _with({"issue_number": 0}),
        _with({"ranking": {"label": "x", "rate_per": 1000, "regions": []}}),
        _with({"trend": {"label": "x", "months": [{"month": "2023-13", "value": 1}] * 2}}),
    ],
    ids=[
        "unknown key",
        "unknown metric key",
        "unknown type key",
        "unknown language",
        "bad enum",
        "too long",
        "bad date",
        "fractional cases",
        "missing required",
        "too many highlights",
        "svg logo",
        "issue number 0",
        "bad rate base",
        "bad month",
    ],
)
def test_schema_rejects(bad: dict[str, Any]) -> None:
    assert not VALIDATOR.is_valid(bad)


def test_schema_rejects_a_metric_without_value_or_change() -> None:
    data = _with({}, "metrics")
    del data["metrics"][0]["value"], data["metrics"][0]["change_pct"]
    assert not VALIDATOR.is_valid(data)


# -- the CLI and setup ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"kreport {name}" in README


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_help_has_an_example(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_readme_setup_commands_and_ci() -> None:
    """Two commands that work pasted into a bare Debian shell: only python3, pip inside a venv."""
    block = _code_blocks(_section(README, "## Set up a fresh machine"), "sh")[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/kreport build",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    for command in commands:  # PEP 668 refuses a bare pip; Debian has no `python` command
        for step in command.split("&&"):
            assert step.split()[0] in (
                "python3",
                ".venv/bin/pip",
                ".venv/bin/kreport",
                ".venv/bin/python",
            )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in [line.strip() for line in ci]
