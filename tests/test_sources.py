"""One entry for every source: the library builds tallies, validate takes what build takes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import kreport
from helpers import EXAMPLE_TALLY, run
from kreport.cli import main
from kreport.source.validate import validate
from kreport.tally.briefings import briefings
from pdfread import read_pdf


def test_collect_names_every_kind_of_source(tmp_path: Path) -> None:
    data = tmp_path / "march.toml"
    data.write_text(kreport.example_path("singapore").read_text(encoding="utf-8"))
    items = kreport.collect(
        [data, ("east", {"title": "x"}), EXAMPLE_TALLY], period="2023-04", by="region"
    )
    names = [i.name for i in items]
    assert names[:2] == ["march", "east"]
    assert names[2:] == [name for name, _ in briefings(EXAMPLE_TALLY, "2023-04", "region")]


def test_library_builds_a_tally_for_a_period(tmp_path: Path) -> None:
    pdf = kreport.build(EXAMPLE_TALLY, tmp_path / "q3.pdf", period="2023-07..2023-09")
    facts = read_pdf(pdf.read_bytes())
    assert facts.pages == 1
    assert "July–September 2023" in facts.text


def test_library_bursts_a_tally_by_region_like_the_cli(in_tmp: Path) -> None:
    result = kreport.build_many([EXAMPLE_TALLY], in_tmp / "lib", period="2023-04", by="region")
    cli = run("build", str(EXAMPLE_TALLY), "--period", "2023-04", "--by", "region", "-o", "cli")
    assert cli.exit_code == 0, cli.output
    assert result.ok and len(result.outcomes) == 4
    for outcome in result.outcomes:
        assert read_pdf(outcome.output.read_bytes()).pages == 1
        assert (in_tmp / "cli" / outcome.output.name).read_bytes() == outcome.output.read_bytes()


def test_a_small_batch_starts_no_worker(tmp_path: Path) -> None:
    """Four region briefings are cheaper built here than in freshly started worker processes."""
    result = kreport.build_many([EXAMPLE_TALLY], tmp_path, period="2023-04", by="region")
    assert {o.pid for o in result.outcomes} == {os.getpid()}


@pytest.mark.slow
def test_an_explicit_jobs_count_still_starts_workers(tmp_path: Path) -> None:
    result = kreport.build_many([EXAMPLE_TALLY], tmp_path, period="2023-04", by="region", jobs=2)
    assert result.ok
    assert os.getpid() not in {o.pid for o in result.outcomes}


def test_validate_takes_period_and_by_and_reports_each_region(in_tmp: Path) -> None:
    result = run("validate", str(EXAMPLE_TALLY), "--period", "2023-04", "--by", "region")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{name}: ok" for name, _ in briefings(EXAMPLE_TALLY, "2023-04", "region")
    ]
    assert not list(in_tmp.iterdir())  # nothing written


def test_validate_reports_what_build_would_for_a_period_outside_the_tally(in_tmp: Path) -> None:
    args = [str(EXAMPLE_TALLY), "--period", "2030-01"]
    checked = run("validate", *args)
    built = run("build", *args)
    assert checked.exit_code == built.exit_code == 1
    assert checked.stderr == built.stderr
    assert checked.stderr.startswith("error: ")


def test_validate_takes_folders(in_tmp: Path) -> None:
    folder = in_tmp / "briefings"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.toml").write_text(
            kreport.example_path("singapore").read_text(encoding="utf-8"), encoding="utf-8"
        )
    result = run("validate", "briefings")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["briefings/a.toml: ok", "briefings/b.toml: ok"]


def test_a_broken_tally_fails_alone_in_a_batch(in_tmp: Path) -> None:
    (in_tmp / "bad.csv").write_text("month,Reports\n2023-13,4\n", encoding="utf-8")
    good = in_tmp / "good.toml"
    good.write_text(kreport.example_path("singapore").read_text(encoding="utf-8"))
    result = kreport.build_many(["bad.csv", good], in_tmp / "out")
    assert [o.ok for o in result.outcomes] == [False, True]
    assert (result.outcomes[0].error or "").startswith("bad.csv")


@pytest.mark.parametrize(
    "args", [["build", ""], ["validate", ""], ["build", "x.toml", "--by", "region"]]
)
def test_contradictory_requests_are_usage_errors(in_tmp: Path, args: list[str]) -> None:
    (in_tmp / "x.toml").write_text("title = 'x'\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert not (in_tmp / "out").exists()


def test_library_usage_error_is_a_kreport_error() -> None:
    with pytest.raises(kreport.UsageError, match="apply to tallies"):
        kreport.collect([kreport.example_path("karamay")], period="2023-04")


def test_parse_of_a_region_burst_needs_one_briefing() -> None:
    items = kreport.collect([EXAMPLE_TALLY], period="2023-04", by="region")
    briefing = validate(items[0].load(), items[0].label)
    assert briefing.period


def test_paths_are_resolved_as_realpath_resolves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kreport.sources import _resolved

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.toml").write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "real")  # a folder link
    (tmp_path / "real" / "b.toml").symlink_to(tmp_path / "real" / "a.toml")  # a file link
    (tmp_path / "real" / "gone.pdf").symlink_to(tmp_path / "nowhere" / "x.pdf")  # dangling
    (tmp_path / "real" / "up").symlink_to("..")
    monkeypatch.chdir(tmp_path / "real")
    folders: dict[str, str] = {}
    for name in (
        "a.toml",
        "b.toml",
        "gone.pdf",
        "missing.pdf",
        "up/real/a.toml",
        "up/linked/b.toml",
        "../linked/a.toml",
        "../linked/new/out.pdf",
        "..",
        "up",
        str(tmp_path / "linked" / "b.toml"),
        str(tmp_path / "linked" / "up" / "linked" / "gone.pdf"),
    ):
        for path in (Path(name), name):
            assert _resolved(Path(path), folders) == os.path.realpath(path), name
