"""The parts of benchmarks/run.py that run inside the benchmark's venv, with its installed kreport
(or, through PYTHONPATH, the baseline's): each prints one JSON line.

    python inner.py warm FOLDER            CPU per briefing, built in one warm process
    python inner.py workers FOLDER JOBS    the batch through build_many: CPU and worker memory
    python inner.py peer-data FOLDER OUT   the Typst peer's data for each briefing
    python inner.py tally OUT ROWS         a tally of ROWS rows per sheet, CSV and xlsx
    python inner.py tagging REPEATS        what tagging costs, as rows of the table
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import kreport

WARM_UP = 6  # briefings built before measuring: fonts, locale data and modules loaded


def warm(folder: Path) -> dict[str, Any]:
    """CPU per briefing in a warm process, each briefing measured at its first build: what a
    process keeps between builds (parsed markup, line breaks) serves a new briefing only as far
    as it shares texts with those before it, as the districts of one batch do."""
    files = sorted(folder.glob("*.json"))
    for f in files[:WARM_UP]:  # one of each example, in each of its languages
        kreport.build_bytes(f)
    cpu = []
    for f in files[WARM_UP:]:
        start = time.process_time()
        kreport.build_bytes(f)
        cpu.append(time.process_time() - start)
    return {"median_ms": statistics.median(cpu) * 1000, "count": len(cpu)}


def workers(folder: Path, jobs: int, out: Path) -> dict[str, Any]:
    seen: list[Any] = []
    result = kreport.build_many([folder], out, jobs=jobs, on_result=seen.append)
    assert result.ok, [o.error for o in result.failed][:3]
    # each worker's peak memory after its first tenth of the batch, after half of it, at the end
    early = _peaks(seen, max(len(seen) // 10, jobs * 2))
    half, last = _peaks(seen, len(seen) // 2), _peaks(seen)
    return {
        "cpu_ms": statistics.median(o.cpu_seconds for o in seen) * 1000,
        # below 100%, the workers waited for a core: other processes were busy on the machine
        "share": sum(o.cpu_seconds for o in seen) / sum(o.seconds for o in seen),
        "workers": len(last),
        "peak_mb": max(last.values()) / 1024,
        # the first tenth includes the warm-up: each language's data loaded, the bounded
        # tables of what is kept filling; a leak shows in the second half as in the first
        "growth_mb": max(last[p] - early.get(p, last[p]) for p in last) / 1024,
        "late_growth_mb": max(last[p] - half.get(p, last[p]) for p in last) / 1024,
    }


def _peaks(seen: list[Any], upto: int | None = None) -> dict[int, int]:
    """Each worker's peak memory (KiB) as of its last briefing among the first ``upto``."""
    peaks: dict[int, int] = {}
    for o in seen[:upto]:
        peaks[o.pid] = o.max_rss_kib
    return peaks


