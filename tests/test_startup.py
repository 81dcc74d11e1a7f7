"""What a cold build imports: nothing it does not use (issue 16). The speed itself is measured by
benchmarks/run.py, never here; these tests hold the causes in place."""

from __future__ import annotations

import subprocess
import sys
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from kreport.page import markup

# xml.sax.saxutils pulls urllib.request, which pulls http.client, email and ssl
NETWORK = ("xml.sax", "urllib.request", "http.client", "ssl", "email.parser")


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


@given(st.text(alphabet=st.sampled_from("&<>;amptlg\"' x中")))
def test_markup_escapes_as_saxutils_does(text: str) -> None:
    assert markup.escape(text) == saxutils.escape(text)
    assert markup.unescape(text) == saxutils.unescape(text)
    assert markup.unescape(markup.escape(text)) == text


def test_a_build_imports_no_xml_or_network_module() -> None:
    for lang in ("en", "zh"):
        loaded = _loaded_after(
            "import kreport\n"
            f"kreport.build_bytes(kreport.example_path('karamay'), language={lang!r})"
        )
        assert "kreport.page.pdf" in loaded
        assert not set(NETWORK) & loaded, lang


def test_build_help_and_schema_load_no_matplotlib() -> None:
    for args in (["build", "--help"], ["schema"]):
        loaded = _loaded_after(
            "from kreport.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        )
        assert "kreport.cli" in loaded
        assert not {m for m in loaded if m.startswith(("matplotlib", "reportlab"))}, args
