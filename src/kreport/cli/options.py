"""The options several commands share, and where one input's output goes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeAlias, get_args

import click

from ..api import Paper, output_path
from ..model import ALIASES, LANGUAGES, language_tag
from ..sources import By

Format: TypeAlias = Literal["pdf", "png"]

# Plain strings, not click.Path(path_type=Path): Path("") would silently become "." (every data
# file of the current folder); ``collect`` refuses the empty path instead.
SOURCES = click.argument("sources", nargs=-1, type=click.Path(), metavar="[SOURCE]...")


def edition(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
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
    callback=edition,
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


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long to look up is no folder; writing it says why
        return False


def output_for(name: str, output: str | None, language: str | None, suffix: str = ".pdf") -> Path:
    """The output path for one input: -o as given, or inside -o when it names a folder."""
    default = output_path(name, language).with_suffix(suffix)
    if not output:
        return default
    target = Path(output)
    if is_dir(target) or output.endswith(("/", os.sep)):
        return target / default.name
    return target
