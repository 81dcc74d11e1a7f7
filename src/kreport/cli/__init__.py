"""The ``kreport`` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success; 1 a briefing could not be built (bad data, does not fit one page, cannot
write); 2 usage errors (click's convention).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._version import __version__
from ..api import DEFAULT_EXAMPLE, build, default_output, example_names, example_path, parse
from ..errors import KreportError

if TYPE_CHECKING:
    from ..batch import BatchItem


class _Context:
    debug = False


def _fail(exc: Exception, debug: bool) -> None:
    if debug:
        raise exc
    for line in str(exc).splitlines():
        click.echo(f"error: {line}", err=True)
    sys.exit(1)


class _Group(click.Group):
    """Turns any error a command lets through into one line and exit 1: never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KreportError as exc:
            _fail(exc, getattr(ctx.obj, "debug", False))
        except Exception as exc:  # a bug in kreport: say so briefly; --debug shows the traceback
            if getattr(ctx.obj, "debug", False):
                raise
            click.echo(
                f"error: internal error ({type(exc).__name__}: {exc}); "
                "this is a bug in kreport, rerun with --debug for the traceback",
                err=True,
            )
            sys.exit(1)
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kreport")
@click.option("--debug", is_flag=True, help="Show a Python traceback on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build one-page fraud briefing PDFs from a small data file.

    \b
    Example:
      kreport build                       # the bundled Karamay briefing -> out/
      kreport build march.toml -o march.pdf --lang zh
    """
    ctx.obj = _Context()
    ctx.obj.debug = debug


LANG = click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "zh"]),
    help="Edition to build (default: the file's `language`).",
)


@main.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="[SOURCE]...")
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # a str: Path() would drop the trailing "/" that marks a folder
    help="PDF to write (default: out/<input name>.pdf); with several inputs or a folder, the "
    "folder to write them in (default: out/).",
)
@LANG
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--example", metavar="NAME", help="Build a bundled example (see `kreport examples`).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for several inputs (default: the number of cores).",
)
@click.option(
    "--period",
    metavar="YYYY-MM[..YYYY-MM]",
    help="Tally spreadsheets: the months to report, compared with the same months a year "
    "earlier (default: the TOML's `months`, else the year to date).",
)
@click.option(
    "--by",
    type=click.Choice(["region"]),
    help="Tally spreadsheets: one briefing per region, <region>.pdf in the -o folder.",
)
def build_cmd(
    sources: tuple[Path, ...],
    output: str | None,
    language: str | None,
    paper: str,
    example: str | None,
    jobs: int | None,
    period: str | None,
    by: str | None,
) -> None:
    """Build the PDF briefing for each SOURCE and print the paths written.

    With no SOURCE, builds the bundled Karamay January–April 2023 briefing. A SOURCE that is a
    folder stands for every .toml, .yaml and .json file in it. With several inputs, one PDF per
    input, named after it, goes into the -o folder; a failed input does not stop the others,
    and the exit code is 1 if any failed.

    \b
    Example:
      kreport build briefing.toml -o out/march.pdf
      kreport build --lang zh
      kreport build briefings/*.toml -o out/march/ --jobs 4
      kreport build briefings/
      kreport build tally.xlsx --period 2023-01..2023-04
      kreport build tally.toml --period 2023-04 --by region -o out/april/
    """
    if sources and example is not None:
        raise click.UsageError("give SOURCE files or --example, not both")
    if _is_tally(sources, period, by):
        _build_tally(sources[0], output, language, paper, jobs, period, by)
        return
    if len(sources) > 1 or (sources and sources[0].is_dir()):
        _build_batch(sources, Path(output or "out"), language, paper, jobs)
        return
    path = sources[0] if sources else example_path(example or DEFAULT_EXAMPLE)
    written = build(path, _target(path, output, language), language=language, paper=paper)  # type: ignore[arg-type]
    click.echo(str(written))


def _target(source: Path, output: str | None, language: str | None) -> Path:
    """The PDF path for one input: -o as given, or inside -o when it names a folder."""
    default = default_output(source, language)
    if not output:
        return default
    target = Path(output)
    if target.is_dir() or output.endswith(("/", os.sep)):
        return target / default.name
    return target


def _is_tally(sources: tuple[Path, ...], period: str | None, by: str | None) -> bool:
    """Whether to read SOURCE as a monthly tally (.xlsx, .csv, or a TOML naming one)."""
    from ..tally.spec import is_tally

    if len(sources) == 1 and not sources[0].is_dir() and is_tally(sources[0]):
        return True
    if period is not None or by is not None:
        raise click.UsageError("--period and --by apply to one tally (.xlsx, .csv or its TOML)")
    return False


def _build_tally(
    source: Path,
    output: str | None,
    language: str | None,
    paper: str,
    jobs: int | None,
    period: str | None,
    by: str | None,
) -> None:
    from ..source.validate import validate
    from ..tally.compute import briefings

    items = briefings(source, period, "region" if by else None)
    if by is not None:
        _build_batch(items, Path(output or "out"), language, paper, jobs)
        return
    ((_, raw),) = items
    briefing = validate(raw, str(source), language)  # errors name the tally, not "<data>"
    written = build(briefing, _target(source, output, language), paper=paper)  # type: ignore[arg-type]
    click.echo(str(written))


def _build_batch(
    sources: Sequence[BatchItem],
    out_dir: Path,
    language: str | None,
    paper: str,
    jobs: int | None,
) -> None:
    from ..batch import build_many, plan
    from .console import ConsoleReport

    total = len(plan(sources, out_dir, language))  # refuses clashing names up front
    report = ConsoleReport(total, out_dir)
    result = build_many(
        sources,
        out_dir,
        jobs=jobs,
        language=language,
        paper=paper,  # type: ignore[arg-type]
        on_result=report,
    )
    report.finish(result)
    sys.exit(0 if result.ok else 1)


@main.command("validate")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@LANG
@click.pass_obj
def validate_cmd(obj: _Context, sources: tuple[Path, ...], language: str | None) -> None:
    """Check data files and report every problem, without writing anything.

    \b
    Example:
      kreport validate march.toml
    """
    from ..source.validate import validate
    from ..tally.compute import briefings
    from ..tally.spec import is_tally

    failed = False
    for src in sources:
        try:
            if is_tally(src):  # check the tally and the briefing it computes
                for _, raw in briefings(src):
                    validate(raw, str(src), language)
            else:
                parse(src, language)
            click.echo(f"{src}: ok")
        except KreportError as exc:
            if obj.debug:
                raise
            failed = True
            for line in str(exc).splitlines():
                click.echo(f"error: {line}", err=True)
    sys.exit(1 if failed else 0)


@main.command("examples")
def examples_cmd() -> None:
    """List the bundled examples; build one with `kreport build --example NAME`.

    \b
    Example:
      kreport examples
      kreport build --example singapore
    """
    for name in example_names():
        click.echo(f"{name}\t{example_path(name)}")


@main.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it already exists.")
@click.option(
    "--tally",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.xlsx",
    help="Also (or instead) write a blank monthly tally workbook to fill in.",
)
def init_cmd(path: Path | None, force: bool, tally: Path | None) -> None:
    """Write a commented template data file to PATH, to fill in, and print its path.

    The template documents every key and builds as written (with placeholder figures).
    With --tally, writes a tally workbook (sheets "metrics" and "fraud_types") instead or too.

    \b
    Example:
      kreport init briefing.toml && kreport build briefing.toml
      kreport init --tally tally-template.xlsx
    """
    from ..source.schema import write_template

    if path is None and tally is None:
        raise click.UsageError("give PATH (a .toml data file) or --tally FILE.xlsx")
    if path is not None:
        click.echo(str(write_template(path, force=force)))
    if tally is not None:
        from ..tally.template import write_template as write_tally

        click.echo(str(write_tally(tally, force=force)))


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the data-file format, for editor completion and checks.

    \b
    Example:
      kreport schema > kreport.schema.json
      # then start a TOML file with:  #:schema ./kreport.schema.json
    """
    from ..source.schema import schema_json

    click.echo(schema_json(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
