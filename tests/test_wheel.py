"""The installed wheel works on its own: its package data (fonts, font caches, catalogues,
examples) is in it. The rest of the suite runs against the source tree (an editable install),
which would never notice a data file left out of ``[tool.setuptools.package-data]``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kreport
from helpers import ROOT
from kreport.page.words import words
from pdfread import read_pdf

EDITIONS = ("zh-TW", "zh-HK")  # each its own catalogue (zh_Hant_TW, zh_Hant_HK) and Han font

BUILD = """\
import sys
from pathlib import Path

import kreport
from kreport.cli import main

out = Path(sys.argv[1])
print(kreport.__file__)
for lang in {editions!r}:
    (out / f"hongkong-{{lang}}.pdf").write_bytes(
        kreport.build_bytes(kreport.example_path("hongkong"), lang)
    )
try:
    main(["build", "-o", str(out / "default.pdf")])  # the default example, as the CLI builds it
except SystemExit as exc:
    assert not exc.code, exc.code
"""


def _run(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, cwd=cwd)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the project (the tree is left as it was) and installed
    with --target: a folder holding kreport and nothing else."""
    base = tmp_path_factory.mktemp("wheel")
    project = base / "project"
    shutil.copytree(
        ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(project)])
    [wheel] = (base / "dist").glob("kreport-*.whl")
    target = base / "site"
    _run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)])
    return target


@pytest.mark.slow
def test_the_installed_wheel_builds_every_edition_with_its_fonts_and_words(
    installed: Path, tmp_path: Path
) -> None:
    # PYTHONPATH first: the wheel's kreport, not the source tree the venv's editable install
    # points at; the venv still gives the dependencies
    env = {**os.environ, "PYTHONPATH": str(installed), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    code = BUILD.format(editions=EDITIONS)
    done = _run([sys.executable, "-c", code, str(tmp_path)], env=env, cwd=tmp_path)
    assert Path(done.stdout.splitlines()[0]).is_relative_to(installed)
    english = words("en")
    for lang in EDITIONS:
        data = (tmp_path / f"hongkong-{lang}.pdf").read_bytes()
        f = read_pdf(data)
        fixed = words(lang)  # from the source tree's catalogue
        for word, own in (
            (fixed.yoy_chart, english.yoy_chart),
            (fixed.types_chart_cases, english.types_chart_cases),
        ):
            assert word != own and word in f.text, (lang, word)
        assert f.fonts and all("WenQuanYi" in name and emb for name, emb in f.fonts.items())
        assert data == kreport.build_bytes(kreport.example_path("hongkong"), lang), lang
    default = (tmp_path / "default.pdf").read_bytes()
    assert default == kreport.build_bytes(kreport.example_path(kreport.api.DEFAULT_EXAMPLE))
    assert read_pdf(default).pages == 1
