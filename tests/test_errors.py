"""Every kind of bad input gives a specific message naming file, field and what was expected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kreport
from helpers import REQUIRED, run
from kreport.cli import main
from kreport.errors import InputError, KreportError
from kreport.page.layout import PAPERS
from kreport.source import load as load_mod
from kreport.source.load import MAX_DEPTH, MAX_FILE_BYTES, Format, load, loads
from kreport.source.validate import validate
from pdfread import read_pdf

NO_CONTENT = (
    "march.toml: a briefing needs at least one metric ([[metrics]]) or fraud type ([[fraud_types]])"
)
METRIC = {"label": "Scam cases", "value": 12}


def problems(raw: dict[str, Any], language: str | None = None) -> list[str]:
    """The rendered problems ``raw`` gives, as the CLI prints them (minus ``error: ``)."""
    with pytest.raises(InputError) as info:
        validate(raw, "march.toml", language)
    return str(info.value).splitlines()


def load_error(data: bytes, fmt: Format) -> str:
    with pytest.raises(InputError) as info:
        loads(data, fmt, "march." + fmt.value)
    return str(info.value)


# -- validation messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {**REQUIRED, "metrics": [METRIC, METRIC, {"label": "x", "value": "1,234"}]},
            'march.toml: metrics[2].value: expected a number, got "1,234"',
        ),
        (
            {**REQUIRED, "titel": "x", "metrics": [METRIC]},
            "march.toml: titel: unknown key; did you mean 'title'?",
        ),
        (
            {**REQUIRED, "metrics": [{**METRIC, "previos": 3}]},
            "march.toml: metrics[0].previos: unknown key; did you mean 'previous'?",
        ),
        (
            {"agency": "A", "period": "P", "metrics": [METRIC]},
            "march.toml: title: required text is missing",
        ),
        ({**REQUIRED, "title": 5, "metrics": [METRIC]}, "march.toml: title: expected text, got 5"),
        ({**REQUIRED, "title": "  ", "metrics": [METRIC]}, "march.toml: title: must not be empty"),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": float("nan")}]},
            "march.toml: metrics[0].value: expected a finite number, got nan",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": float("-inf")}]},
            "march.toml: metrics[0].value: expected a finite number, got -inf",
        ),
        (
            {**REQUIRED, "fraud_types": [{"label": "x", "cases": -3}]},
            "march.toml: fraud_types[0].cases: must not be negative, got -3",
        ),
        (
            {**REQUIRED, "fraud_types": [{"label": "x", "cases": 2.5}]},
            "march.toml: fraud_types[0].cases: expected a whole number, got 2.5",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": 10**400}]},
            "march.toml: metrics[0].value: a number of 401 digits is too large "
            "(the limit is 1e+15)",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": 2e15}]},
            "march.toml: metrics[0].value: 2e+15 is too large (the limit is 1e+15)",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": True}]},
            "march.toml: metrics[0].value: expected a number, got true",
        ),
        (
            {
                **REQUIRED,
                "metrics": [{"label": "x", "value": 110, "previous": 100, "change_pct": 25}],
            },
            "march.toml: metrics[0].change_pct: 25 contradicts value and previous "
            "(which give 10.00)",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": 5, "previous": 0, "change_pct": 3}]},
            "march.toml: metrics[0].change_pct: previous is 0, so no percentage change exists; "
            "leave change_pct out",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "change_pct": -120}]},
            "march.toml: metrics[0].change_pct: a fall of more than 100% is impossible, got -120",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x"}]},
            "march.toml: metrics[0]: a metric needs a value or a change_pct",
        ),
        (
            {
                **REQUIRED,
                "types_total": 5,
                "fraud_types": [{"label": "a", "cases": 4}, {"label": "b", "cases": 3}],
            },
            "march.toml: types_total: the fraud types add up to 7, more than types_total = 5",
        ),
        (
            {**REQUIRED, "fraud_types": [{"label": "a", "cases": 4}, {"label": "a", "cases": 3}]},
            "march.toml: fraud_types[1].label: 'a' is listed twice",
        ),
        (
            {**REQUIRED, "fraud_types": [{"label": "a", "cases": 4}, {"label": "b"}]},
            "march.toml: fraud_types[1]: has no cases or losses while other types do; "
            "give every type the same figure or none",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "x", "value": 3, "money": True}]},
            "march.toml: currency: required when figures are money "
            '(an ISO 4217 code such as "CNY")',
        ),
        (
            {**REQUIRED, "currency": "XYZ", "metrics": [METRIC]},
            'march.toml: currency: expected an ISO 4217 code such as "CNY", got "XYZ"',
        ),
        (
            {**REQUIRED, "metrics": [METRIC], "issued": "9 May"},
            'march.toml: issued: expected a date such as 2023-05-09, got "9 May"',
        ),
        (
            {**REQUIRED, "metrics": [{**METRIC, "better": "higher"}]},
            'march.toml: metrics[0].better: expected "up" or "down", got "higher"',
        ),
        (
            {**REQUIRED, "metrics": [METRIC], "language": "fr"},
            "march.toml: language: expected a language tag (en, en-GB, en-US, zh, zh-Hans, "
            'zh-Hant, zh-HK, zh-TW, zh-MO), got "fr"',
        ),
        (
            {**REQUIRED, "period": {"zh": "三月"}, "metrics": [METRIC]},
            "march.toml: period: no 'en' text (translations given: zh)",
        ),
        (
            {**REQUIRED},
            NO_CONTENT,
        ),
        (
            {**REQUIRED, "metrics": [], "fraud_types": []},
            NO_CONTENT,
        ),
        (
            {**REQUIRED, "metrics": {"label": "x"}},
            "march.toml: metrics: expected a list of tables, got a table",
        ),
        ({**REQUIRED, "metrics": [3]}, "march.toml: metrics[0]: expected a table, got 3"),
        (
            {**REQUIRED, "metrics": [METRIC] * 11},
            "march.toml: metrics: has 11 entries; at most 10 are accepted",
        ),
        (
            {**REQUIRED, "metrics": [METRIC], "highlights": ["h"] * 6},
            "march.toml: highlights: has 6 entries; at most 5 fit",
        ),
        (
            {**REQUIRED, "title": "x" * 81, "metrics": [METRIC]},
            "march.toml: title: is 81 characters long; at most 80 fit",
        ),
        (
            {**REQUIRED, "title": "简报" * 20 + "x", "metrics": [METRIC]},
            "march.toml: title: is 81 long, counting a Chinese character as two; at most 80 fit",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "a\x07b", "value": 1}]},
            "march.toml: metrics[0].label: contains the control character U+0007 (BEL)",
        ),
        (
            {**REQUIRED, "metrics": [METRIC], "highlights": ["zero\u200bwidth"]},
            "march.toml: highlights[0]: contains the control character U+200B (ZERO WIDTH SPACE)",
        ),
        (
            {**REQUIRED, "metrics": [{"label": "Fox 🦊 scams", "value": 1}]},
            "march.toml: metrics[0].label: the character '🦊' (U+1F98A) is not in the bundled "
            "fonts and cannot be printed",
        ),
        (
            {**REQUIRED, "language": "zh", "metrics": [{"label": "笑脸😀", "value": 1}]},
            "march.toml: metrics[0].label: the character '😀' (U+1F600) is not in the bundled "
            "fonts and cannot be printed",
        ),
    ],
)
def test_validation_message(raw: dict[str, Any], expected: str) -> None:
    assert expected in problems(raw)


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    raw = {
        "title": 5,
        "agency": "A",
        "period": "P",
        "metrics": [{"label": "x", "value": "1,234"}, {"label": "y\x07", "value": -1}],
        "fraud_types": [{"label": "z", "cases": float("nan")}],
        "colour": "red",
        "highlights": ["Fox 🦊"],
    }
    assert sorted(problems(raw)) == sorted(
        [
            "march.toml: colour: unknown key",
            "march.toml: title: expected text, got 5",
            'march.toml: metrics[0].value: expected a number, got "1,234"',
            "march.toml: metrics[1].label: contains the control character U+0007 (BEL)",
            "march.toml: metrics[1].value: must not be negative, got -1",
            "march.toml: fraud_types[0].cases: expected a finite number, got nan",
            "march.toml: highlights[0]: the character '🦊' (U+1F98A) is not in the bundled fonts "
            "and cannot be printed",
        ]
    )


# -- legitimate edge values -------------------------------------------------------------------


def test_previous_zero_is_a_new_figure_not_a_division_error() -> None:
    b = validate({**REQUIRED, "metrics": [{"label": "x", "value": 5, "previous": 0}]})
    assert b.metrics[0].change is not None
    assert b.metrics[0].change.kind is kreport.ChangeKind.NEW
    pdf = read_pdf(
        kreport.build_bytes({**REQUIRED, "metrics": [{"label": "x", "value": 5, "previous": 0}]})
    )
    assert pdf.pages == 1


def test_extreme_but_legal_values_and_markup_characters_build() -> None:
    raw = {
        "title": 'Fraud & "scams" <2023> $5 to $10',
        "agency": "O'Brien & Partners <Ltd>",
        "period": "Q1",
        "currency": "USD",
        "metrics": [
            {"label": "Losses & <damages>", "value": 1e14, "previous": 5e13, "money": True},
            {"label": "Rate $x$", "value": 0.001, "unit": "%"},
            {"label": "Tiny", "value": 0.001},
        ],
        "fraud_types": [{"label": "A & B", "cases": 0}, {"label": "C < D", "cases": 7}],
    }
    facts = read_pdf(kreport.build_bytes(raw))
    assert facts.pages == 1
    text = " ".join(facts.text.split())
    for literal in ('Fraud & "scams" <2023> $5 to $10', "O'Brien & Partners <Ltd>", "Rate $x$"):
        assert literal in text


# -- load: malformed, empty, not UTF-8, too big, too deep -------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        (
            b'title = "x"\nvalue = [1,\n',
            Format.TOML,
            "march.toml: malformed TOML: Invalid value (at end of document)",
        ),
        (
            b'title = "x"\ntitle = "y"\n',
            Format.TOML,
            "march.toml: malformed TOML: Cannot overwrite a value (at line 2, column 12)",
        ),
        (
            b'{"a": [1, 2,}',
            Format.JSON,
            "march.json: malformed JSON: Expecting value (at line 1, column 13)",
        ),
        (b'{"a": 1, "a": 2}', Format.JSON, "march.json: malformed JSON: the key 'a' is repeated"),
        (
            b"a: [1, 2\nb: c",
            Format.YAML,
            "march.yaml: malformed YAML: expected ',' or ']', but got ':' (at line 2, column 2), "
            "while parsing a flow sequence at line 1, column 4",
        ),
        (
            b"a: 1\na: 2\n",
            Format.YAML,
            "march.yaml: malformed YAML: the key 'a' is repeated (at line 2, column 1)",
        ),
        (b"", Format.TOML, "march.toml: file is empty"),
        (b" \n\t\n", Format.JSON, "march.json: file is empty"),
        (b"# nothing\n", Format.YAML, "march.yaml: file has no data (only comments)"),
        (
            b"[1, 2]",
            Format.JSON,
            "march.json: expected a table of keys at the top level, got a list",
        ),
        (
            b'title = "caf\xe9"\n',
            Format.TOML,
            "march.toml: not UTF-8 text (byte 0xE9 at line 1, column 13); save it as UTF-8",
        ),
        (
            "title: x".encode("utf-16"),
            Format.YAML,
            "march.yaml: the file is UTF-16 text; save it as UTF-8",
        ),
        (
            b'{"v": 1' + b"0" * 5000 + b"}",
            Format.JSON,
            "march.json: malformed JSON: a number has thousands of digits",
        ),
        (b"1: 2\n", Format.YAML, "march.yaml: the key 1 is not text; quote it"),
        (
            b"a: !!binary aGVsbG8=\n",
            Format.YAML,
            "march.yaml: a: binary data is not a value kreport accepts",
        ),
        (
            b"a: !!python/object/apply:os.system ['touch /tmp/kreport-pwned']\n",
            Format.YAML,
            "march.yaml: malformed YAML: the tag !!python/object/apply:os.system is not allowed "
            "(at line 1, column 4)",
        ),
        (
            b'{"a": ' + b"[" * 20 + b"]" * 20 + b"}",
            Format.JSON,
            f"march.json: nested more than {MAX_DEPTH} levels deep",
        ),
    ],
)
def test_load_message(data: bytes, fmt: Format, expected: str) -> None:
    assert load_error(data, fmt) == expected


def test_nan_and_infinity_are_named_by_field_in_every_format() -> None:
    sources = {
        Format.TOML: b'title="T"\nagency="A"\nperiod="P"\n[[metrics]]\nlabel="x"\nvalue=nan\n'
        b'[[metrics]]\nlabel="y"\nvalue=inf\n',
        Format.JSON: b'{"title":"T","agency":"A","period":"P","metrics":[{"label":"x","value":NaN},'
        b'{"label":"y","value":Infinity}]}',
        Format.YAML: b"title: T\nagency: A\nperiod: P\nmetrics:\n- {label: x, value: .nan}\n"
        b"- {label: y, value: .inf}\n",
    }
    for fmt, data in sources.items():
        with pytest.raises(InputError) as info:
            validate(loads(data, fmt, "f"), "f")
        assert str(info.value).splitlines() == [
            "f: metrics[0].value: expected a finite number, got nan",
            "f: metrics[1].value: expected a finite number, got inf",
        ], fmt


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"[" * 100_000, Format.JSON),
        (b'{"a": ' * 100_000, Format.JSON),
        (b"a = " + b"[" * 100_000, Format.TOML),
        (b"a = " + b"{b=" * 30_000, Format.TOML),
        (b"a: " + b"[" * 100_000, Format.YAML),
        (b"- " * 10_000 + b"x", Format.YAML),
    ],
)
def test_deep_nesting_is_a_clean_error(data: bytes, fmt: Format) -> None:
    assert load_error(data, fmt).endswith(f"nested more than {MAX_DEPTH} levels deep")


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    message = load_error("\n".join(lines).encode(), Format.YAML)
    assert message == (
        "march.yaml: malformed YAML: YAML aliases (*name) are not supported (at line 2, column 10)"
    )


def test_too_many_values_is_refused() -> None:
    data = json.dumps({"title": "T", "x": list(range(load_mod.MAX_NODES))}).encode()
    assert (
        load_error(data, Format.JSON)
        == f"march.json: more than {load_mod.MAX_NODES} values in one file"
    )


class _CountingFile:
    """A file of ``size`` bytes that records how much was asked of it."""

    def __init__(self, size: int) -> None:
        self.size, self.read_total = size, 0

    def __enter__(self) -> _CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, n: int = -1) -> bytes:
        n = self.size if n < 0 else min(n, self.size)
        self.read_total += n
        return b" " * n


def test_huge_file_is_refused_after_reading_at_most_the_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = _CountingFile(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "open", lambda self, mode="r": fake)
    with pytest.raises(InputError) as info:
        load(tmp_path / "big.toml")
    assert fake.read_total <= MAX_FILE_BYTES + 1
    assert str(info.value).endswith(f"file is larger than the {MAX_FILE_BYTES // 1024} KiB limit")


def test_huge_real_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(InputError, match="larger than the 1024 KiB limit"):
        load(big)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("march.txt", "march.txt: unknown file type; expected .toml, .yaml, .yml or .json"),
        ("missing.toml", "missing.toml: cannot read file: No such file or directory"),
    ],
)
def test_unreadable_paths(tmp_path: Path, name: str, expected: str) -> None:
    (tmp_path / "march.txt").write_text("x")
    with pytest.raises(InputError) as info:
        load(tmp_path / name)
    assert str(info.value) == f"{tmp_path}/{expected}"


# -- the command line: exit codes, no traceback -------------------------------------------------


def _codes(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``kreport ARGS``."""
    result = run(*args)
    return result.exit_code, result.stdout, result.stderr


