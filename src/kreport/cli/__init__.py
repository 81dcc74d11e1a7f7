"""The ``kreport`` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success; 1 a briefing could not be built (bad data, does not fit one page, cannot
write); 2 usage errors (click's convention, and ``kreport.errors.UsageError``).
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from pathlib import Path
from typing import TextIO

import click

from .._pace import GC_THRESHOLDS
from .._version import __version__
from ..api import Paper, check, collect, example_names, example_path
from ..errors import InputError, KreportError, KreportWarning, UsageError, describe
from ..sources import By
from .console import echo_error, echo_note
from .options import BY, LANG, PAPER, PERIOD


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
                f"internal error ({describe(exc)}); "
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


def run() -> None:
    """The ``kreport`` command (and ``python -m kreport.cli``): ``main``, then the process ends.

    What a command makes mostly lives to its end (the modules it imports, the fonts, the page),
    and holds little cyclic garbage: the command collects at a slower pace (``_pace.py``).
    Python's last collection at exit would walk every object the build made once more: about
    a fifth of a cold build's time, to free memory the system takes back anyway. ``gc.freeze``
    leaves them out of it; files are written and closed before this.

    numpy (matplotlib's, for arrays of a few numbers) would start OpenBLAS's thread pool on
    import, work kreport never gives it; one thread fewer also lets a batch fork its workers
    from this process, which is only safe with one thread (``pool.py``).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    pace = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        main()
    finally:
        gc.set_threshold(*pace)
        gc.freeze()


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


from . import build as _build  # noqa: E402, F401  (registers build on main)
from . import deliver as _deliver  # noqa: E402, F401  (registers send and watch on main)
