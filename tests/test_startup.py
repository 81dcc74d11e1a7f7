"""What a cold build imports: nothing it does not use (issue 16). The speed itself is measured by
benchmarks/run.py, never here; these tests hold the causes in place."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

import kreport
from helpers import loaded_after
from kreport.page import markup

# xml.sax.saxutils pulls urllib.request, which pulls http.client, email and ssl
NETWORK = ("xml.sax", "urllib.request", "http.client", "ssl", "email.parser")


@given(st.text(alphabet=st.sampled_from("&<>;amptlg\"' x中")))
def test_markup_escapes_as_saxutils_does(text: str) -> None:
    assert markup.escape(text) == saxutils.escape(text)
    assert markup.unescape(text) == saxutils.unescape(text)
    assert markup.unescape(markup.escape(text)) == text


def test_a_build_imports_no_xml_or_network_module() -> None:
    for lang in ("en", "zh"):
        loaded = loaded_after(
            "import kreport\n"
            f"kreport.build_bytes(kreport.example_path('karamay'), language={lang!r})"
        )
        assert "kreport.page.pdf" in loaded
        assert not set(NETWORK) & loaded, lang
        # a data file's build reads no spreadsheet: the tally stage is imported for tallies only
        assert not {m for m in loaded if m.startswith("kreport.tally")}, lang


def test_build_help_and_schema_load_no_matplotlib() -> None:
    for args in (["build", "--help"], ["schema"]):
        loaded = loaded_after(
            "from kreport.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        )
        assert "kreport.cli" in loaded
        assert not {m for m in loaded if m.startswith(("matplotlib", "reportlab"))}, args


# matplotlib's artists (and the set() docstrings it generates for each artist class) are never
# imported: the charts are drawn from its transforms and paths (page/plotframe.py), which
# `import matplotlib` loads anyway
FIGURE = (
    "matplotlib.figure",
    "matplotlib.axes",
    "matplotlib.axis",
    "matplotlib.text",
    "matplotlib.patches",
    "matplotlib.lines",
    "matplotlib.legend",
    "matplotlib.offsetbox",
    "matplotlib.backend_bases",
    "matplotlib.font_manager",
)


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_a_build_imports_no_more_of_matplotlib_than_import_matplotlib() -> None:
    bare = {m for m in loaded_after("import matplotlib") if m.startswith("matplotlib")}
    assert not set(FIGURE) & bare
    for lang in ("en", "zh"):
        loaded = loaded_after(
            "import kreport\n"
            f"kreport.build_bytes(kreport.example_path('example-city'), language={lang!r})"
        )
        assert "kreport.page.plotframe" in loaded  # its charts were drawn
        assert {m for m in loaded if m.startswith("matplotlib")} == bare, lang


def test_the_command_and_workers_import_no_matplotlib_artists(tmp_path: Path) -> None:
    args = ["build", "--example", "hongkong", "-o", str(tmp_path / "a.pdf")]
    cli = f"from kreport.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
    loaded = loaded_after(cli)
    assert (tmp_path / "a.pdf").stat().st_size > 10_000
    assert "kreport.page.plotframe" in loaded and not set(FIGURE) & loaded
    worker = loaded_after("from kreport.batch import warm_up\nwarm_up()\n")
    assert "kreport.page.pdf" in worker and not set(FIGURE) & worker


def test_a_batch_leaves_matplotlib_to_its_workers(tmp_path: Path) -> None:
    from kreport.batch import worker_count

    for n in range(2):
        (tmp_path / f"b{n}.toml").write_bytes(kreport.example_path("karamay").read_bytes())
    args = ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", "2"]
    code = f"from kreport.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
    loaded = loaded_after(code)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b0.pdf", "b1.pdf"]
    if worker_count(2, 2):  # workers built them: this process needed no matplotlib
        assert not {m for m in loaded if m.startswith("matplotlib")}
    one = [*args[:-1], "1"]  # built in this process: still no matplotlib artist
    code = f"from kreport.cli import main\ntry:\n    main({one!r})\nexcept SystemExit:\n    pass\n"
    loaded = loaded_after(code)
    assert "kreport.page.plotframe" in loaded and not set(FIGURE) & loaded


def test_the_command_leaves_its_objects_out_of_the_collection_at_exit() -> None:
    code = (
        "import gc, sys\n"
        "from kreport.cli import run\n"
        "sys.argv = ['kreport', 'examples']\n"
        "try:\n    run()\nexcept SystemExit:\n    print(gc.get_freeze_count() > 1000)\n"
    )
    assert _run(code).splitlines()[-1] == "True"
    entry = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert entry["project"]["scripts"]["kreport"] == "kreport.cli:run"
