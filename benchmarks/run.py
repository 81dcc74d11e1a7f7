"""kreport's speed and memory, measured side by side with the floor, printed as one table.

    python benchmarks/run.py            # the full run (about a minute on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats and briefings, for a smoke check

The floor is a fresh Python importing what any kreport build must import
(``matplotlib, reportlab.platypus, click``). Cold runs are fresh processes, alternated with the
floor so that machine noise hits both alike; each figure is the median of several runs.
What tagging (PDF/UA) costs is measured in one warm process: the same page built tagged and
untagged in alternation, CPU time per build, and the two files' sizes.
Nothing here is a test: the numbers depend on the machine, and are recorded in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import kreport

PY = sys.executable


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, 60 briefings")
    ap.add_argument("--runs", type=int, help="fresh-process runs per cold figure (default 9)")
    ap.add_argument("--count", type=int, help="briefings in the batch (default 500)")
    ap.add_argument("--jobs", type=int, default=2, help="batch worker processes (default 2)")
    ap.add_argument("--tagging", action="store_true", help="only what tagging costs")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 9)
    count = args.count or (60 if args.quick else 500)

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="kreport-bench-") as tmp:
        work = Path(tmp)
        if not args.tagging:
            cold(work, runs, rows)
            sizes(work, rows)
        tagging(rows, 7 if args.quick else 25)
        if not args.tagging:
            batch(work, count, args.jobs, rows)
    print(machine())
    print(table(rows))
    return 0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    return (
        f"machine: {os.cpu_count()} cores (nproc), {cpu}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.machine()}; "
        f"matplotlib {_version('matplotlib')}, reportlab {_version('reportlab')}"
    )


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def median_runs(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command as a fresh process, run in alternation."""
    for cmd in commands.values():  # warm the disk cache and any bytecode/font caches first
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def cold(work: Path, runs: int, rows: list[tuple[str, str, str, str]]) -> None:
    out = work / "cold.pdf"
    t = median_runs(
        {
            "floor": [PY, "-c", "import matplotlib, reportlab.platypus, click"],
            "build": [PY, "-m", "kreport.cli", "build", "-o", str(out)],
            "artists": [
                PY,
                "-c",
                "import matplotlib.text, matplotlib.patches, matplotlib.lines, reportlab.platypus,"
                " click",
            ],
            "charts": [PY, "-c", "import matplotlib.figure, reportlab.platypus, click"],
            "help": [PY, "-m", "kreport.cli", "--help"],
            "python": [PY, "-c", "pass"],
        },
        runs,
    )
    ratio = t["build"] / t["floor"]
    rows += [
        ("python -c pass (interpreter start)", f"{t['python']:.3f} s", "", ""),
        ("floor: import matplotlib, reportlab.platypus, click", f"{t['floor']:.3f} s", "", ""),
        (
            "  + matplotlib.text, .patches, .lines only",
            f"{t['artists']:.3f} s",
            "",
            f"{t['artists'] / t['floor']:.2f}x floor",
        ),
        (
            "  + matplotlib.figure (what a chart needs)",
            f"{t['charts']:.3f} s",
            "",
            f"{t['charts'] / t['floor']:.2f}x floor",
        ),
        (
            "cold `kreport build` (default briefing)",
            f"{t['build']:.3f} s = {ratio:.2f}x floor",
            "<= 1.5x floor",
            _met(ratio <= 1.5),
        ),
        ("`kreport --help`", f"{t['help']:.3f} s", "<= 0.15 s", _met(t["help"] <= 0.15)),
    ]


def sizes(work: Path, rows: list[tuple[str, str, str, str]]) -> None:
    for lang, limit in (("en", 60), ("zh", 150)):
        size = len(kreport.build_bytes(kreport.example_path("karamay"), language=lang)) / 1024
        rows.append(
            (
                f"default briefing PDF size, {lang}",
                f"{size:.1f} KB",
                f"<= {limit} KB",
                _met(size <= limit),
            )
        )


def tagging(rows: list[tuple[str, str, str, str]], repeats: int) -> None:
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