def test_bad_data_exits_1_with_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "march.toml"
    src.write_text('title = "T"\n[[metrics]]\nlabel = "x"\nvalue = "1,234"\n')
    out = tmp_path / "out" / "march.pdf"
    for args in (["build", str(src), "-o", str(out)], ["validate", str(src)]):
        code, stdout, stderr = _codes(*args)
        assert code == 1
        assert stdout == ""
        assert stderr.splitlines() == [
            f"error: {src}: agency: required text is missing",
            f"error: {src}: period: required text is missing",
            f'error: {src}: metrics[0].value: expected a number, got "1,234"',
        ]
        assert "Traceback" not in stderr
    assert not out.parent.exists()


def test_validate_ok_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _codes("validate", str(kreport.example_path("singapore")))
    assert code == 0
    assert stdout.endswith(": ok\n")
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2() -> None:
    assert _codes("build", "--paper", "a3")[0] == 2
    assert _codes("build", "--no-such-option")[0] == 2
    assert _codes("validate")[0] == 2


def test_layout_error_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every file within the limits fits A4 and Letter: only a smaller page can overflow
    monkeypatch.setitem(PAPERS, "a4", (595.0, 300.0))
    src = tmp_path / "long.json"
    raw = {**REQUIRED, "highlights": ["word " * 40] * 5, "metrics": [{"label": "x", "value": 1}]}
    src.write_text(json.dumps(raw))
    code, _, stderr = _codes("build", str(src), "-o", str(tmp_path / "long.pdf"))
    assert code == 1
    assert stderr.startswith("error: the briefing is ")
    assert "taller than one page" in stderr
    assert not (tmp_path / "long.pdf").exists()


