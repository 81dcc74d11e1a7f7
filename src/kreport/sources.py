"""Turn what the user names into ``Item``s: named raw briefings, each still to be validated.

A source is a data file, a folder of data files, a monthly tally (.xlsx, .csv or a TOML with a
``tally`` key) read for a period and optionally split by region, a bundled example, or an
already-parsed ``(name, mapping)`` pair. ``build``, ``validate`` and batch builds all start
here, so they accept the same inputs and report the same problems.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from .errors import InputError, KreportError, OutputError, Problem, UsageError
from .model import Briefing, RawBriefing

if TYPE_CHECKING:
    from .tally.briefings import TallyBriefing

By: TypeAlias = Literal["region"]

DATA_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
EXAMPLES_DIR = Path(__file__).parent / "data" / "examples"
DEFAULT_EXAMPLE = "karamay"
_EXAMPLE_OUTPUT = {
    "karamay": "karamay-2023-jan-apr",
    "singapore": "singapore-2023",
    "jieyang": "jieyang-2021-09-18-24",
    "hongkong": "hongkong-2025-jan-nov",
    "example-city": "example-city-2023-jan-apr",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One briefing to build: its output name, how messages name it, and where its data is."""

    name: str
    """The PDF's file name without ``.pdf`` (and without the edition suffix)."""
    label: str
    """How messages name this input: the path as given, or the item's name."""
    path: Path | None = None
    """A data file, read when the item is built, so that a bad file fails alone in a batch."""
    raw: RawBriefing | None = None
    """An already-computed briefing (a tally's, or a mapping passed in)."""
    error: KreportError | None = None
    """Why the source could not be read: raised by ``load``, so that it fails alone."""
    tally: TallyBriefing | None = None
    """A briefing computed from a tally, with the tally's own problems (its cells, rows and
    TOML keys), reported together with the validator's by ``validate``."""
    base: Path | None = None
    """The folder a computed briefing's relative paths (its ``logo``) start from: a tally's."""
    inputs: tuple[Path, ...] = ()
    """Every file this briefing is read from (a tally's TOML and spreadsheets): no output of
    the run may be one of them."""

    @property
    def folder(self) -> Path | None:
        """Where the data's relative paths start: the data file's (or tally TOML's) folder;
        None for a mapping made in code (then the working folder)."""
        if self.base is not None:
            return self.base
        return self.path.parent if self.path is not None else None

    def load(self) -> RawBriefing:
        """The raw briefing; raises ``InputError`` for a file that cannot be read. A tally's is
        its computed mapping, whose problems (and the tally's) ``validate`` reports."""
        if self.error is not None:
            raise self.error
        if self.tally is not None:
            return self.tally.raw
        if self.raw is not None:
            return self.raw
        from .source.load import load

        assert self.path is not None
        return load(self.path)

    def validate(self, language: str | None = None, raw: RawBriefing | None = None) -> Briefing:
        """The validated briefing in ``language`` (default: its own); raises ``InputError``
        listing every problem, a tally's naming its cells and TOML keys. ``raw``: what
        ``load`` returned, if it was called already (a data file is then not read again)."""
        if self.tally is not None:
            return self.tally.validate(self.label, language, folder=self.folder)
        from .source.validate import validate

        data = raw if raw is not None else self.load()
        return validate(data, self.label, language, folder=self.folder)


Source: TypeAlias = str | Path | tuple[str, Mapping[str, Any]] | Item
"""A path (data file, folder or tally), a ``(name, mapping)`` pair (the PDF is ``<name>.pdf``),
or an ``Item`` already collected."""


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))


def example_path(name: str) -> Path:
    path = EXAMPLES_DIR / f"{name}.toml"
    if not path.is_file():
        raise KreportError(
            f"no example named {name!r}; the examples are: {', '.join(example_names())}"
        )
    return path


def output_name(path: Path) -> str:
    """The PDF name (without suffix) for a data file: its stem, or an example's dated name."""
    if path.parent == EXAMPLES_DIR:
        return _EXAMPLE_OUTPUT.get(path.stem, path.stem)
    return path.stem


def collect(
    sources: Iterable[Source],
    *,
    period: str | None = None,
    by: By | None = None,
    all_cells: bool = False,
) -> list[Item]:
    """The items ``sources`` stand for, in order.

    Folders stand for their data files (not recursive, no hidden files); a tally stands for its
    whole-area briefing for ``period``, or one briefing per region with ``by="region"``.
    ``period`` and ``by`` without any tally among ``sources`` are a ``UsageError``. A source's
    problems are raised when its item is validated (or loaded), so one broken input never hides
    the others. A tally's figure cells are checked where the period needs them; ``all_cells``
    checks every one, in any month (``kreport validate`` without ``--period``).
    """
    items: list[Item] = []
    tallies = 0
    for source in sources:
        if isinstance(source, Item):
            items.append(source)
            continue
        if isinstance(source, tuple):
            name, data = source
            if not _plain_name(name):
                raise KreportError(
                    f"{name!r}: a batch item's name must be a plain file name (no folders)"
                )
            items.append(Item(name, name, raw=data))
            continue
        if not str(source):
            raise UsageError("an empty path is not a source; use . for the current folder")
        path = Path(source)
        if _is_dir(path):
            items.extend(
                Item(output_name(p), str(p), path=p, inputs=(p,)) for p in _data_files(path)
            )
        elif path.suffix.lower() in (".xlsx", ".csv"):
            tallies += 1
            items.extend(_tally_items(path, period, by, all_cells))
        elif path.suffix.lower() == ".toml" and _is_file(path):
            # Read once: a TOML is a tally's briefing if it has a ``tally`` key, else a data file.
            item = _toml_item(path)
            if item is None:
                tallies += 1
                items.extend(_tally_items(path, period, by, all_cells))
            else:
                items.append(item)
        else:
            items.append(Item(output_name(path), str(path), path=path, inputs=(path,)))
    if tallies == 0 and (period is not None or by is not None):
        raise UsageError("--period and --by apply to tallies (.xlsx, .csv or their TOML)")
    return items


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long to look up: reading it reports why
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _data_files(folder: Path) -> list[Path]:
    found = sorted(
        f
        for f in folder.iterdir()
        if f.suffix.lower() in DATA_SUFFIXES and not f.name.startswith(".") and f.is_file()
    )
    if not found:
        raise KreportError(f"{folder}: no .toml, .yaml, .yml or .json files in this folder")
    return found