def peer_data(folder: Path, out: Path) -> dict[str, Any]:
    """What the Typst page shows, as text and bar lengths: formatting is done here, untimed."""
    out.mkdir(parents=True, exist_ok=True)
    for f in sorted(folder.glob("*.json")):
        b = kreport.parse(f)
        zh = b.language.startswith("zh")

        def num(v: float | None) -> str:
            return "—" if v is None else f"{v:,.0f}"

        def change(m: Any) -> str:
            if m.change is None or m.change.amount is None:
                return ""
            return f"{m.change.amount:+.1f}%"

        tiles = [
            [num(m.value) if m.value is not None else change(m), m.label, change(m)]
            for m in b.metrics[:4]
        ]
        rows = [[m.label, num(m.value), num(m.previous), change(m)] for m in b.metrics]
        yoy = [
            [m.label, m.change.amount, change(m), "#b03a2e" if m.change.amount < 0 else "#2e7d32"]
            for m in b.metrics
            if m.change is not None and m.change.amount is not None
        ]
        types = [
            [t.label, t.cases or t.losses or 0, num(t.cases or t.losses), "#1f3a5f"]
            for t in b.fraud_types
        ]
        data: dict[str, Any] = {
            "font": "WenQuanYi Micro Hei" if zh else "DejaVu Sans",
            "lang": "zh" if zh else "en",
            "source": b.source or "",
            "footer": f"kreport · {'第1页' if zh else 'page 1 of 1'}",
            "marking": b.marking,
            "agency": b.agency,
            "issued": str(b.issued or ""),
            "title": b.title,
            "period": b.period + (f" · {b.baseline}" if b.baseline else ""),
            "tiles": tiles,
            "summary": "概况" if zh else "Summary",
            "head": ["指标", "本期", "去年同期", "同比"]
            if zh
            else ["Indicator", "This period", "Last year", "Change"],
            "rows": rows,
            "yoy_title": "同比变化" if zh else "Change on last year",
            "yoy": yoy or [["—", 0, "", "#6b6b6b"]],
            "types_title": "诈骗类型" if zh else "Fraud types",
            "types": types or [["—", 0, "", "#6b6b6b"]],
            "highlights_title": "要点" if zh else "Highlights",
            "highlights": list(b.highlights) or ["—"],
        }
        (out / f"{f.stem}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return {"count": len(list(out.glob("*.json")))}


def tagging(repeats: int) -> dict[str, Any]:
    """Build time and file size, tagged against untagged (both through the same writer), and
    with PDF/A-2b, for the default briefing in both languages and the fullest example page.

    A build here is what ``build_bytes`` does: read the data file, lay out, draw and write.
    Tagged and untagged builds run back to back in a random order, and each pair gives a ratio
    of CPU times: a slow moment of a shared machine hits both builds of a pair alike."""
    from kreport.page.layout import lay_out
    from kreport.page.pdf import render

    modes: dict[str, dict[str, bool]] = {
        "untagged": {"tagged": False},
        "tagged": {},
        "pdfa": {"pdfa": True},
    }
    rows: list[tuple[str, str, str, str]] = []
    rng = random.Random(14)
    for name, lang in (("karamay", "en"), ("karamay", "zh"), ("example-city", "en")):
        path = kreport.example_path(name)

        def build(kw: dict[str, bool], path: Path = path, lang: str = lang) -> bytes:
            return render(lay_out(kreport.parse(path, lang)), **kw)

        size = {mode: len(build(kw)) for mode, kw in modes.items()}  # and warm up
        cpu: dict[str, list[float]] = {mode: [] for mode in modes}
        ratios = []
        for _ in range(repeats):
            order = list(modes)
            rng.shuffle(order)
            for mode in order:
                start = time.process_time()
                build(modes[mode])
                cpu[mode].append(time.process_time() - start)
            ratios.append(cpu["tagged"][-1] / cpu["untagged"][-1])
        ms = {mode: statistics.median(v) * 1000 for mode, v in cpu.items()}
        slower = statistics.median(ratios)
        larger = size["tagged"] / size["untagged"]
        rows += [
            (
                f"tagging: {name} {lang}, CPU per build (median of {repeats} pairs)",
                f"{ms['tagged']:.1f} ms vs {ms['untagged']:.1f} ms untagged: {slower:.2f}x",
                "<= 1.10x",
                _met(slower <= 1.10),
            ),
            (
                "  file size, tagged vs untagged",
                f"{size['tagged'] / 1024:.1f} KB vs {size['untagged'] / 1024:.1f} KB = "
                f"+{(larger - 1) * 100:.1f}%",
                "<= +15%",
                _met(larger <= 1.15),
            ),
            (
                "  with --pdfa (PDF/A-2b, tagged)",
                f"{ms['pdfa']:.1f} ms, {size['pdfa'] / 1024:.1f} KB",
                "",
                "",
            ),
        ]
    return {"rows": rows}


def tally(out: Path, rows: int) -> dict[str, Any]:
    """A tally of ``rows`` rows in each sheet (metrics, fraud_types): 20 regions, one row per
    region and month back from 2023-12, five columns (a sheet may hold 500,000 cells), as two
    CSV files and one workbook, with a TOML for each; and a small tally followed by blank rows
    up to ``rows``, the case that once took quadratic time."""
    import csv
    import io
    import random

    from kreport.tally.template import write_workbook

    rng = random.Random(16)
    regions = [f"District {i:02d}" for i in range(20)]
    months = [f"{2023 - i // 12:04d}-{12 - i % 12:02d}" for i in range((rows - 1) // 20)][::-1]

    def sheet(headers: list[str], scale: int) -> list[list[Any]]:
        table: list[list[Any]] = [["month", "region", *headers]]
        for month in months:
            for region in regions:
                table.append([month, region, *(rng.randint(0, scale) for _ in headers)])
        return table

    def csv_text(table: list[list[Any]]) -> str:
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(table)
        return buf.getvalue()

    out.mkdir(parents=True, exist_ok=True)
    metrics = sheet(["Fraud reports", "Cases solved", "Losses"], 90)
    types = sheet(["Investment", "Loan", "Other"], 30)
    (out / "metrics.csv").write_text(csv_text(metrics), encoding="utf-8")
    (out / "types.csv").write_text(csv_text(types), encoding="utf-8")
    write_workbook(out / "tally.xlsx", {"metrics": metrics, "fraud_types": types})
    toml = (
        'months = "2023-01..2023-04"\ntitle = "Benchmark tally"\nagency = "Benchmark"\n'
        'issued = 2023-05-09\ncurrency = "CNY"\n'
        '[columns."Fraud reports"]\nbetter = "down"\nheadline = true\n'
        '[columns."Cases solved"]\nbetter = "up"\n'
        '[columns."Losses"]\nmoney = true\nbetter = "down"\n'
        '[type_columns."Other"]\nother = true\n[type_columns."Investment"]\n[type_columns."Loan"]\n'
    )
    (out / "xlsx.toml").write_text('tally = "tally.xlsx"\n' + toml, encoding="utf-8")
    both = 'tally = { metrics = "metrics.csv", fraud_types = "types.csv" }\n'
    (out / "csv.toml").write_text(both + toml, encoding="utf-8")
    small = metrics[:1] + metrics[-20 * 24 :]
    blank = small + [[""] * 5] * (rows - len(small))
    (out / "blank.csv").write_text(csv_text(blank), encoding="utf-8")
    return {"rows": len(metrics), "regions": len(regions)}


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "warm":
        result = warm(Path(args[0]))
    elif command == "workers":
        result = workers(Path(args[0]), int(args[1]), Path(args[2]))
    elif command == "peer-data":
        result = peer_data(Path(args[0]), Path(args[1]))
    elif command == "tagging":
        result = tagging(int(args[0]))
    elif command == "tally":
        result = tally(Path(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
