"""What a cold build imports: nothing it does not use (issue 16). The speed itself is measured by
benchmarks/run.py, never here; these tests hold the causes in place."""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

import kreport
from helpers import loaded_after
from kreport import cli
from kreport.page import markup, wrap
from kreport.source import period

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
        # nor the batch machinery, nor importlib.resources (which pulls in zipfile), nor calendar
        assert not {"kreport.batch", "zipfile", "calendar"} & loaded, lang


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


def test_a_batch_that_spawns_its_workers_leaves_matplotlib_to_them(tmp_path: Path) -> None:
    from kreport.batch import worker_count

    for n in range(2):
        (tmp_path / f"b{n}.toml").write_bytes(kreport.example_path("karamay").read_bytes())
    args = ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", "2"]
    code = f"from kreport.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
    # numpy's OpenBLAS would start threads here (``main``, unlike the command, leaves the
    # environment alone): the workers are spawned, not forked (test_hostile_workers.py)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    loaded = loaded_after(code, env=env)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b0.pdf", "b1.pdf"]
    if worker_count(2, 2):  # workers built them: this process needed no matplotlib
        assert not {m for m in loaded if m.startswith("matplotlib")}
    # the command keeps numpy to one BLAS thread: it imports the pipeline once, here, and forks
    # its workers from this process
    command = f"import sys\nfrom kreport.cli import run\nsys.argv = ['kreport', *{args!r}]\n"
    loaded = loaded_after(command + "try:\n    run()\nexcept SystemExit:\n    pass\n", env=env)
    if worker_count(2, 2) and sys.platform.startswith("linux"):
        assert "kreport.page.pdf" in loaded
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


def test_the_command_collects_at_a_slower_pace_while_it_runs() -> None:
    code = (
        "import gc, sys\n"
        "import kreport.cli as cli\n"
        "cli.main = lambda: print(*gc.get_threshold())\n"
        "before = gc.get_threshold()\n"
        "cli.run()\n"
        "print(gc.get_threshold() == before)\n"
    )
    during, restored = _run(code).splitlines()[-2:]
    assert tuple(map(int, during.split())) == cli.GC_THRESHOLDS != gc.get_threshold()
    assert cli.GC_THRESHOLDS[0] >= 10_000  # below, a cold build still walks all its objects
    assert restored == "True"


# What a build compiles: no regular expression with a class of thousands of characters (Python's
# re compiler fills a 65,536-entry map for it in a Python loop, ~2 ms each on every start). The
# rules they stood for are kept as code point comparisons or compiled on first need; the old
# patterns are the oracle here.
OLD_CJK = "\\u2e80-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f"
OLD_IS_CJK = re.compile(f"[{OLD_CJK}]")
OLD_WRAP_TOKEN = re.compile(f"[{OLD_CJK}]|\\S+?(?=[{OLD_CJK}]|\\s|$)|\\s+")
EDGES = "\u2e7f\u2e80\u3000\u303f\u9fff\ua000\uabff\uac00\ud7af\ud7b0\uf8ff\uf900\ufaff\ufb00"
EDGES += "\ufeff\uff00\uffef\ufff0\U00020000"
SPACES = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u205f\u3000"
WRAP_TEXT = st.text(alphabet=st.sampled_from(EDGES + SPACES + "ab1%.,中文，。（）한ｱ"), max_size=40)
WRAP_TEXT |= st.text(alphabet=st.sampled_from(" \n\u3000a1.中文，"), max_size=12)


@given(WRAP_TEXT)
def test_wrap_tokens_are_the_old_patterns(text: str) -> None:
    assert wrap.tokens(text) == OLD_WRAP_TOKEN.findall(text)
    assert "".join(wrap.tokens(text)) == text


def test_cjk_is_the_old_class_for_every_character() -> None:
    wrong = [c for c in map(chr, range(0x110000)) if wrap._is_cjk(c) != bool(OLD_IS_CJK.match(c))]
    assert not wrong


