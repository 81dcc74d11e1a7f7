"""Tally spreadsheets: period arithmetic, reading .xlsx and .csv, every data error, bursting."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import kreport
from helpers import (
    ASSETS,
    EXAMPLE_TALLY,
    ROOT,
    SMALL_MONTHS,
    problems_of,
    run,
    small_tally,
    write_csv,
    write_xlsx,
)
from kreport.errors import InputError
from kreport.tally.briefings import briefings, slug
from kreport.tally.cells import Month
from kreport.tally.spec import Period, is_tally, load_spec
from kreport.tally.template import write_template, write_workbook
from pdfread import read_pdf

REGIONS = ["east", "north", "south", "west"]


# -- period arithmetic ---------------------------------------------------------------------------


def test_period_range_has_the_same_months_a_year_earlier_as_baseline() -> None:
    p = Period.parse("2023-01..2023-04")
    assert [str(m) for m in p.months()] == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert str(p.baseline()) == "2022-01..2022-04"
    assert p.label("en") == "January–April 2023"
    assert p.label("zh") == "2023年1月至4月"
    assert p.baseline().label("en") == "January–April 2022"


def test_period_across_a_year_end() -> None:
    p = Period.parse("2022-11..2023-02")
    assert len(p.months()) == 4
    assert str(p.baseline()) == "2021-11..2022-02"
    assert p.label("en") == "November 2022–February 2023"
    assert p.label("zh") == "2022年11月至2023年2月"
    assert p.baseline().label("en") == "November 2021–February 2022"


def test_single_month_period() -> None:
    p = Period.parse("2023-04")
    assert p.months() == [Month.of(2023, 4)]
    assert str(p.baseline()) == "2022-04"
    assert p.label("en") == "April 2023"
    assert p.label("zh") == "2023年4月"


def test_partial_and_whole_years() -> None:
    assert len(Period.parse("2023-03..2023-08").months()) == 6
    whole = Period.parse("2023-01..2023-12")
    assert whole.label("en") == "January–December 2023"
    assert str(whole.baseline()) == "2022-01..2022-12"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-04..2023-01", "ends before it starts"),
        ("2022-01..2023-01", "longer than 12 months"),
        ("April", "not a period"),
        ("2023-13", "not a period"),
        ("2023-01..", "not a period"),
    ],
)
def test_bad_periods_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


def test_bad_period_from_the_caller_names_the_option(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", small_tally())
    with pytest.raises(InputError) as exc:
        briefings(path, "2023-02..2023-01")
    assert problems_of(exc)[0][0] == "--period"


def test_default_period_is_the_year_to_date_of_the_latest_month(tmp_path: Path) -> None:
    ((_, raw),) = briefings(write_csv(tmp_path / "t.csv", small_tally()))
    assert raw["period"]["en"] == "January–March 2023"
    assert raw["period"]["zh"] == raw["period"]["zh-HK"] == "2023年1月至3月"
    assert raw["baseline"]["en"] == "January–March 2022"


# -- the computed briefing is a hand-written briefing --------------------------------------------


def test_figures_are_sums_over_months_and_regions(tmp_path: Path) -> None:
    ((name, raw),) = briefings(write_csv(tmp_path / "small.csv", small_tally()), "2023-02..2023-03")
    assert name == "small"
    reports = {m["label"]: m for m in raw["metrics"]}["Reports"]
    # 2023-02 is month 13 (0-based), 2023-03 month 14: region A adds 0, region B adds 1.
    assert reports["value"] == (10 + 13) + (11 + 13) + (10 + 14) + (11 + 14)
    assert reports["previous"] == (10 + 1) + (11 + 1) + (10 + 2) + (11 + 2)
    assert {m["label"]: m for m in raw["metrics"]}["Losses"]["value"] == 2 * (1000 + 2000)


def test_tally_pdf_is_byte_identical_to_the_hand_written_briefing(tmp_path: Path) -> None:
    tally = write_csv(tmp_path / "t.csv", small_tally())
    spec = tmp_path / "t.toml"
    spec.write_text(
        'tally = "t.csv"\ntitle = "Monthly briefing"\nagency = "Test Centre"\n'
        'issued = 2023-04-10\ncurrency = "CNY"\nmixed_languages = true\n'
        '[columns.Reports]\nbetter = "down"\nheadline = true\n'
        '[columns.Losses]\nlabel = { en = "Losses", zh = "损失" }\nmoney = true\n',
        encoding="utf-8",
    )
    ((_, raw),) = briefings(spec, "2023-01..2023-03")
    assert tally.exists()
    hand_written = {
        "title": "Monthly briefing",
        "agency": "Test Centre",
        "issued": "2023-04-10",
        "currency": "CNY",
        "mixed_languages": True,  # English texts in the zh edition too
        "period": {"en": "January–March 2023", "zh": "2023年1月至3月"},
        "baseline": {"en": "January–March 2022", "zh": "2022年1月至3月"},
        "metrics": [
            {"label": "Reports", "better": "down", "headline": True, "value": 141, "previous": 69},
            {
                "label": {"en": "Losses", "zh": "损失"},
                "money": True,
                "value": 9000,
                "previous": 9000,
            },
        ],
        # the first column month by month (2023-01 is row index 12) and each region's total
        "trend": {
            "label": "Reports",
            "money": False,
            "months": [
                {"month": f"2023-0{i - 11}", "value": 21 + 2 * i, "previous": 21 + 2 * (i - 12)}
                for i in (12, 13, 14)
            ],
        },
        "ranking": {
            "label": "Reports",
            "noun": {"en": "regions", "zh": "地区"},
            "money": False,
            "regions": [
                {"name": r, "value": sum(10 + i + j for i in (12, 13, 14)), "previous": 33 + 3 * j}
                for j, r in enumerate("AB")
            ],
        },
    }
    for lang in ("en", "zh"):
        assert kreport.build_bytes(raw, lang) == kreport.build_bytes(hand_written, lang)


def test_csv_and_xlsx_give_the_same_briefing(tmp_path: Path) -> None:
    from_xlsx = briefings(EXAMPLE_TALLY, "2023-01..2023-04")
    spec = tmp_path / "example-tally.toml"
    # beside the TOML: a tally TOML may name only files in its own folder or below (issue 10)
    for name in ("example-tally-metrics.csv", "example-tally-fraud_types.csv"):
        (tmp_path / name).write_bytes((ASSETS / name).read_bytes())
    text = EXAMPLE_TALLY.read_text(encoding="utf-8").replace(
        'tally = "example-tally.xlsx"',
        'tally = { metrics = "example-tally-metrics.csv", '
        'fraud_types = "example-tally-fraud_types.csv" }',
    )
    spec.write_text(text, encoding="utf-8")
    assert briefings(spec, "2023-01..2023-04") == from_xlsx


def test_date_cells_and_month_text_are_the_same_month(tmp_path: Path) -> None:
    import datetime as dt

    rows = small_tally(("A",))
    dated = [rows[0]] + [[dt.datetime.strptime(r[0], "%Y-%m"), *r[1:]] for r in rows[1:]]
    (tmp_path / "dated").mkdir()
    a = briefings(write_xlsx(tmp_path / "a.xlsx", rows), "2023-01")
    b = briefings(write_xlsx(tmp_path / "dated" / "a.xlsx", dated), "2023-01")
    assert a[0][1] == b[0][1]


def test_aggregate_last_takes_the_final_month(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", small_tally(("A",)))
    spec = tmp_path / "t.toml"
    spec.write_text('tally = "t.csv"\n[columns.Reports]\naggregate = "last"\n', encoding="utf-8")
    ((_, raw),) = briefings(spec, "2023-01..2023-03")
    assert raw["metrics"] == [{"label": "Reports", "value": 10 + 14, "previous": 10 + 2}]


def test_example_tally_matches_its_generator(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_example", ASSETS / "make_example_tally.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    metrics, types = module.tables()
    assert module.csv_bytes(metrics) == (ASSETS / "example-tally-metrics.csv").read_bytes()
    assert module.csv_bytes(types) == (ASSETS / "example-tally-fraud_types.csv").read_bytes()
    written = module.write_workbook(
        tmp_path / "regen.xlsx", {"metrics": metrics, "fraud_types": types}, module.ABOUT
    )
    assert written.read_bytes() == (ASSETS / "example-tally.xlsx").read_bytes()


def test_example_page_says_the_data_is_synthetic() -> None:
    ((_, raw),) = briefings(EXAMPLE_TALLY)
    text = read_pdf(kreport.build_bytes(raw)).text
    assert "Synthetic example data" in text
    assert "January–April 2023" in text
    assert "合成示例数据" in read_pdf(kreport.build_bytes(raw, "zh")).text


# -- errors name the sheet, row and column -------------------------------------------------------


def test_non_numeric_cell_in_a_workbook_is_named_like_a_spreadsheet(tmp_path: Path) -> None:
    rows = small_tally()
    rows[6][2] = "n/a"  # row 7 of the sheet, column C: 2022-03 for B, the baseline of 2023-03
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", rows), "2023-03")
    assert problems_of(exc) == [("metrics!C7", 'expected a number, got "n/a"')]
    assert str(exc.value).startswith(f"{tmp_path / 't.xlsx'}: metrics!C7: ")


def test_non_numeric_cell_in_a_csv_is_named_by_row_and_header(tmp_path: Path) -> None:
    rows = small_tally()
    rows[11][3] = "12k"  # 2022-06 for B
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", rows), "2022-06")
    assert ('metrics row 12, column "Losses"', 'expected a number, got "12k"') in problems_of(exc)


def test_fraud_type_cells_must_be_whole_numbers(tmp_path: Path) -> None:
    types = [["month", "Loan fraud"], *([m, 3] for m in SMALL_MONTHS)]
    types[14][1] = 2.5  # 2023-02
    metrics = [["month", "Reports"], *([m, 1] for m in SMALL_MONTHS)]
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", metrics, types), "2023-01..2023-03")
    assert problems_of(exc) == [("fraud_types!B15", "expected a whole number of cases, got 2.5")]


def test_negative_cell_bad_month_and_empty_cell_are_reported_at_once(tmp_path: Path) -> None:
    rows = small_tally()
    rows[3][3] = -5  # 2022-02 for A: the baseline of 2023-02
    rows[4][0] = "Jan 2022"  # a month cell is structure: checked whatever the period
    rows[27][2] = ""  # 2023-02 for A
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", rows), "2023-02")
    assert problems_of(exc) == [
        ("metrics!A5", 'expected a month such as 2023-04 or a date, got "Jan 2022"'),
        (
            "metrics",
            "region 'B' has rows for the period 2023-02 but none for the baseline 2022-02; "
            "no comparison possible; the month or region of row 5 could not be read",
        ),
        ("metrics!C28", "empty, but the period needs it"),
        ("metrics!D4", "must not be negative, got -5"),
    ]


def test_duplicate_rows(tmp_path: Path) -> None:
    rows = small_tally()
    rows.append(["2023-02", "B", 1, 1])
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", rows), "2023-01")
    ((path, message),) = problems_of(exc)
    assert path == f"metrics!A{len(rows)}"
    assert message == "duplicate row: 2023-02 for B is also on row 29"


def test_missing_months_in_the_period_and_in_the_baseline(tmp_path: Path) -> None:
    rows = [r for r in small_tally() if not (r[1] == "A" and r[0] in ("2022-02", "2023-03"))]
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", rows), "2023-01..2023-03")
    assert problems_of(exc) == [
        ("metrics", "no row for A for 2023-03, which the period needs"),
        ("metrics", "no row for A for 2022-02, which the baseline needs"),
    ]


def test_period_outside_the_data(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", small_tally(("A",))), "2024-06")
    assert problems_of(exc) == [
        ("metrics", "no rows for the period 2024-06 (its rows cover 2022-01..2023-03)"),
        ("metrics", "no rows for the baseline 2023-06 (its rows cover 2022-01..2023-03)"),
    ]
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", small_tally(("A",))), "2022-04")
    assert problems_of(exc) == [
        ("metrics", "no rows for the baseline 2021-04 (its rows cover 2022-01..2023-03)")
    ]


def test_region_present_in_one_year_only(tmp_path: Path) -> None:
    rows = small_tally() + [[m, "C", 5, 5] for m in ("2023-01", "2023-02")]
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", rows), "2023-01..2023-02")
    assert problems_of(exc) == [
        (
            "metrics",
            "region 'C' has rows for the period 2023-01..2023-02 but none for the baseline "
            "2022-01..2022-02; no comparison possible",
        )
    ]


def test_totals_that_do_not_add_up(tmp_path: Path) -> None:
    metrics = [["month", "Reports"], *([m, 9] for m in SMALL_MONTHS)]
    types = [["month", "Loan fraud", "Other", "Total"], *([m, 2, 1, 3] for m in SMALL_MONTHS)]
    types[14][3] = 4
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", metrics, types), "2023-01..2023-03")
    assert problems_of(exc) == [
        ("fraud_types!D15", "the total is 4, but the fraud types on this row add up to 3")
    ]


def test_totals_become_types_total(tmp_path: Path) -> None:
    metrics = [["month", "Reports"], *([m, 9] for m in SMALL_MONTHS)]
    types = [["month", "Loan fraud", "Other", "Total"], *([m, 2, 1, 3] for m in SMALL_MONTHS)]
    ((_, raw),) = briefings(write_xlsx(tmp_path / "t.xlsx", metrics, types), "2023-01..2023-03")
    assert raw["types_total"] == 9
    assert raw["fraud_types"] == [
        {"label": "Loan fraud", "cases": 6, "previous_cases": 6},
        {"label": "Other", "cases": 3, "previous_cases": 3},
    ]


def test_empty_cell_in_the_period(tmp_path: Path) -> None:
    rows = small_tally()
    rows[-1][2] = ""  # 2023-03, region B
    with pytest.raises(InputError) as exc:
        briefings(write_xlsx(tmp_path / "t.xlsx", rows), "2023-03")
    assert problems_of(exc) == [(f"metrics!C{len(rows)}", "empty, but the period needs it")]


def test_column_with_no_baseline_figures_gets_a_visible_note(tmp_path: Path) -> None:
    rows = small_tally(("A",))
    for r in rows[1:]:
        if r[0].startswith("2022"):
            r[3] = ""  # losses were not tallied in 2022
    ((_, raw),) = briefings(write_csv(tmp_path / "t.csv", rows), "2023-01..2023-02")
    losses = raw["metrics"][1]
    assert "previous" not in losses
    assert raw["note"]["en"] == "No January–February 2022 figures for Losses: no change shown."
    text = read_pdf(kreport.build_bytes(raw)).text
    assert "No January–February 2022 figures for Losses" in text


def test_missing_header_and_unknown_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        briefings(write_csv(tmp_path / "t.csv", [["date", "Reports"], ["2023-01", 1]]))
    assert problems_of(exc) == [("metrics", 'no "month" column in the header row (row 1)')]
    write_csv(tmp_path / "u.csv", small_tally())
    spec = tmp_path / "u.toml"
    spec.write_text('tally = "u.csv"\n[columns.Arrests]\nlabel = "Arrests"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        briefings(spec, "2023-01")
    assert problems_of(exc) == [
        ('columns."Arrests"', 'not a column of metrics (its columns: "Reports", "Losses")')
    ]
    assert str(exc.value).startswith(f'{spec}: columns."Arrests": ')


def test_spec_errors_name_the_toml_keys(tmp_path: Path) -> None:
    spec = tmp_path / "s.toml"
    spec.write_text(
        'tally = "s.pdf"\nperiod = "x"\ntitel = "x"\n'
        '[columns.Reports]\naggregate = "mean"\ncolour = "red"\n',
        encoding="utf-8",
    )
    assert [(p.path, p.message) for p in load_spec(spec).problems] == [
        ("period", "not a tally briefing key; it is computed from the tally"),
        ("titel", "not a tally briefing key; did you mean 'title'?"),
        ("tally", "expected an .xlsx or .csv file"),
        (
            'columns."Reports".colour',
            "unknown key; use label, money, better, aggregate, unit, headline",
        ),
        ('columns."Reports".aggregate', 'expected "sum" or "last"'),
    ]


def test_workbook_without_a_metrics_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", {"Sheet1": [["month", "x"]], "data": [["a"]]})
    with pytest.raises(InputError, match='no sheet named "metrics"'):
        briefings(path)


def test_is_tally() -> None:
    assert is_tally(EXAMPLE_TALLY)
    assert is_tally(Path("x.xlsx")) and is_tally(Path("x.CSV"))
    assert not is_tally(kreport.example_path("karamay"))


# -- one briefing per region ---------------------------------------------------------------------


def test_by_region_builds_one_page_per_district() -> None:
    parts = briefings(EXAMPLE_TALLY, "2023-04", "region")
    assert [name for name, _ in parts] == REGIONS
    for name, raw in parts:
        facts = read_pdf(kreport.build_bytes(raw))
        assert facts.pages == 1
        words = " ".join(facts.text.split())
        assert f"{name.title()} District" in words
        assert "April 2023 · compared with April 2022" in words


def test_regions_add_up_to_the_whole() -> None:
    ((_, whole),) = briefings(EXAMPLE_TALLY, "2023-01..2023-04")
    parts = briefings(EXAMPLE_TALLY, "2023-01..2023-04", "region")
    for i, metric in enumerate(whole["metrics"]):
        assert metric["value"] == sum(raw["metrics"][i]["value"] for _, raw in parts)


def test_by_region_needs_a_region_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["month", "x"], ["2023-01", 1], ["2022-01", 1]])
    with pytest.raises(InputError, match='no "region" column'):
        briefings(path, "2023-01", "region")


def test_two_regions_with_the_same_file_name_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", small_tally(("North East", "north-east")))
    with pytest.raises(InputError, match=r"would both be written to north-east\.pdf"):
        briefings(path, "2023-01", "region")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("North District", "north-district"),
        ("../../etc/passwd", "etc-passwd"),
        ("白碱滩区", "白碱滩区"),
        ("CON", "con-region"),
        ("Ｎｏｒｔｈ", "north"),
    ],
)
def test_region_slugs_are_safe_file_names(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_region_without_letters_has_no_slug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        slug("../..")
    path = write_csv(tmp_path / "t.csv", small_tally(("North", "../..")))
    with pytest.raises(InputError) as exc:
        briefings(path, "2023-01", "region")
    assert problems_of(exc) == [
        ('metrics row 3, column "region"', "'../..' has no letters or digits for a file name")
    ]


# -- template and import cost --------------------------------------------------------------------


def test_template_has_the_documented_sheets_and_no_figures(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = write_template(tmp_path / "t.xlsx", year=2024)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["metrics", "fraud_types", "about"]
    rows = book.get_sheet_by_name("metrics").to_python()
    assert rows[0][:2] == ["month", "region"] and rows[1][0] == "2023-01" and len(rows) == 25
    with pytest.raises(InputError, match="no data rows"):
        briefings(path)


def test_building_a_data_file_never_imports_the_tally_modules_or_spreadsheet_libraries() -> None:
    code = (
        "import sys, kreport, kreport.cli; kreport.build_bytes(kreport.example_path('karamay'));"
        "print('kreport.page.pdf' in sys.modules, sorted(m for m in sys.modules if "
        "m in ('xlsxwriter', 'python_calamine') or m.startswith('kreport.tally')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True []"


# -- the command line ----------------------------------------------------------------------------


def test_cli_builds_a_tally_and_names_the_pdf_after_it(tmp_path: Path) -> None:

    out = tmp_path / "out" / "jan-apr.pdf"
    result = run("build", str(EXAMPLE_TALLY), "--period", "2023-01..2023-04", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    ((_, raw),) = briefings(EXAMPLE_TALLY, "2023-01..2023-04")
    assert out.read_bytes() == kreport.build_bytes(raw)


def test_cli_bursts_one_one_page_pdf_per_region(tmp_path: Path) -> None:

    folder = tmp_path / "april"
    result = run(
        "build", str(EXAMPLE_TALLY), "--period", "2023-04", "--by", "region", "-o", f"{folder}/"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [f"{r}.pdf" for r in REGIONS]
    for pdf in folder.iterdir():
        assert read_pdf(pdf.read_bytes()).pages == 1
    assert "4 built, 0 failed" in result.stderr


def test_cli_tally_errors_exit_1_naming_the_cell(tmp_path: Path) -> None:

    rows = small_tally()
    rows[6][2] = "n/a"  # 2022-03 for B
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    result = run("build", str(path), "--period", "2023-03")
    assert result.exit_code == 1
    assert result.stderr == f'error: {path}: metrics!C7: expected a number, got "n/a"\n'


def test_cli_period_needs_a_tally() -> None:

    result = run("build", "--period", "2023-04")
    assert result.exit_code == 2
    assert "--period and --by apply to tallies" in result.stderr


def test_cli_init_writes_a_tally_template_once(tmp_path: Path) -> None:

    target = tmp_path / "tally-template.xlsx"
    first = run("init", "--tally", str(target))
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == str(target) and target.stat().st_size > 0
    again = run("init", "--tally", str(target))
    assert again.exit_code == 1 and "already exists" in again.stderr
    neither = run("init")
    assert neither.exit_code == 2


def test_readme_documents_every_tally_key() -> None:
    from kreport.tally.spec import COLUMN_KEYS, TALLY_KEYS, TYPE_COLUMN_KEYS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Tally spreadsheets") :]
    section = section[: section.index("\n## ", 1)]
    for key in TALLY_KEYS + COLUMN_KEYS + TYPE_COLUMN_KEYS:
        assert f"`{key}" in section or f"`[{key}" in section, key
    for sheet in ("`metrics`", "`fraud_types`", "`month`", "`region`", "`total`"):
        assert sheet in section


def test_validate_command_checks_a_tally_without_writing(tmp_path: Path) -> None:
    """`kreport validate` reads a tally TOML as a tally, not as an unknown-key data file."""

    good = run("validate", str(ASSETS / "example-tally.toml"))
    assert good.exit_code == 0, good.output
    assert "example-tally.toml: ok" in good.output
    bad = tmp_path / "bad.csv"
    bad.write_text("month,Reports\n2023-01,ten\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "Reports" in result.output
    assert not list(tmp_path.glob("*.pdf"))
