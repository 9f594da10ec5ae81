"""Benchmark anquan as whole processes on generated province-sized workspaces.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 3] [--work DIR]

For each size and format (YAML, CSV) it times, with several runs and the median:
``anquan check``, ``anquan hazards overdue --format json``, ``anquan report quarterly
--format md`` — cold (no cache: the cache folder is removed before each run) and warm — and
``anquan --help``; and, in the same run, DuckDB counting the same overdue hazards in the same
CSV files (DuckDB is installed into bench/.venv-duckdb, never into anquan's environment).
Prints a table with medians, per-record cost and peak memory (the main process).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

TODAY = "2024-06-30"


def timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, out.decode("utf-8", "replace")


def duckdb_python() -> str:
    venv = HERE / ".venv-duckdb"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "duckdb"], check=True)
    return str(python)


def median_run(cmd, env, runs, before=None):
    results = []
    out = ""
    for _ in range(runs):
        if before:
            before()
        wall, mem, out = timed(cmd, env)
        results.append((wall, mem))
    return statistics.median(r[0] for r in results), max(r[1] for r in results), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="where to generate (default: a temporary folder)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="anquan-bench-"))
    anquan = [sys.executable, "-m", "anquan_cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANQUAN_")}
    duck = duckdb_python()
    rows = []
    wall, mem, _ = median_run([*anquan, "--help"], env, args.runs)
    rows.append(("anquan --help", "-", "-", "-", wall, None, mem))
    for size in (int(x) for x in args.sizes.split(",")):
        for fmt in ("yaml", "csv"):
            root = generate(work / f"{fmt}-{size}", size, fmt, encoding="utf-8")
            cache = root / ".anquan"

            def clear(cache=cache):
                shutil.rmtree(cache, ignore_errors=True)

            commands = [("check", ["check", "--today", TODAY]),
                        ("hazards overdue", ["hazards", "overdue", "--today", TODAY, "--format", "json"]),
                        ("report quarterly", ["report", "quarterly", "--period", "2023Q4", "--today", TODAY])]
            for name, cmd in commands:
                full = [*anquan, *cmd, "--data", str(root)]
                for mode, before in (("cold", clear), ("warm", None)):
                    if mode == "warm":
                        timed(full, env)  # make sure the cache is there
                    wall, mem, out = median_run(full, env, args.runs, before)
                    rows.append((f"anquan {name}", size, fmt, mode, wall, wall / size * 1e6, mem))
                    if name == "hazards overdue":
                        import json

                        ours = len(json.loads(out))
            if fmt == "csv":
                sql = (f"select count(*) from read_csv('{root}/hazards/**/*.csv', header=true, all_varchar=true) "
                       f"where coalesce(\"销号日期\", '') = '' and \"整改期限\" < '{TODAY}'")
                code = f"import duckdb; print(duckdb.connect().execute({sql!r}).fetchone()[0])"
                wall, mem, out = median_run([duck, "-c", code], env, args.runs)
                rows.append(("duckdb overdue count", size, fmt, "-", wall, wall / size * 1e6, mem))
                assert int(out.strip()) == ours, f"DuckDB counts {out.strip()}, anquan {ours}"
    print(f"\n{'command':<24}{'hazards':>9}{'format':>7}{'mode':>6}{'median s':>10}{'µs/record':>11}{'peak MB':>9}")
    for name, size, fmt, mode, wall, per, mem in rows:
        per_s = "" if per is None else f"{per:.1f}"
        print(f"{name:<24}{size!s:>9}{fmt:>7}{mode:>6}{wall:>10.2f}{per_s:>11}{mem:>9.0f}")
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; workspaces in {work}")


if __name__ == "__main__":
    main()