def _all_forms(text: str) -> dt.date | None:
    """``period_end`` as it was: every English form, then every Chinese one, in order."""
    cleaned = " ".join(text.split()).strip(" .")
    for source, flags, end in (*period._ENGLISH, *period._CHINESE):
        match = re.fullmatch(source, cleaned, flags)
        if match:
            return end(match.groups())
    return None


PERIOD_FORMS = [
    "{Y}", "{Q}{q} {Y}", "H{h} {Y}", "{M} {Y}", "{M}{T}{M} {Y}", "{M} {Y}{T}{M} {Y}", "{D} {M} {Y}",
    "{D}{T}{D} {M} {Y}", "{D} {M}{T}{D} {M} {Y}", "{M} {D}{T}{D}, {Y}", "{Y}年", "{Y}年全年",
    "{Y}年{D}月", "{Y}年{D}月份", "{Y}年{D}月{Z}{D}月", "{Y}年{D}{Z}{D}月",
    "{Y}年{D}月{Z}{Y}年{D}月",
    "{Y}年{D}月{D}日", "{Y}年{D}月{D}日{Z}{D}日", "{Y}年{D}月{D}日{Z}{D}月{D}日", "{Y}年第{q}季度",
    "{Y}年第{q}季", "{M} {Y}年", "{Y}年 {M}", "{D} {M} {Y}年", "{Q}{q} {Y}年{D}月",
    "{x}{x}{x}{x}",
]  # fmt: skip
PERIOD_FILLS = {
    "Y": ["2023", "2024", "1999", "２０２３", "202"],
    "M": ["March", "mar.", "Sept", "sep.", "SEPTEMBER", "Jan", "mAY", "ſep", "Kay", "年"],
    "D": ["1", "4", "18", "31", "0", "32", "１２", "二"],
    "T": ["–", " - ", " to ", "until", "—", "至", "~", " "],
    "Z": ["至", "到", "-", "～", " ~ ", "to", ""],
    "Q": ["Q", "q", "H"],
    "q": ["1", "4", "5", "一", "四", "五"],
    "h": ["1", "2", "3"],
    "x": ["2023", "March", " ", "–", "年", "月", "日", "至", ".", "18"],
}


@st.composite
def periods(draw: st.DrawFn) -> str:
    """The forms ``period_end`` reads, with their parts drawn (some out of range, some in the
    other language), and some text that only looks like them."""
    form = draw(st.sampled_from(PERIOD_FORMS))
    return re.sub(r"\{(\w)\}", lambda m: draw(st.sampled_from(PERIOD_FILLS[m[1]])), form)


@given(periods())
def test_a_period_ends_where_trying_every_form_says(text: str) -> None:
    assert period.period_end(text) == _all_forms(text)


def test_a_period_has_a_chinese_form_only_with_a_nian() -> None:
    assert all("年" in source for source, _, _ in period._CHINESE)
    for text in ("2023年", "2023年1月至4月", "2023年第一季度", "January–April 2023", "2023"):
        assert period.period_end(text) == _all_forms(text) is not None


def test_a_build_compiles_no_huge_character_class() -> None:
    found = subprocess.run(
        [sys.executable, "-c", HUGE_CLASSES], capture_output=True, text=True, check=True
    ).stdout
    assert found.startswith("built") and found.split() == ["built"], found


HUGE_CLASSES = r"""
import re, sys
compile = re.compile
RANGE = compile(r"\\u([0-9a-fA-F]{4})-\\u([0-9a-fA-F]{4})")

def counting(pattern, flags=0):
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if caller.startswith("kreport") and isinstance(pattern, str):
        size = sum(int(b, 16) - int(a, 16) for a, b in RANGE.findall(pattern))
        if size > 1000:
            print(caller, pattern)
    return compile(pattern, flags)

re.compile = counting
import kreport
for lang in ("en", "zh"):
    kreport.build_bytes(kreport.example_path("karamay"), language=lang)
print("built")
"""