def _toml_item(path: Path) -> Item | None:
    """The data-file item for a TOML, or ``None`` when it names a tally."""
    from .source.load import load

    name, label = output_name(path), str(path)
    try:
        raw = load(path)
    except KreportError as exc:
        return Item(name, label, path=path, error=exc, inputs=(path,))
    return None if "tally" in raw else Item(name, label, path=path, raw=raw, inputs=(path,))


def _tally_items(path: Path, period: str | None, by: By | None, all_cells: bool) -> list[Item]:
    from .tally.briefings import tally_briefings
    from .tally.spec import load_spec

    inputs: tuple[Path, ...] = (path,)
    try:
        spec = load_spec(path)
        inputs = tuple(dict.fromkeys(p for p in (path, spec.metrics_path, spec.types_path) if p))
        parts = tally_briefings(spec, period, by, all_cells=all_cells)
    except KreportError as exc:  # a TOML that cannot be parsed
        return [Item(path.stem, str(path), error=exc, inputs=inputs)]
    # a region's briefing is named after the region; the whole area's (also when a tally to
    # be split fails as a whole) after the tally
    return [
        Item(
            part.name,
            part.name if part.region else str(path),
            tally=part,
            base=path.parent,
            inputs=inputs,
        )
        for part in parts
    ]


def _plain_name(name: str) -> bool:
    return bool(name.strip()) and name not in (".", "..") and not set(name) & set("/\\\0")


def files_read(item: Item, raw: RawBriefing | None = None) -> tuple[Path, ...]:
    """The files building ``item`` reads: its inputs and, once ``raw`` is known, its logo."""
    logo = raw.get("logo") if raw is not None else None
    if isinstance(logo, str) and logo.strip():
        return (*item.inputs, (item.folder or Path.cwd()) / logo.strip())
    return item.inputs


def refuse_overwriting_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise ``OutputError`` if any of ``outputs`` is one of the files ``inputs``.

    Compared by resolved path (symlinks followed) and by file identity (device and inode, so a
    hard link is caught too), before anything is written: a PDF must never replace its source.
    """
    known: dict[object, Path] = {}
    folders: dict[str, str] = {}
    for path in inputs:
        for key in _keys(path, folders):
            known.setdefault(key, path)
    clashes = []
    first: Path | None = None
    for output in outputs:
        hit = next((known[k] for k in _keys(output, folders) if k in known), None)
        if hit is not None:
            first = first or output
            clashes.append(
                f"{output}: cannot write: it is the input {hit}, which the output would "
                "replace; choose another output"
            )
    if clashes:
        raise OutputError("\n".join(clashes), first)


def _keys(path: Path, folders: dict[str, str]) -> list[object]:
    """How a file is recognised: its resolved path, and (if it exists) its device and inode.
    ``folders`` holds the folders resolved so far in this check."""
    keys: list[object] = []
    try:
        keys.append(_resolved(path, folders))
        st = os.stat(path)
        keys.append((st.st_dev, st.st_ino))
    except (OSError, ValueError):  # missing, unreadable folder, name too long: no identity
        pass
    return keys


def _resolved(path: Path, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, each folder resolved once: a batch's hundreds of files share
    a few, and resolving a path looks up every folder on its way."""
    folder, name = os.path.split(os.fspath(path))
    if name in ("", ".", ".."):
        return os.path.realpath(path)
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:  # nothing there (an output to be written): no link to follow
        link = False
    except OSError:
        return os.path.realpath(path)
    if link:
        return os.path.realpath(path)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    return os.path.join(folders[folder], name)


def only(items: list[Item], what: str) -> Item:
    """The single item of ``items``; an ``InputError`` naming ``what`` if there are several."""
    if len(items) != 1:
        raise InputError(what, [Problem("", f"stands for {len(items)} briefings, not one")])
    return items[0]


__all__ = [
    "DEFAULT_EXAMPLE",
    "EXAMPLES_DIR",
    "By",
    "Item",
    "Source",
    "collect",
    "example_names",
    "example_path",
    "files_read",
    "only",
    "output_name",
    "refuse_overwriting_inputs",
]
