"""Data is only ever text: never markup, a link, an image path or mathtext; building touches no
file but the input, kreport's own assets, the libraries it imports and the output, and no network.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zoneinfo
from importlib.resources import files
from pathlib import Path

import pikepdf
import pytest

import kreport
from kreport.errors import InputError
from kreport.source.load import Format, loads
from pdfread import read_pdf

HOSTILE = {
    "title": '<img src="/etc/hostname"/> <a href="http://example.com/">click</a>',
    "agency": "<font color='red' size='40'>Agency</font> &amp; <b>bold</b>",
    "period": "$\\alpha^2$ <br/> 2023",
    "source": '<img src="/etc/passwd" width="100" height="100"/> see https://example.com/x',
    "currency": "USD",
    "mixed_languages": True,  # the same Latin markup in the Chinese edition too
    "highlights": [
        '<a href="javascript:alert(1)">js</a> and $5 to $10',
        "<link href='file:///etc/hostname'>here</link>",
    ],
    "metrics": [
        {"label": "<img src='/etc/hostname'/> cases", "value": 12, "previous": 10},
        {"label": "Rate $\\frac{1}{2}$", "value": 3.5, "previous": 4, "unit": "%"},
    ],
    "fraud_types": [
        {"label": "$\\mathbf{x}$ <u>phish</u>", "cases": 5, "previous_cases": 3},
        {"label": '<img src="/etc/hostname"/>', "cases": 2, "previous_cases": 1},
    ],
}
LITERALS = [
    '<img src="/etc/hostname"/>',
    "<font color='red' size='40'>Agency</font> &amp; <b>bold</b>",
    "$\\alpha^2$",
    "<link href='file:///etc/hostname'>here</link>",
    "$\\mathbf{x}$ <u>phish</u>",
    "Rate $\\frac{1}{2}$",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["en", "zh"])
def test_data_text_is_printed_literally_never_as_markup_link_image_or_math(
    language: str,
) -> None:
    data = kreport.build_bytes({**HOSTILE, "language": language})
    facts = read_pdf(data)
    assert facts.pages == 1
    assert facts.images == 0
    text = _flat(facts.text)
    for literal in LITERALS:
        assert _flat(literal) in text, literal
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert "/Annots" not in page.obj
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert "/URI" not in obj and obj.get("/Subtype") != "/Link"
                assert obj.get("/S") not in ("/URI", "/Launch", "/JavaScript", "/GoToR")
        assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root


def test_yaml_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system"):
        data = f"title: {tag} ['touch {marker}']\n".encode()
        with pytest.raises(InputError, match="is not allowed"):
            loads(data, Format.YAML, "x.yaml")
    with pytest.raises(InputError, match="is not allowed"):
        loads(b"title: !!python/name:os.system\n", Format.YAML, "x.yaml")
    assert not marker.exists()


# -- what a build opens -----------------------------------------------------------------------

AUDIT = textwrap.dedent(
    """
    import json, os, sys

    record, events = True, []

    def hook(event, args):
        if not record:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            events.append(["open", os.fsdecode(args[0])])
        elif event.split(".")[0] in ("socket", "subprocess", "urllib", "ftplib", "http", "smtplib"):
            events.append([event, repr(args)[:300]])
        elif event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"):
            events.append([event, repr(args)[:300]])

    sys.addaudithook(hook)  # before any import: every open from here on is seen

    from kreport.cli import main

    try:
        main(sys.argv[2:], standalone_mode=False)
    finally:
        record = False
    import matplotlib, site, sysconfig

    roots = {
        "python": [sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(),
                   site.getusersitepackages(),
                   *(sysconfig.get_paths()[k]
                     for k in ("stdlib", "platstdlib", "purelib", "platlib"))],
        "matplotlib": [matplotlib.get_configdir(), matplotlib.get_cachedir()],
    }
    with open(sys.argv[1], "w") as fh:
        json.dump({"events": events, "roots": roots}, fh)
    """
)


def _under(path: Path, root: str | Path) -> bool:
    try:
        path.relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_build_opens_only_input_assets_libraries_and_output(tmp_path: Path, language: str) -> None:
    src = tmp_path / "data" / "hostile.json"
    src.parent.mkdir()
    src.write_text(json.dumps(HOSTILE))
    out_dir = tmp_path / "out"
    report = tmp_path / "audit.json"
    subprocess.run(
        [
            sys.executable,
            "-c",
            AUDIT,
            str(report),
            "build",
            str(src),
            "-o",
            str(out_dir / "b.pdf"),
            "--lang",
            language,
        ],
        cwd=tmp_path,
        check=True,
    )
    result = json.loads(report.read_text())
    assert read_pdf((out_dir / "b.pdf").read_bytes()).pages == 1

    network = [e for e in result["events"] if e[0] != "open"]
    assert network == [], "no socket, subprocess or URL activity while building"

    opened = {(tmp_path / e[1]).resolve() for e in result["events"] if e[0] == "open"}
    assert src.resolve() in opened
    assert any(_under(p, files("kreport") / "data" / "fonts") for p in opened)
    for forbidden in ("/etc/hostname", "/etc/passwd"):
        assert Path(forbidden).resolve() not in opened
    # Where kreport and the libraries it imports legitimately read: code, caches, their own
    # configuration (reportlab reads ~/.reportlab_settings) and the time-zone database.
    allowed = [
        src.resolve(),
        out_dir.resolve(),
        Path(str(files("kreport"))).resolve(),
        *result["roots"]["python"],
        *result["roots"]["matplotlib"],
        *zoneinfo.TZPATH,
        Path.home() / ".reportlab_settings",
        Path.home() / ".reportlab_mods",
    ]
    unexpected = sorted(str(p) for p in opened if not any(_under(p, r) for r in allowed))
    assert unexpected == [], "a build opened files outside the input, assets, libraries, output"
    assert not any(str(p).startswith("/etc/") for p in opened)


def test_audit_hook_sees_a_data_driven_open(tmp_path: Path) -> None:
    """The audit harness itself works: an open of /etc/hostname would be recorded."""
    report = tmp_path / "audit.json"
    script = AUDIT.replace(
        "main(sys.argv[2:], standalone_mode=False)",
        "open('/etc/hostname', 'rb').close() if os.path.exists('/etc/hostname') else "
        "open('/etc/passwd', 'rb').close()",
    )
    subprocess.run([sys.executable, "-c", script, str(report)], cwd=tmp_path, check=True)
    opened = [e[1] for e in json.loads(report.read_text())["events"] if e[0] == "open"]
    assert any(p in ("/etc/hostname", "/etc/passwd") for p in opened)
