"""A tally's problems come all at once, each naming a cell or a TOML key; what a build checks
outside its period, and what ``kreport validate`` without a period checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kreport
from helpers import ROOT, problems_of, run, small_tally, write_csv, write_xlsx
from kreport.errors import InputError
from kreport.source.keys import MAX_TEXT
from kreport.tally.briefings import briefings
from kreport.tally.template import write_workbook

INTERNAL = re.compile(r"(metrics|fraud_types)\[\d|<tally>")
"""How the computed briefing's paths look: no tally error may show one."""


def _toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _error(source: Path, period: str | None = None, language: str | None = None) -> InputError:
    with pytest.raises(InputError) as exc:
        kreport.parse(source, language, period=period)
    assert not INTERNAL.search(str(exc.value)), str(exc.value)
    return exc.value


def test_percent_unit_and_a_misspelled_column_are_both_reported(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", small_tally())
    spec = _toml(
        tmp_path / "t.toml",
        'tally = "t.csv"\ncurrency = "CNY"\n'
        '[columns.Reports]\nunit = "%"\n[columns.Losess]\nmoney = true\n',
    )
    error = _error(spec, "2023-01")
    assert [(p.path, p.message) for p in error.problems] == [
        (
            'columns."Reports".unit',
            "percentages cannot be added up over months or regions; "
            "tally the counts they are made from instead",
        ),
        ('columns."Losess"', 'not a column of metrics (its columns: "Reports", "Losses")'),
    ]


def test_both_tables_problems_come_together_each_naming_its_file(tmp_path: Path) -> None:
    metrics = [["month", "Reports"], *([r[0], 9] for r in small_tally(("A",))[1:])]
    types = [["month", "Loan fraud", "Other", "Total"], *([r[0], 2, 1, 3] for r in metrics[1:])]
    metrics[14][1] = "n/a"  # 2023-02
    types[13][1] = -1  # 2023-01
    types[15][3] = 4  # 2023-03
    write_csv(tmp_path / "m.csv", metrics)
    write_csv(tmp_path / "f.csv", types)
    spec = _toml(tmp_path / "t.toml", 'tally = { metrics = "m.csv", fraud_types = "f.csv" }\n')
    lines = str(_error(spec, "2023-01..2023-03")).splitlines()
    assert lines == [
        f'{tmp_path / "m.csv"}: metrics row 15, column "Reports": expected a number, got "n/a"',
        f'{tmp_path / "f.csv"}: fraud_types row 16, column "Total": '
        "the total is 4, but the fraud types on this row add up to 3",
        f'{tmp_path / "f.csv"}: fraud_types row 14, column "Loan fraud": '
        "must not be negative, got -1",
    ]


def test_cell_problems_come_with_the_tomls_and_the_validators(tmp_path: Path) -> None:
    rows = small_tally()
    rows[25][2] = ""  # 2023-01 for A
    write_csv(tmp_path / "t.csv", rows)
    spec = _toml(
        tmp_path / "t.toml",
        'tally = "t.csv"\ntitel = "x"\nissued = "9 May"\n'
        '[columns.Reports]\nbetter = "sideways"\n'
        '[columns.Losses]\nlabel = "Loss\\u0007es"\nmoney = true\n',
    )
    error = _error(spec, "2023-01")
    assert [(p.path, p.message) for p in error.problems] == [
        ("titel", "not a tally briefing key; did you mean 'title'?"),
        ('metrics row 26, column "Reports"', "empty, but the period needs it"),
        ('columns."Reports".better', 'expected "up" or "down", got "sideways"'),
        ('columns."Losses".label', "contains the control character U+0007 (BEL)"),
        ("currency", 'required when figures are money (an ISO 4217 code such as "CNY")'),
        ("issued", 'expected a date such as 2023-05-09, got "9 May"'),
    ]
    lines = str(error).splitlines()
    assert lines[1].startswith(f"{tmp_path / 't.csv'}: metrics row 26")
    assert all(line.startswith(f"{spec}: ") for i, line in enumerate(lines) if i != 1)


def test_validator_problems_name_the_header_and_the_cells_added_up(tmp_path: Path) -> None:
    rows = small_tally()
    rows[0][2:] = ["R" * (MAX_TEXT["label"] + 1), "Fox 🦊"]
    for r in rows[1:]:
        r[2] = 6e14  # two regions' months add up to more than the 1e15 limit
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    error = _error(path, "2023-01")
    assert sorted((p.path, p.message) for p in error.problems) == [
        (
            "metrics!C1",
            f"is {MAX_TEXT['label'] + 1} characters long; at most {MAX_TEXT['label']} fit",
        ),
        ("metrics!C26:C27", "1200000000000000 is too large (the limit is 1e+15)"),
        ("metrics!C2:C3", "1200000000000000 is too large (the limit is 1e+15)"),
        (
            "metrics!D1",
            "the character '🦊' (U+1F98A) is not in the bundled fonts and cannot be printed",
        ),
    ]


@pytest.mark.parametrize(
    ("suffix", "cell", "message"),
    [
        ("csv", "1e308", '"1e308" is too large (the limit is 1e+15)'),
        ("csv", "9" * 5000, "a number of 5000 digits is too large (the limit is 1e+15)"),
        ("csv", "1000000000000001", '"1000000000000001" is too large (the limit is 1e+15)'),
        ("xlsx", 1e308, "1e+308 is too large (the limit is 1e+15)"),
    ],
)
def test_a_cell_too_large_is_named_itself_once(
    tmp_path: Path, suffix: str, cell: object, message: str
) -> None:
    """Not the header, not the cells of the period added up, no knock-on month-order problem."""
    rows = small_tally()
    rows[27][2] = cell  # 2023-02 of region A: sheet row 28
    path = tmp_path / f"t.{suffix}"
    write_csv(path, rows) if suffix == "csv" else write_xlsx(path, rows)
    where = 'metrics row 28, column "Reports"' if suffix == "csv" else "metrics!C28"
    expected = [(where, message)]
    assert [(p.path, p.message) for p in _error(path, "2023-01..2023-03").problems] == expected
    assert [(p.path, p.message) for p in _error(path).problems] == expected  # kreport validate


def test_a_trend_month_too_large_names_that_months_rows(tmp_path: Path) -> None:
    rows = small_tally()
    rows[27][2] = rows[28][2] = 6e14  # 2023-02 of both regions: each within the limit
    error = _error(write_xlsx(tmp_path / "t.xlsx", rows), "2023-01..2023-03")
    assert sorted((p.path, p.message) for p in error.problems) == [
        (
            "metrics!C26:C31",
            f"{1_200_000_000_000_000 + 22 + 23 + 24 + 25} is too large (the limit is 1e+15)",
        ),
        ("metrics!C28:C29", "1200000000000000 is too large (the limit is 1e+15)"),
    ]


def test_a_label_missing_the_chosen_language_names_the_toml_key(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", small_tally())
    spec = _toml(tmp_path / "t.toml", 'tally = "t.csv"\n[columns.Reports]\nlabel = { en = "R" }\n')
    assert kreport.parse(spec, period="2023-01").metrics[0].label == "R"
    error = _error(spec, "2023-01", "zh")
    assert [(p.path, p.message) for p in error.problems] == [
        ('columns."Reports".label', "no 'zh' text (translations given: en)")
    ]


def test_an_unreadable_tally_still_reports_the_tomls_problems(tmp_path: Path) -> None:
    spec = _toml(
        tmp_path / "t.toml",
        'tally = "missing.csv"\ntitel = "x"\n[columns.Reports]\nlabel = "x\\u0007"\nmoney = true\n',
    )
    lines = str(_error(spec)).splitlines()
    assert lines == [
        f"{spec}: titel: not a tally briefing key; did you mean 'title'?",
        f"{tmp_path / 'missing.csv'}: cannot read file: No such file or directory",
        f'{spec}: columns."Reports".label: contains the control character U+0007 (BEL)',
        f'{spec}: currency: required when figures are money (an ISO 4217 code such as "CNY")',
    ]


def test_breakdown_by_losses_is_refused_once(tmp_path: Path) -> None:
    metrics = [["month", "Reports"], *([r[0], 9] for r in small_tally(("A",))[1:])]
    types = [["month", "Loan fraud", "Other"], *([r[0], 2, 1] for r in metrics[1:])]
    spec = _toml(tmp_path / "t.toml", 'tally = "t.xlsx"\nbreakdown = "losses"\n')
    write_xlsx(tmp_path / "t.xlsx", metrics, types)
    assert [(p.path, p.message) for p in _error(spec, "2023-01").problems] == [
        ("breakdown", 'a tally counts fraud types in cases; use "cases"')
    ]


# -- outside the period --------------------------------------------------------------------------


def _tally_with_problems_in_june_2022(folder: Path) -> Path:
    rows = small_tally(("A",))
    rows[6][2] = "n/a"  # 2022-06: in no period up to 2023-03 but 2022-06 itself
    types = [["month", "Loan fraud", "Other", "Total"], *([r[0], 2, 1, 3] for r in rows[1:])]
    types[6][3] = 9
    return write_xlsx(folder / "t.xlsx", rows, types)


def test_a_build_checks_the_cells_its_period_needs(tmp_path: Path) -> None:
    path = _tally_with_problems_in_june_2022(tmp_path)
    ((_, raw),) = briefings(path)  # the default period: 2023-01..2023-03
    assert raw["metrics"][0]["value"] == (10 + 12) + (10 + 13) + (10 + 14)
    with pytest.raises(InputError) as exc:
        briefings(path, "2022-06")
    assert ("metrics!C7", 'expected a number, got "n/a"') in problems_of(exc)
    assert (
        "fraud_types!D7",
        "the total is 9, but the fraud types on this row add up to 3",
    ) in problems_of(exc)


def test_validate_without_a_period_checks_every_cell(tmp_path: Path) -> None:
    path = _tally_with_problems_in_june_2022(tmp_path)
    assert run("validate", str(path), "--period", "2023-01").exit_code == 0
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'error: {path}: metrics!C7: expected a number, got "n/a"',
        f"error: {path}: fraud_types!D7: "
        "the total is 9, but the fraud types on this row add up to 3",
    ]


# -- one briefing per region ---------------------------------------------------------------------


def test_a_bad_cell_fails_only_the_regions_briefings_that_need_it(tmp_path: Path) -> None:
    rows = small_tally()
    rows[26][3] = "n/a"  # 2023-01 for B, in Losses: not the column the ranking compares
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    result = kreport.build_many([path], tmp_path / "out", period="2023-01", by="region")
    assert [o.ok for o in result.outcomes] == [True, False]
    assert result.outcomes[1].error == f'b: {path}: metrics!D27: expected a number, got "n/a"'
    rows[26][2] = "n/a"  # in Reports, which every region's ranking shows
    write_xlsx(path, rows)
    result = kreport.build_many([path], tmp_path / "out", period="2023-01", by="region")
    assert [o.ok for o in result.outcomes] == [False, False]
    assert f'a: {path}: metrics!C27: expected a number, got "n/a"' in (
        result.outcomes[0].error or ""
    )


def test_a_problem_with_the_whole_tally_fails_it_once_even_by_region(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", small_tally())
    spec = _toml(tmp_path / "t.toml", 'tally = "t.csv"\ntitel = "x"\n')
    items = kreport.collect([spec], period="2023-01", by="region")
    assert [(i.name, i.label) for i in items] == [("t", str(spec))]
    with pytest.raises(InputError, match="titel: not a tally briefing key"):
        items[0].validate()


# -- the README's catalogue ----------------------------------------------------------------------


def _catalogue_cases(folder: Path) -> list[tuple[Path, str | None, str | None]]:
    """(source, period, by) for tallies that between them make every message in the README."""
    rows = small_tally()
    rows[0][2:] = ["Reports", "Losses", "Reports", ""]
    for r in rows[1:]:
        r += [1, 1]
    rows[4][0] = "Jan 2022"
    rows[8][1] = ""
    rows[5][3] = -5
    rows[6][2] = "n/a"
    rows[29][2] = ""
    rows.append(["2023-02", "B", 1, 1, 1, 1])
    structure = write_xlsx(folder / "structure.xlsx", rows)

    gaps = [r for r in small_tally() if not (r[1] == "A" and r[0] == "2023-03")]
    gaps += [["2023-02", "C", 5, 5], ["2023-03", "C", 5, 5]]
    csv_cell = small_tally()
    csv_cell[11][3] = "12k"
    single = [["month", "Reports"], *([r[0], 9] for r in small_tally(("A",))[1:])]
    fraction = [["month", "Loan fraud", "Other", "Total"], *([r[0], 2, 1, 3] for r in single[1:])]
    total = [list(r) for r in fraction]
    fraction[14][1] = 2.5
    total[14][3] = 4
    long = small_tally()
    long[0][2] = "R" * (MAX_TEXT["label"] + 1)
    for r in long[1:]:
        r[2] = 6e14
    keys = _toml(
        folder / "keys.toml",
        'tally = "small.csv"\ntitel = "x"\nperiod = "x"\nbreakdown = "losses"\n'
        '[columns.Reports]\naggregate = "mean"\nbetter = "sideways"\n'
        '[columns.Rate]\nunit = "%"\n[columns.Arrests]\n',
    )
    ranked = _toml(
        folder / "ranked.toml",
        'tally = "small.csv"\nregion_noun = "dis\\u0007tricts"\n[regions]\nA = "Al\\u0007pha"\n',
    )
    months = _toml(folder / "months.toml", 'tally = "small.csv"\nmonths = "2023-04..2023-01"\n')
    no_month = write_csv(folder / "no-month.csv", [["date", "Reports"], ["2023-01", 1]])
    no_sheet = write_workbook(folder / "no-sheet.xlsx", {"Sheet1": [["month", "x"]]})
    no_region = write_csv(
        folder / "no-region.csv", [["month", "x"], ["2023-01", 1], ["2022-01", 1]]
    )
    return [
        (structure, "2023-03", None),
        (write_csv(folder / "gaps.csv", gaps), "2023-02..2023-03", None),
        (write_csv(folder / "small.csv", small_tally()), "2024-06", None),
        (write_csv(folder / "cell.csv", csv_cell), "2022-06", None),
        (write_xlsx(folder / "fraction.xlsx", single, fraction), "2023-02", None),
        (write_xlsx(folder / "total.xlsx", single, total), "2023-02", None),
        (write_xlsx(folder / "long.xlsx", long), "2023-01", None),
        (keys, "2023-01", None),
        (months, None, None),
        (folder / "small.csv", "2022-01..2023-01", None),
        (no_month, None, None),
        (no_sheet, None, None),
        (no_region, "2023-01", "region"),
        (write_xlsx(folder / "slug.xlsx", small_tally(("North", "../.."))), "2023-01", "region"),
        (write_xlsx(folder / "fox.xlsx", small_tally(("A", "B🦊"))), "2023-01..2023-03", None),
        (ranked, "2023-01..2023-03", None),
        (
            write_xlsx(folder / "same.xlsx", small_tally(("North East", "x", "north-east"))),
            "2023-01",
            "region",
        ),
    ]


def test_every_message_in_the_readmes_tally_catalogue_is_real(tmp_path: Path) -> None:
    made = []
    for source, period, by in _catalogue_cases(tmp_path):
        with pytest.raises(InputError) as exc:
            briefings(source, period, "region" if by else None)
        assert not INTERNAL.search(str(exc.value))
        made += [f"{p.path}: {p.message}" if p.path else p.message for p in exc.value.problems]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### What is checked") :]
    start = section.index("| problem | message |")
    table = section[start : section.index("\n\n", start)]
    documented = [m for line in table.splitlines()[2:] for m in re.findall(r"`([^`]+)`", line)]
    documented = [m for m in documented if ":" in m or m.startswith("no sheet")]
    assert len(documented) >= 30
    missing = [m for m in documented if not any(m in line for line in made)]
    assert missing == []


def test_trend_and_ranking_problems_name_the_toml_keys_and_region_cells(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", small_tally())
    spec = _toml(
        tmp_path / "t.toml",
        'tally = "t.csv"\nregion_noun = "dis\\u0007tricts"\n[regions]\nA = "Al\\u0007pha"\n'
        '[columns.Reports]\nmoney = "yes"\n',
    )
    error = _error(spec, "2023-01..2023-03")
    assert [(p.path, p.message) for p in error.problems] == [
        ('columns."Reports".money', 'expected true or false, got "yes"'),
        ("region_noun", "contains the control character U+0007 (BEL)"),
        ('regions."A"', "contains the control character U+0007 (BEL)"),
    ]
    fox = write_xlsx(tmp_path / "fox.xlsx", small_tally(("A", "B🦊")))
    assert [(p.path, p.message) for p in _error(fox, "2023-01..2023-03").problems] == [
        (
            "metrics!B3",
            "the character '🦊' (U+1F98A) is not in the bundled fonts and cannot be printed",
        )
    ]