def batch(work: Path, count: int, jobs: int, rows: list[tuple[str, str, str, str]]) -> None:
    inputs = work / "briefings"
    generate(inputs, count)
    cmd = [PY, "-m", "kreport.cli", "build", str(inputs), "-o", str(work / "cli"), "-j", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the batch failed:\n{proc.stderr[-3000:]}")
    rate = count / seconds
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows.append(
        (
            f"batch: `kreport build` of {count} briefings, --jobs {jobs}",
            f"{seconds:.1f} s = {rate:.1f} briefings/s (load {load:.1f})",
            ">= 30 /s on 2 cores",
            _met(rate >= 30),
        )
    )

    # the same batch through the library, to read each worker's memory as it goes
    seen: list[kreport.Outcome] = []
    result = kreport.build_many([inputs], work / "lib", jobs=jobs, on_result=seen.append)
    assert result.ok, [o.error for o in result.failed][:3]
    early: dict[int, int] = {}
    for o in seen[: max(len(seen) // 10, jobs * 2)]:
        early[o.pid] = o.max_rss_kib
    last: dict[int, int] = {}
    for o in seen:
        last[o.pid] = o.max_rss_kib
    cpu = statistics.median(o.cpu_seconds for o in seen)
    # below 100%, the workers waited for a core: other processes were busy on the machine
    share = sum(o.cpu_seconds for o in seen) / sum(o.seconds for o in seen)
    rows.append(
        (
            "  CPU per briefing in a worker (median)",
            f"{cpu * 1000:.0f} ms = {jobs / cpu:.0f}/s on {jobs} idle cores",
            "",
            f"workers got {share:.0%} of a core",
        )
    )
    peak = max(last.values()) / 1024
    growth = max(last[p] - early.get(p, last[p]) for p in last) / 1024
    rows.append(
        (
            f"peak RSS per worker ({len(last)} workers)",
            f"{peak:.0f} MB",
            "<= 150 MB",
            _met(peak <= 150),
        )
    )
    rows.append(
        (
            "  growth of that peak after the first 10%",
            f"{growth:.1f} MB",
            "not growing",
            _met(growth <= 5),
        )
    )


def generate(folder: Path, count: int, seed: int = 2024) -> None:
    """``count`` varied briefings as JSON: the bundled examples with other regions, figures,
    type counts and language, every one a valid page."""
    rng = random.Random(seed)
    bases = [
        tomllib.loads(kreport.example_path(n).read_text(encoding="utf-8"))
        for n in kreport.example_names()
    ]
    regions = [
        ("North", "北"),
        ("South", "南"),
        ("East", "东"),
        ("West", "西"),
        ("Lakeside", "湖滨"),
        ("Hillside", "山城"),
        ("Harbour", "港口"),
        ("Old Town", "老城"),
    ]
    folder.mkdir(parents=True)
    for i in range(count):
        data = json.loads(json.dumps(bases[i % len(bases)], default=str))
        en, zh = regions[rng.randrange(len(regions))]
        data["agency"] = {"en": f"{en} District Police No. {i}", "zh": f"{zh}区公安分局{i}号"}
        data["language"] = "zh" if i % 2 else "en"
        for m in data.get("metrics", []):
            factor = rng.uniform(0.3, 3.0)
            for key in ("value", "previous"):
                if isinstance(m.get(key), int | float):
                    m[key] = round(m[key] * factor)
            if "previous" in m:
                m.pop("change_pct", None)  # rounding may move it; kreport works it out
            if isinstance(m.get("label"), dict):
                m["label"] = {k: f"{v} ({en})" if k == "en" else v for k, v in m["label"].items()}
        types = data.get("fraud_types", [])
        if len(types) > 2:
            data["fraud_types"] = types[: rng.randint(2, len(types))]
        _scale_types(data, rng)
        (folder / f"region-{i:04d}.json").write_text(
            json.dumps(data, ensure_ascii=False), encoding="utf-8"
        )


def _scale_types(data: dict[str, Any], rng: random.Random) -> None:
    for t in data.get("fraud_types", []):
        factor = rng.uniform(0.5, 2.0)
        for key in ("cases", "losses", "previous_cases", "previous_losses"):
            if isinstance(t.get(key), int | float):
                t[key] = round(t[key] * factor)
    data.pop("types_total", None)  # the listed types' sum would no longer match it


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    head = ("measure", "result", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
