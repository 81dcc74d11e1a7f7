"""``kreport build``: one briefing to a file or standard output, many to a folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import click

from .._env import source_date_epoch
from ..api import Paper, build, build_bytes, collect, example_path
from ..errors import KreportError, UsageError
from ..sources import DEFAULT_EXAMPLE, By, Item
from . import main
from .options import BY, LANG, PAPER, PERIOD, PPI, SOURCES, Format, is_dir, output_for


@main.command("build")
@SOURCES
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # a str: Path() would drop the trailing "/" that marks a folder
    help="PDF to write (default: out/<input name>.pdf; - for standard output); with several "
    "inputs or a folder, the folder to write them in (default: out/).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(get_args(Format)),
    help="pdf, or png: an image of the page (default: from the -o name, else pdf).",
)
@PPI
@LANG
@PAPER
@click.option("--example", metavar="NAME", help="Build a bundled example (see `kreport examples`).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Most worker processes for many inputs (default: the cores, one per dozen briefings).",
)
@PERIOD
@BY
@click.option(
    "--pdfa",
    is_flag=True,
    help="Make the PDF archival, PDF/A-2b, as well as tagged for accessibility (PDF/UA-1).",
)
def build_cmd(
    sources: tuple[str, ...],
    output: str | None,
    language: str | None,
    paper: Paper,
    example: str | None,
    jobs: int | None,
    period: str | None,
    by: By | None,
    fmt: Format | None,
    ppi: int | None,
    pdfa: bool,
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
      kreport build briefing.toml -f png --ppi 200    # out/briefing.png
      kreport build briefing.toml --pdfa              # archival PDF/A-2b
    """
    if sources and example is not None:
        raise click.UsageError("give SOURCE files or --example, not both")
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is a usage error before anything is read
    fmt = _format(fmt, output, ppi)
    if pdfa and fmt != "pdf":
        raise click.UsageError("--pdfa applies to PDF output")
    given = sources or (str(example_path(example or DEFAULT_EXAMPLE)),)
    items = collect(given, period=period, by=by)
    if len(given) > 1 or is_dir(Path(given[0])) or by is not None:
        if output == "-":
            raise UsageError("-o - (standard output) takes one briefing; give a folder for many")
        _build_batch(items, Path(output or "out"), language, paper, jobs, fmt, ppi, pdfa)
        return
    (item,) = items
    if output == "-":
        data = build_bytes(item, language, paper, pdfa=pdfa)
        if fmt == "png":
            from ..deliver.png import DEFAULT_PPI, pdf_to_png

            data = pdf_to_png(data, ppi or DEFAULT_PPI)
        _to_stdout(data, fmt)
        return
    target = output_for(item.name, output, language, f".{fmt}")
    if fmt == "png":
        from ..deliver.png import DEFAULT_PPI, build_png

        written = build_png(item, target, language, paper, ppi=ppi or DEFAULT_PPI)
    else:
        written = build(item, target, language=language, paper=paper, pdfa=pdfa)
    click.echo(str(written))


def _to_stdout(data: bytes, fmt: Format) -> None:
    """``-o -``: the file on standard output, for a pipe or a redirect; never onto a terminal."""
    stream = sys.stdout.buffer
    if stream.isatty():
        raise KreportError(
            f"-o - writes the {fmt.upper()} to standard output, which is a terminal; "
            f"redirect it (> briefing.{fmt}) or pipe it"
        )
    stream.write(data)
    stream.flush()


def _format(fmt: Format | None, output: str | None, ppi: int | None) -> Format:
    """-f as given, else what the -o name says (``.png``), else pdf; contradictions refused."""
    suffix = Path(output).suffix.lower() if output and not output.endswith(("/", os.sep)) else ""
    named: Format | None = "png" if suffix == ".png" else "pdf" if suffix == ".pdf" else None
    if fmt is not None and named is not None and fmt != named:
        raise click.UsageError(f"-f {fmt} contradicts -o {output}")
    chosen = fmt or named or "pdf"
    if ppi is not None and chosen != "png":
        raise click.UsageError("--ppi applies to PNG output (-f png)")
    return chosen


def _build_batch(
    items: Sequence[Item],
    out_dir: Path,
    language: str | None,
    paper: Paper,
    jobs: int | None,
    fmt: Format = "pdf",
    ppi: int | None = None,
    pdfa: bool = False,
) -> None:
    from ..batch import build_planned, plan
    from .console import ConsoleReport

    export = None
    if fmt == "png":
        from ..deliver.png import DEFAULT_PPI, png_export

        export = png_export(ppi or DEFAULT_PPI)
    # clashes refused before anything is built
    planned = plan(items, out_dir, language, f".{fmt}")
    report = ConsoleReport(len(planned), out_dir, kind=f"{fmt.upper()}s")
    result = build_planned(
        planned,
        jobs=jobs,
        language=language,
        paper=paper,
        on_result=report,
        export=export,
        pdfa=pdfa,
    )
    report.finish(result)
    sys.exit(0 if result.ok else 1)
