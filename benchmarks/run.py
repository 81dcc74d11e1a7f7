"""kreport's speed and memory, measured side by side with the floor, the baseline and Typst.

    python benchmarks/run.py                 # the full run (several minutes on 2 cores)
    python benchmarks/run.py --quick         # fewer repeats and briefings, for a smoke check
    python benchmarks/run.py --venv DIR      # keep the benchmark's venv in DIR for the next run
    python benchmarks/run.py --batch         # only the batch (or --tagging: only tagging)

kreport is measured as a user runs it: a wheel of this tree installed into a fresh venv (with its
dependencies from the package index, and Typst from the ``bench`` extra when it installs), its
bytecode compiled, commands started from the venv with PYTHONDONTWRITEBYTECODE unset (with it
set, every run would recompile). The floor is that venv's Python importing what any build must
import (``matplotlib, reportlab.platypus, click``). The baseline is the same venv running
kreport as it was when issue 16 was filed (``--baseline``), installed beside it. Cold runs are
fresh processes, alternated so that machine noise hits each alike, as are the batch's runs and
Typst's (three in a full run); figures are medians. Nothing
here is a test: the numbers depend on the machine, and are recorded in the README.
What tagging (PDF/UA) costs is measured in one warm process: the same page built tagged and
untagged in alternation, CPU time per build, and the two files' sizes.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
EXAMPLES = ROOT / "src" / "kreport" / "data" / "examples"
BASELINE = "34e3da5"  # main when issue 16 was filed: "today's" warm CPU per briefing
ORIGINAL_EXAMPLES = ("karamay", "singapore", "jieyang")  # the examples the baseline also reads

Row = tuple[str, str, str, str]


class Bench:
    """The venv a user would have, and how to run commands in it."""

    def __init__(self, work: Path, venv: Path | None, baseline: str | None) -> None:
        self.work = work
        self.baseline = baseline
        self.venv = venv or work / "venv"
        self.py = str(self.venv / "bin" / "python")
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["MPLCONFIGDIR"] = str(work / "mplconfig")
        self.base_env: dict[str, str] | None = None
        self._install()
        if baseline:
            self._install_baseline(baseline)

    def _install(self) -> None:
        wheels = self.work / "wheels"
        _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, ROOT])
        if not (self.venv / "bin" / "python").exists():
            _run([sys.executable, "-m", "venv", self.venv])
        wheel = next(wheels.glob("kreport-*.whl"))
        pip = [self.py, "-m", "pip", "install", "-q"]
        _run([*pip, wheel], env=self.env)  # with its dependencies
        _run([*pip, f"{wheel}[bench]"], env=self.env, ok=True)  # the Typst peer, if it installs
        _run([*pip, "--force-reinstall", "--no-deps", wheel], env=self.env)  # this tree's
        self.compile(self.venv)

    def _install_baseline(self, rev: str) -> None:
        src = self.work / "baseline-src"
        src.mkdir()
        archive = subprocess.run(
            ["git", "-C", ROOT, "archive", rev], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
        target = self.work / "baseline"
        _run([self.py, "-m", "pip", "install", "-q", "--no-deps", "--target", target, src])
        self.compile(target)
        self.base_env = {**self.env, "PYTHONPATH": str(target)}

    def compile(self, where: Path) -> None:
        _run([self.py, "-m", "compileall", "-q", where], env=self.env, ok=True)

    def has(self, module: str) -> bool:
        return _run([self.py, "-c", f"import {module}"], env=self.env, ok=True) == 0

    def inner(self, *args: Any, baseline: bool = False) -> dict[str, Any]:
        env = self.base_env if baseline else self.env
        out = subprocess.run(
            [self.py, HERE / "inner.py", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            sys.exit(f"inner.py {args[0]} failed:\n{out.stderr[-3000:]}")
        return dict(json.loads(out.stdout.splitlines()[-1]))

    def kreport(self, *args: Any) -> list[str]:
        return [self.py, "-m", "kreport.cli", *map(str, args)]


def _run(cmd: Sequence[Any], env: dict[str, str] | None = None, ok: bool = False) -> int:
    proc = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True)
    if proc.returncode and not ok:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-3000:]}")
    return proc.returncode


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, 40 briefings")
    ap.add_argument("--runs", type=int, help="fresh-process runs per cold figure (default 9)")
    ap.add_argument("--count", type=int, help="briefings in the batch (default 300)")
    ap.add_argument("--jobs", type=int, default=2, help="batch worker processes (default 2)")
    ap.add_argument("--venv", type=Path, help="create (or reuse) the benchmark's venv here")
    ap.add_argument("--baseline", default=BASELINE, help=f"git revision (default {BASELINE})")
    ap.add_argument("--tally-rows", type=int, default=100_000, help="rows per tally sheet")
    ap.add_argument("--tagging", action="store_true", help="only what tagging costs")
    ap.add_argument("--batch", action="store_true", help="only the batch and its workers")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 9)
    count = args.count or (40 if args.quick else 300)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="kreport-bench-") as tmp:
        work = Path(tmp)
        only = args.tagging or args.batch
        bench = Bench(work, args.venv, None if only else args.baseline or None)
        if not only:
            cold(bench, runs, rows)
            sizes(bench, rows)
            warm(bench, rows)
        if not args.batch:
            rows += [tuple(r) for r in bench.inner("tagging", 7 if args.quick else 25)["rows"]]
        if not args.tagging:
            batch(bench, count, args.jobs, max(1, runs // 3), rows)
        if not only:
            tally(bench, args.tally_rows, max(3, runs // 3), rows)
        print(machine(bench))
    print(table(rows))
    return 0


def machine(bench: Bench) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    code = (
        "import importlib.metadata as m; print(', '.join(f'{d} ' + m.version(d) for d in "
        "('matplotlib', 'reportlab', 'rl-accel', 'python-calamine')))"
    )
    versions = subprocess.run(
        [bench.py, "-c", code], env=bench.env, capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} cores (nproc), {cpu}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.machine()}; {versions}; load average {load:.1f}"
    )


def median_runs(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, float]:
    """Median wall time of each command as a fresh process, run in alternation."""
    for cmd, env in commands.values():  # warm the disk cache and matplotlib's font cache first
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def cold(bench: Bench, runs: int, rows: list[Row]) -> None:
    out = bench.work / "cold.pdf"
    e = bench.env
    t = median_runs(
        {
            "python": ([bench.py, "-c", "pass"], e),
            "floor": ([bench.py, "-c", "import matplotlib, reportlab.platypus, click"], e),
            "en": (bench.kreport("build", "-o", out), e),
            "zh": (bench.kreport("build", "--lang", "zh", "-o", out), e),
            "help": (bench.kreport("build", "--help"), e),
            "schema": (bench.kreport("schema"), e),
        },
        runs,
    )
    floor = t["floor"]
    rows += [
        ("python -c pass (interpreter start)", f"{t['python']:.3f} s", "", ""),
        ("floor: import matplotlib, reportlab.platypus, click", f"{floor:.3f} s", "", ""),
    ]
    for lang in ("en", "zh"):
        ratio = t[lang] / floor
        rows.append(
            (
                f"cold `kreport build` (default briefing, {lang})",
                f"{t[lang]:.3f} s = {ratio:.2f}x floor",
                "<= 1.5x floor",
                _met(ratio <= 1.5),
            )
        )
    for name, what in (("help", "`kreport build --help`"), ("schema", "`kreport schema`")):
        rows.append((what, f"{t[name]:.3f} s", "<= 0.15 s", _met(t[name] <= 0.15)))


def sizes(bench: Bench, rows: list[Row]) -> None:
    for lang, limit in (("en", 60), ("zh", 150)):
        out = bench.work / f"size-{lang}.pdf"
        _run(bench.kreport("build", "--lang", lang, "-o", out), env=bench.env)
        size = out.stat().st_size / 1024
        rows.append(
            (
                f"default briefing PDF size, {lang}",
                f"{size:.1f} KB",
                f"<= {limit} KB",
                _met(size <= limit),
            )
        )


def warm(bench: Bench, rows: list[Row]) -> None:
    folder = bench.work / "warm"
    generate(folder, 60, ORIGINAL_EXAMPLES)
    now = bench.inner("warm", folder)["median_ms"]
    rows.append(("warm CPU per briefing, one process (median)", f"{now:.1f} ms", "", ""))
    if bench.base_env is not None:
        then = bench.inner("warm", folder, baseline=True)["median_ms"]
        ratio = now / then
        rows.append(
            (
                f"  the same at {bench.baseline} (when issue 16 was filed)",
                f"{then:.1f} ms; now {ratio:.2f}x",
                "<= 0.5x",
                _met(ratio <= 0.5),
            )
        )


def batch(bench: Bench, count: int, jobs: int, runs: int, rows: list[Row]) -> None:
    inputs = bench.work / "briefings"
    generate(inputs, count, ORIGINAL_EXAMPLES)
    cmd = bench.kreport("build", inputs, "-o", bench.work / "cli", "-j", jobs)
    peer = bench.has("typst")
    if peer:
        data = bench.work / "peer-data"
        bench.inner("peer-data", inputs, data)
    # alternated, so that machine noise hits each alike; medians
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        ours.append(_timed(lambda: _run(cmd, env=bench.env)))
        if peer:
            theirs.append(_timed(lambda: typst_batch(bench, data, jobs)))
    seconds = statistics.median(ours)
    rate = count / seconds
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows.append(
        (
            f"batch: `kreport build` of {count} briefings, --jobs {jobs} (median of {runs})",
            f"{seconds:.2f} s = {rate:.1f} briefings/s (load {load:.1f})",
            "",
            "",
        )
    )
    if peer:
        peer_seconds = statistics.median(theirs)
        peer_rate = count / peer_seconds
        rows.append(
            (
                f"  Typst, one process per briefing, {jobs} at a time",
                f"{peer_seconds:.2f} s = {peer_rate:.1f} briefings/s",
                "",
                "",
            )
        )
        ratio = rate / peer_rate
        rows.append(("  kreport's rate / Typst's", f"{ratio:.2f}x", ">= 1.8x", _met(ratio >= 1.8)))
    else:
        rows.append(("  Typst peer", "not installed (pip install 'kreport[bench]')", "", ""))
    w = bench.inner("workers", inputs, jobs, bench.work / "lib")
    rows += [
        (
            "  CPU per briefing in a worker (median)",
            f"{w['cpu_ms']:.0f} ms = {jobs / w['cpu_ms'] * 1000:.0f}/s on {jobs} idle cores",
            "",
            f"workers got {w['share']:.0%} of a core",
        ),
        (
            f"peak RSS per worker ({w['workers']} workers)",
            f"{w['peak_mb']:.0f} MB",
            "<= 150 MB",
            _met(w["peak_mb"] <= 150),
        ),
        (
            "  its growth after the first 10% (warm-up)",
            f"{w['growth_mb']:.1f} MB",
            "",
            "",
        ),
        (
            "  its growth over the second half (leak check)",
            f"{w['late_growth_mb']:.1f} MB",
            "not growing",
            _met(w["late_growth_mb"] <= 5),
        ),
    ]


def typst_batch(bench: Bench, data: Path, jobs: int) -> None:
    fonts = ROOT / "src" / "kreport" / "data" / "fonts"
    code = (
        "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
        f"font_paths=[{str(fonts)!r}], ignore_system_fonts=True, "
        "sys_inputs={'data': open(sys.argv[3], encoding='utf-8').read()})"
    )
    out = bench.work / "typst"
    out.mkdir(exist_ok=True)

    def one(f: Path) -> None:
        cmd = [bench.py, "-c", code, HERE / "peer.typ", out / f"{f.stem}.pdf", f]
        _run(cmd, env=bench.env)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, sorted(data.glob("*.json"))))


def tally(bench: Bench, rows_per_sheet: int, runs: int, rows: list[Row]) -> None:
    folder = bench.work / "tally"
    made = bench.inner("tally", folder, rows_per_sheet)
    what = f"{made['rows']:,} rows x 2 sheets x 5 columns, {made['regions']} regions"
    for kind, path, label in (
        ("csv", folder / "csv.toml", f"tally, {what}, CSV"),
        ("xlsx", folder / "xlsx.toml", f"tally, {what}, xlsx"),
        ("blank", folder / "blank.csv", f"tally followed by blank rows to {rows_per_sheet:,}"),
    ):
        cmd = bench.kreport("build", path, "-o", folder / f"{kind}.pdf")
        try:
            results = [_child(cmd, bench.env) for _ in range(runs)]
        except RuntimeError as exc:  # a refused tally is a result too: say it, go on
            rows.append((label, f"failed: {str(exc)[:80]}", "<= 2 s", _met(False)))
            continue
        seconds = statistics.median(s for s, _ in results)
        peak = max(m for _, m in results)
        rows.append((label, f"{seconds:.2f} s, peak {peak:.0f} MB", "<= 2 s", _met(seconds <= 2)))


def _child(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        assert proc.stderr is not None
        raise RuntimeError(" ".join(proc.stderr.read().decode().split()))
    return seconds, usage.ru_maxrss / 1024


def _timed(run: Any) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def generate(folder: Path, count: int, names: Sequence[str], seed: int = 2024) -> None:
    """``count`` varied briefings as JSON: the named examples with other regions, figures,
    type counts and (for bilingual examples) language, every one a valid page."""
    rng = random.Random(seed)
    bases = [tomllib.loads((EXAMPLES / f"{n}.toml").read_text(encoding="utf-8")) for n in names]
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
        if any(isinstance(m.get("label"), dict) for m in data.get("metrics", [])):
            data["language"] = "zh" if i % 2 else "en"  # an edition in each of its languages
        # else its own language: one language's text is refused in another's edition
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
        for t in data.get("fraud_types", []):
            factor = rng.uniform(0.5, 2.0)
            for key in ("cases", "losses", "previous_cases", "previous_losses"):
                if isinstance(t.get(key), int | float):
                    t[key] = round(t[key] * factor)
        data.pop("types_total", None)  # the listed types' sum would no longer match it
        (folder / f"region-{i:04d}.json").write_text(
            json.dumps(data, ensure_ascii=False), encoding="utf-8"
        )


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(rows: Sequence[Row]) -> str:
    head = ("measure", "result", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
