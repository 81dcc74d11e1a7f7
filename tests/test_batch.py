"""Batch builds: many inputs in one command or call, failures isolated, names checked first."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

import kreport
from helpers import good_text, run
from kreport.batch import BatchResult, Outcome, plan
from kreport.cli.console import ConsoleReport
from pdfread import missing_from, read_pdf


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def good(path: Path, agency: str = "North Police", value: int = 12) -> Path:
    return write(path, good_text(agency, value))


def example(name: str) -> dict[str, Any]:
    return tomllib.loads(kreport.example_path(name).read_text(encoding="utf-8"))


def test_broken_inputs_do_not_stop_the_good_ones(in_tmp: Path) -> None:
    good(in_tmp / "in/north.toml", "North Police")
    write(in_tmp / "in/broken.toml", 'title = "unterminated\n')
    write(in_tmp / "in/badvalue.toml", good_text("X", '"lots"'))
    good(in_tmp / "in/south.toml", "South Police")
    result = run(
        "build",
        "in/north.toml",
        "in/broken.toml",
        "in/badvalue.toml",
        "in/south.toml",
        "-o",
        "pdfs",
        "--jobs",
        "1",
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in (in_tmp / "pdfs").iterdir()) == ["north.pdf", "south.pdf"]
    north = read_pdf((in_tmp / "pdfs/north.pdf").read_bytes())
    assert missing_from(north, ["North Police"]) == []
    # each failure as a single build reports it: error: FILE: path: message
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any(line.startswith("error: in/broken.toml: malformed TOML") for line in errors)
    assert "error: in/badvalue.toml: metrics[0].value: expected a number" in "\n".join(errors)
    assert len(errors) == 2
    assert result.stderr.strip().splitlines()[-1].startswith("2 built, 2 failed, of 4 in ")


def test_not_a_terminal_prints_one_line_per_file(in_tmp: Path) -> None:
    for name in ("a", "b", "c"):
        good(in_tmp / f"in/{name}.toml")
    write(in_tmp / "in/d.toml", "title = 3\n")
    result = run("build", "in/a.toml", "in/b.toml", "in/c.toml", "in/d.toml", "--jobs", "1")
    assert result.exit_code == 1
    # stdout: exactly the PDFs written, one per line; stderr: one "failed:" line per failure
    assert sorted(result.stdout.splitlines()) == [str(Path(f"out/{n}.pdf")) for n in "abc"]
    assert result.stderr.count("failed: in/d.toml\n") == 1
    assert "\r" not in result.output


def test_duplicate_output_names_are_refused_before_anything_is_built(in_tmp: Path) -> None:
    good(in_tmp / "one/march.toml")
    good(in_tmp / "two/march.toml")
    good(in_tmp / "two/april.toml")
    result = run("build", "one/march.toml", "two/april.toml", "two/march.toml", "-o", "pdfs")
    assert result.exit_code == 1
    assert "one/march.toml and two/march.toml would both write" in result.stderr
    assert "nothing was built" in result.stderr
    assert not (in_tmp / "pdfs").exists()


def test_names_differing_only_in_type_or_case_clash(in_tmp: Path) -> None:
    good(in_tmp / "in/March.toml")
    write(in_tmp / "in/march.json", '{"title": "x"}')
    with pytest.raises(kreport.KreportError, match=r"would both write"):
        plan([in_tmp / "in/March.toml", in_tmp / "in/march.json"], in_tmp / "out")


def test_folder_input_builds_every_data_file_in_it(in_tmp: Path) -> None:
    good(in_tmp / "briefings/north.toml")
    shutil.copy(kreport.example_path("jieyang"), in_tmp / "briefings/jieyang.toml")
    write(
        in_tmp / "briefings/south.json",
        '{"title": "S", "agency": "A", "period": "P",'
        ' "metrics": [{"label": "Reports", "value": 3}]}',
    )
    write(in_tmp / "briefings/notes.txt", "not a briefing")
    good(in_tmp / "briefings/.draft.toml")  # editors' hidden files are left alone
    result = run("build", "briefings", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    built = sorted(p.name for p in (in_tmp / "out").iterdir())
    assert built == ["jieyang.pdf", "north.pdf", "south.pdf"]
    assert result.stderr.strip().splitlines()[-1].startswith("3 built, 0 failed, of 3 in ")


def test_a_folder_with_no_data_files_is_an_error(in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    result = run("build", "empty")
    assert result.exit_code == 1
    assert "error: empty: no .toml, .yaml, .yml or .json files in this folder" in result.stderr


@pytest.mark.slow
def test_two_workers_give_the_same_bytes_as_one(in_tmp: Path) -> None:
    for name in ("karamay", "singapore", "jieyang"):
        shutil.copy(kreport.example_path(name), in_tmp / f"{name}.toml")
    # English-only data in a Chinese edition, asked for: a mixed page
    singapore = in_tmp / "singapore.toml"
    singapore.write_text("mixed_languages = true\n" + singapore.read_text(encoding="utf-8"))
    write(in_tmp / "north.toml", "mixed_languages = true\n" + good_text("North Police", 12))
    inputs = ["karamay.toml", "singapore.toml", "jieyang.toml", "north.toml"]
    one = run("build", *inputs, "-o", "one", "--jobs", "1", "--lang", "zh")
    two = run("build", *inputs, "-o", "two", "--jobs", "2", "--lang", "zh")
    assert one.exit_code == 0, one.stderr
    assert two.exit_code == 0, two.stderr
    names = sorted(p.name for p in (in_tmp / "one").iterdir())
    assert names == [f"{Path(i).stem}-zh.pdf" for i in sorted(inputs)]
    assert names == sorted(p.name for p in (in_tmp / "two").iterdir())
    for name in names:
        assert (in_tmp / "one" / name).read_bytes() == (in_tmp / "two" / name).read_bytes(), name


@pytest.mark.slow
def test_build_many_takes_named_mappings(tmp_path: Path) -> None:
    base = example("karamay")
    north = {**base, "agency": {"en": "North District Police", "zh": "北区公安局"}}
    south = {**base, "agency": {"en": "South District Police", "zh": "南区公安局"}}
    broken = {**base, "metrics": [{"label": "Reports", "value": "many"}]}
    seen: list[Outcome] = []
    result = kreport.build_many(
        [("north", north), ("broken", broken), ("south", south)],
        tmp_path,
        jobs=2,
        on_result=seen.append,
    )
    assert isinstance(result, BatchResult)
    assert [o.source for o in result.outcomes] == ["north", "broken", "south"]
    assert sorted(o.source for o in seen) == ["broken", "north", "south"]
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert not result.ok
    assert result.failed[0].error == 'broken: metrics[0].value: expected a number, got "many"'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["north.pdf", "south.pdf"]
    facts = read_pdf((tmp_path / "south.pdf").read_bytes())
    assert missing_from(facts, ["South District Police"]) == []
    assert all(o.pid > 0 and o.max_rss_kib > 0 for o in result.built)


@pytest.mark.slow
def test_a_file_that_cannot_be_written_fails_alone_whoever_writes_it(tmp_path: Path) -> None:
    base = example("karamay")
    items = [(f"b{i}", {**base, "title": f"Briefing {i}"}) for i in range(4)]
    (tmp_path / "b1.pdf").mkdir()  # a folder where one briefing's PDF would go
    for jobs in (1, 2):  # built and written here; built by workers and written here
        result = kreport.build_many(items, tmp_path, jobs=jobs)
        assert [o.ok for o in result.outcomes] == [True, False, True, True]
        assert result.failed[0].error == f"b1: {tmp_path}/b1.pdf: cannot write: it is a folder"
        assert result.workers == (2 if jobs == 2 else 0)
        assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
            "b0.pdf",
            "b2.pdf",
            "b3.pdf",
        ]


def test_build_many_language_suffix_and_mixed_items(tmp_path: Path) -> None:
    path = write(tmp_path / "in/west.toml", "mixed_languages = true\n" + good_text("West", 12))
    result = kreport.build_many(
        [path, ("east", example("jieyang"))], tmp_path / "out", jobs=1, language="zh"
    )
    assert result.ok, [o.error for o in result.failed]
    assert [o.output.name for o in result.outcomes] == ["west-zh.pdf", "east-zh.pdf"]
    assert read_pdf(result.outcomes[1].output.read_bytes()).lang == "zh-CN"


@pytest.mark.parametrize("name", ["", "a/b", "..", "x\\y"])
def test_build_many_refuses_names_that_are_not_plain_file_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(kreport.KreportError, match="plain file name"):
        kreport.build_many([(name, example("karamay"))], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_single_input_with_a_folder_output(in_tmp: Path) -> None:
    good(in_tmp / "march.toml")
    result = run("build", "march.toml", "-o", "pdfs/", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(Path("pdfs/march.pdf"))
    assert (in_tmp / "pdfs/march.pdf").is_file()


def test_terminal_progress_bar_shows_count_rate_and_time_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = ConsoleReport(4, tmp_path, interactive=True)
    ok = Outcome("a.toml", tmp_path / "a.pdf")
    bad = Outcome("b.toml", tmp_path / "b.pdf", "b.toml: title: required text is missing")
    for outcome in (ok, bad, ok, ok):
        report(outcome)
    report.finish(BatchResult([ok, bad, ok, ok], 2.0))
    out, err = capsys.readouterr()
    assert out == ""  # on a terminal the bar stands in for the per-file lines
    assert "\r[" in err
    bar = err.split("\r")[-2]  # the last drawing, before the bar is cleared
    assert "4/4" in bar and "/s" in bar and "left" in bar and "1 failed" in bar
    assert "error: b.toml: title: required text is missing\n" in err
    assert err.rstrip().endswith(f"3 built, 1 failed, of 4 in 2.0 s (2.0/s); PDFs in {tmp_path}")