def test_validate_reports_a_page_that_does_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Valid data that would not fit its page fails validate as it fails build, naming the
    file; on the paper it fits, it is ok. Nothing is written either way."""
    monkeypatch.setitem(PAPERS, "a4", (595.0, 400.0))
    monkeypatch.chdir(tmp_path)
    raw = {**REQUIRED, "highlights": ["word " * 40] * 5, "metrics": [{"label": "x", "value": 1}]}
    Path("long.json").write_text(json.dumps(raw))
    Path("short.json").write_text(json.dumps({**raw, "highlights": ["word"]}))
    code, stdout, stderr = _codes("validate", "long.json", "short.json")
    assert code == 1
    assert stdout == "short.json: ok\n"
    built = _codes("build", "long.json", "-o", "long.pdf")[2].removeprefix("error: ")
    assert built.startswith("the briefing is ") and "taller than one page" in built
    assert stderr == f"error: long.json: {built}"
    assert _codes("validate", "long.json", "--paper", "letter")[:2] == (0, "long.json: ok\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.json", "short.json"]


def test_unexpected_errors_are_one_line_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("kreport.api.build_bytes", broken)
    out = str(tmp_path / "x.pdf")
    code, _, stderr = _codes("build", "-o", out)
    assert code == 1
    assert stderr == (
        "error: internal error (ZeroDivisionError: division by zero); this is a bug in kreport, "
        "rerun with --debug for the traceback\n"
    )
    result = CliRunner().invoke(main, ["--debug", "build", "-o", out])
    assert isinstance(result.exception, ZeroDivisionError)


def test_debug_reraises_kreport_errors(tmp_path: Path) -> None:
    src = tmp_path / "e.toml"
    src.write_text("")
    result = CliRunner().invoke(main, ["--debug", "validate", str(src)])
    assert isinstance(result.exception, KreportError)


def test_yaml_billion_laughs_through_the_cli_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "lol.yaml"
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    src.write_text("\n".join(lines))
    code, _, stderr = _codes("validate", str(src))  # expanding it would exhaust memory
    assert code == 1
    assert "YAML aliases (*name) are not supported" in stderr
