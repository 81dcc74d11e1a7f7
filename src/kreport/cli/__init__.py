"""The ``kreport`` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success; 1 a briefing could not be built (bad data, does not fit one page, cannot
write); 2 usage errors (click's convention, and ``kreport.errors.UsageError``).
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TextIO, TypeAlias, get_args

import click

from .._env import source_date_epoch
from .._version import __version__
from ..api import (
    Paper,
    build,
    build_bytes,
    check,
    collect,
    example_names,
    example_path,
    output_path,
)
from ..errors import InputError, KreportError, KreportWarning, UsageError
from ..model import ALIASES, LANGUAGES, language_tag
from ..sources import DEFAULT_EXAMPLE, By, Item
from .console import echo_error, echo_note

Format: TypeAlias = Literal["pdf", "png"]


class _Group(click.Group):
    """Turns any error a command lets through into ``error:`` lines and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        with warnings.catch_warnings():  # restores the caller's filters and showwarning
            warnings.simplefilter("always", KreportWarning)
            warnings.showwarning = _show_warning
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except KreportError as exc:
            if ctx.obj:  # --debug, set by ``main`` once it ran
                raise
            echo_error(str(exc))
            sys.exit(1)
        except Exception as exc:  # a bug in kreport: say so briefly; --debug shows the traceback
            if ctx.obj:
                raise
            echo_error(
                f"internal error ({type(exc).__name__}: {exc}); "
                "this is a bug in kreport, rerun with --debug for the traceback"
            )
            sys.exit(1)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A ``KreportWarning`` as a ``note:`` line; any other warning as Python shows it."""
    if issubclass(category, KreportWarning):
        echo_note(str(message))
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


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
    ctx.obj = debug


# Plain strings, not click.Path(path_type=Path): Path("") would silently become "." (every data
# file of the current folder); ``collect`` refuses the empty path instead.
SOURCES = click.argument("sources", nargs=-1, type=click.Path(), metavar="[SOURCE]...")


def run() -> None:
    """The ``kreport`` command (and ``python -m kreport.cli``): ``main``, then the process ends.

    Python's last collection at exit would walk every object the build made (fonts, matplotlib,
    the page): about a fifth of a cold build's time, to free memory the system takes back
    anyway. ``gc.freeze`` leaves them out of it; files are written and closed before this.
    """
    try:
        main()
    finally:
        gc.freeze()


def _edition(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """The edition's own tag: ``zh-Hans`` and ``zh_hans`` name ``zh``, and so write ``-zh.pdf``."""
    if value is None:
        return None
    tag = language_tag(value)
    if tag is None:
        raise click.BadParameter(f"{value!r} is not one of {', '.join((*LANGUAGES, *ALIASES))}")
    return tag


LANG = click.option(
    "--lang",
    "language",
    metavar="TAG",
    callback=_edition,
    help="Edition to build, a BCP 47 tag: "
    + ", ".join((*LANGUAGES, *ALIASES))
    + " (default: the file's `language`).",
)
PERIOD = click.option(
    "--period",
    metavar="YYYY-MM[..YYYY-MM]",
    help="Tally spreadsheets: the months to report, compared with the same months a year "
    "earlier (default: the TOML's `months`, else the year to date).",
)
BY = click.option(
    "--by",
    type=click.Choice(get_args(By)),
    help="Tally spreadsheets: one briefing per region, <region>.pdf in the -o folder.",
)
PAPER = click.option("--paper", type=click.Choice(get_args(Paper)), default="a4", show_default=True)
PPI = click.option(
    "--ppi",
    type=click.IntRange(18, 600),
    help="PNG resolution in pixels per inch (default: 144).",
)


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
    from ..page.mplstart import quicken

    quicken()  # this process is ours: matplotlib may skip its set() docstrings
    fmt = _format(fmt, output, ppi)
    if pdfa and fmt != "pdf":
        raise click.UsageError("--pdfa applies to PDF output")
    given = sources or (str(example_path(example or DEFAULT_EXAMPLE)),)
    items = collect(given, period=period, by=by)
    if len(given) > 1 or _is_dir(Path(given[0])) or by is not None:
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
    target = _target(item.name, output, language, f".{fmt}")
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


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long to look up is no folder; writing it says why
        return False


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


def _target(name: str, output: str | None, language: str | None, suffix: str = ".pdf") -> Path:
    """The output path for one input: -o as given, or inside -o when it names a folder."""
    default = output_path(name, language).with_suffix(suffix)
    if not output:
        return default
    target = Path(output)
    if _is_dir(target) or output.endswith(("/", os.sep)):
        return target / default.name
    return target


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
    from ..batch import build_many, plan
    from .console import ConsoleReport

    export = None
    if fmt == "png":
        from ..deliver.png import DEFAULT_PPI, png_export

        export = png_export(ppi or DEFAULT_PPI)
    # clashes refused before anything is built
    planned = plan(items, out_dir, language, f".{fmt}")
    report = ConsoleReport(len(planned), out_dir, kind=f"{fmt.upper()}s")
    result = build_many(
        items,
        out_dir,
        jobs=jobs,
        language=language,
        paper=paper,
        on_result=report,
        export=export,
        pdfa=pdfa,
    )
    report.finish(result)
    sys.exit(0 if result.ok else 1)


@main.command("validate")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="SOURCE...")
@LANG
@PAPER
@PERIOD
@BY
@click.pass_obj
def validate_cmd(
    debug: bool,
    sources: tuple[str, ...],
    language: str | None,
    paper: Paper,
    period: str | None,
    by: By | None,
) -> None:
    """Check data files and tallies, report every problem, write nothing.

    Takes what `kreport build` takes that decides what is read (files, folders, tallies with
    --period and --by, the edition and the paper) and reports what build would, a page that
    does not fit included. Without --period, every figure cell of a tally is checked, in any
    month, not only those the default period needs.

    \b
    Example:
      kreport validate march.toml
      kreport validate tally.toml --period 2023-04 --by region
    """
    failed = False
    # without --period, every figure cell of a tally is checked, not just the default period's
    for item in collect(sources, period=period, by=by, all_cells=period is None):
        try:
            check(item.validate(language), paper=paper)
            click.echo(f"{item.label}: ok")
        except KreportError as exc:
            if debug:
                raise
            failed = True
            message = str(exc)  # a page that does not fit names no file: say which, as batches do
            echo_error(message if isinstance(exc, InputError) else f"{item.label}: {message}")
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
    if path is None and tally is None:
        raise click.UsageError("give PATH (a .toml data file) or --tally FILE.xlsx")
    if path is not None:
        from ..source.schema import write_template

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


from . import deliver as _deliver  # noqa: E402, F401  (registers send and watch on main)
