"""Benchmark anquan as whole processes on generated workspaces, with DuckDB as the baseline.

    python bench/run.py [--sizes 10000,100000] [--formats csv,yaml] [--runs 5] [--only overdue,check]
                        [--work DIR] [--json FILE] [--today 2024-06-30] [--duckdb-python PATH]

What it does, in order:

1. Workspaces: for each size and format, ``generate.py`` (seed 1, UTF-8) writes ``DIR/<fmt>-<size>``
   once; an existing workspace there is reused (copy a generated one in to skip generation).
   The cold and edit commands run on copies of it (``-cold``, ``-edit``), so neither disturbs the
   caches the other commands find.
2. Cross-check: DuckDB selects the overdue hazards from the CSV ledger with anquan's as-of rules
   (below) and the id set must equal the one ``anquan hazards overdue --format json`` prints, at
   ``--today`` and at ``--past-day``, for both formats (YAML is checked against the CSV ledger of the
   same hazards: the generator writes the same records in both), and likewise the ids of
   ``hazards list --township X``.  Any difference stops the run (exit status 1).  ``--selftest``
   first proves the SQL on a small ledger edited with anquan itself (extensions, a changed
   deadline, a rectification without sign-offs, all dated between the two days).
3. Timing: every selected command once untimed (warm-up), then ``--runs`` rounds; each round runs
   every (command, size, format) once, round-robin (starting one further along each round), so
   drift hits all alike.  A run is a whole process: wall time from spawn to exit, peak RSS from
   ``os.wait4`` (``ru_maxrss``: the largest single process of the tree, worker processes
   included), user+system CPU; stdout is a pipe, read to the end.  Each run's exit status must
   equal the warm-up's, and the queries' output must be byte-identical to it.

As-of rules (``rules/hazards.py``: ``as_of`` and ``is_overdue``) for day T, as the SQL has them:
a hazard is overdue at T iff found <= T, it is not closed by T (销号日期 empty or after T), no
整改完成 is dated on or before T (a rectified hazard waiting for its sign-offs is 待验收, not
overdue), and T is after its deadline as of T: the current 整改期限, unless an event dated after T
moved it (the first such 延期 with its 原期限, or 修改 of the deadline with its 原值), whose old value
is the deadline T knew.

``report-changed`` is the quarterly report on a copy where, before each run, one hazard file
gets a text it never had (a unit name with the run's number): every other file's part is kept,
that file's is computed again and the report is laid out again.  anquan's modules are compiled
to bytecode before timing, as ``pip install`` does (a source tree under
``PYTHONDONTWRITEBYTECODE`` would otherwise be compiled again in every run).

Cold means anquan's own caches removed before the run: ``<workspace>/.anquan/`` (record cache,
hazard index, lock) and the per-user key folder ``$XDG_CACHE_HOME/anquan`` (``io/seal.py``).
anquan runs here with ``XDG_CACHE_HOME`` inside the work folder, so the user's own key is never
touched.  The OS page cache stays warm (dropping it needs root).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 1

# Commands: name -> (argv after "anquan", needs a workspace, default on).  {ws} {today} {period}
# {township} {id} {by} are filled in per workspace; the edit and cold ones run on copies.
COMMANDS: dict[str, tuple[list[str], bool, bool]] = {
    "help": (["--help"], False, True),
    "hazards-help": (["hazards", "--help"], False, True),
    "overdue": (["hazards", "overdue", "--format", "json", "--today", "{today}", "--data", "{ws}"], True, True),
    "overdue-cold": (["hazards", "overdue", "--format", "json", "--today", "{today}", "--data", "{ws}"], True, True),
    "list-township": (["hazards", "list", "--township", "{township}", "--format", "json", "--today", "{today}",
                       "--data", "{ws}"], True, True),
    "check": (["check", "--today", "{today}", "--data", "{ws}"], True, True),
    "report": (["report", "quarterly", "--format", "md", "--period", "{period}", "--today", "{today}",
                "--data", "{ws}"], True, True),
    "rectify": (["hazards", "rectify", "{id}", "--by", "{by}", "--note", "基准测试", "--today", "{today}",
                 "--data", "{ws}"], True, True),
    # the report after one hazard file changed (a new text each run): the per-file parts of
    # the other files are kept, the changed file's computed again, the report laid out again
    "report-changed": (["report", "quarterly", "--format", "md", "--period", "{period}", "--today", "{today}",
                        "--data", "{ws}"], True, True),
    # not by default: the ordinary path (the index cannot answer a day before the last entry)
    "overdue-past": (["hazards", "overdue", "--format", "json", "--today", "{past}", "--data", "{ws}"], True, False),
    "check-cold": (["check", "--today", "{today}", "--data", "{ws}"], True, False),
    "report-cold": (["report", "quarterly", "--format", "md", "--period", "{period}", "--today", "{today}",
                     "--data", "{ws}"], True, False),
}
COLD = {"overdue-cold", "check-cold", "report-cold"}
EDIT = {"rectify"}
CHANGED = {"report-changed"}
SAME_OUTPUT = {"overdue", "overdue-cold", "overdue-past", "list-township", "help", "hazards-help"}
# which DuckDB query is the baseline of which command
DUCK_FOR = {"overdue": "overdue", "overdue-cold": "overdue", "overdue-past": "overdue-past",
            "list-township": "list-township"}

# ---------------------------------------------------------------------- DuckDB

DUCK_SQL = r"""
with raw as (
  select row_number() over () as rid, "隐患编号" as id, "乡镇" as township,
         try_cast(nullif(trim("发现日期"), '') as date) as found,
         try_cast(nullif(trim("整改期限"), '') as date) as deadline,
         try_cast(nullif(trim("销号日期"), '') as date) as closed,
         coalesce("处理记录", '') as hist
  -- every generated file has the same header (generate.CSV_HEADER); union_by_name would cost 15x
  from read_csv($glob, header = true, all_varchar = true)
),
-- the history cell: one event per line or per ；, "date kind key=value ..."; only of hazards
-- found and still open on T (the others are not overdue whatever their history says)
chunks as (
  select rid, unnest(parts) as txt, generate_subscripts(parts, 1) as i
  from (select rid, regexp_split_to_array(hist, '[；;\r\n]') as parts from raw
        where hist <> '' and found <= $day and (closed is null or closed > $day))
),
events as (
  select rid, i, try_cast(split_part(trim(txt), ' ', 1) as date) as d,
         lower(regexp_extract(trim(txt), '^\S+\s+(\S+)', 1)) as kind,
         nullif(regexp_extract(txt, '\s(?:previous|原期限|原值|原责任人)[=＝](\S*)', 1), '') as prev,
         lower(regexp_extract(txt, '\s(?:field|字段)[=＝](\S*)', 1)) as fld
  from chunks where trim(txt) <> ''
),
flagged as (
  select *, kind in ('rectified', '整改完成', '整改', '已整改') as is_rect,
         -- an event after T that moved the deadline: its old value is the deadline T knew
         d > $day and ((kind in ('extended', '延期', '延长期限', '延长整改期限') and prev is not null)
                       or (kind in ('changed', '修改', '更正', '补充', '补录') and fld in ('deadline', '整改期限', '期限')))
           as moved_later
  from events
),
per_hazard as (
  select rid,
         bool_or(is_rect and d <= $day) as rectified,
         bool_or(moved_later) as moved,
         first(try_cast(prev as date) order by d, i) filter (where moved_later) as deadline_before
  from flagged group by rid
),
on_day as (
  select raw.*, coalesce(p.rectified, false) as rectified,
         case when coalesce(p.moved, false) then p.deadline_before else raw.deadline end as deadline_then
  from raw left join per_hazard p using (rid)
)
"""
DUCK_QUERIES = {
    "overdue": "select id from on_day where found <= $day and deadline_then < $day "
               "and (closed is null or closed > $day) and not rectified order by id",
    "list-township": "select id from on_day where township = $township order by id",
    # what a baseline without the as-of rules would say (the self-test shows it differs)
    "naive": "select id from on_day where found <= $day and deadline < $day and (closed is null or closed > $day) "
             "order by id",
}
DUCK_SCRIPT = r"""
import json, sys
import duckdb
sql, query, glob, day, township = sys.argv[1:6]
params = {"glob": glob, "day": day}
if "$township" in query:
    params["township"] = township
con = duckdb.connect()
con.execute("set enable_progress_bar = false")
rows = con.execute(sql + query, params).fetchall()
sys.stdout.write(json.dumps([r[0] for r in rows], ensure_ascii=False))
"""


def duckdb_python(given: str | None) -> str:
    if given:
        return given
    venv = HERE / ".venv-duckdb"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "duckdb"], check=True)
    return str(python)


def duck_argv(duck: str, query: str, root: Path, day: str, township: str = "") -> list[str]:
    return [duck, "-c", DUCK_SCRIPT, DUCK_SQL, DUCK_QUERIES[query], f"{root}/hazards/**/*.csv", day, township]


# ---------------------------------------------------------------------- processes


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    rc: int
    out_bytes: int
    out_sha: str
    stderr: str = ""


def run_process(argv: list[str], env: dict, keep_output: bool = False) -> tuple[Run, bytes]:
    """One whole process, stdout a pipe read to the end: wall seconds, CPU, peak RSS (wait4)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env)
        digest = hashlib.sha256()
        size = 0
        kept = []
        while chunk := proc.stdout.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if keep_output:
                kept.append(chunk)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode, size, digest.hexdigest(),
               stderr[-2000:]), b"".join(kept)


# A process forked from a big one starts with the parent's pages counted in its ru_maxrss (Linux
# keeps the high-water mark across exec, fork and vfork alike), so the timed processes are started
# by this small spawner, not by the harness, which holds cross-check answers of 100k rows.
SPAWNER = r"""
import hashlib, json, os, resource, subprocess, sys, tempfile, time
for line in sys.stdin:
    req = json.loads(line)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(req["argv"], stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                env=req["env"])
        digest, size = hashlib.sha256(), 0
        while chunk := proc.stdout.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")[-2000:]
    sys.stdout.write(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                                 "rss_kb": usage.ru_maxrss, "rc": proc.returncode, "out_bytes": size,
                                 "out_sha": digest.hexdigest(), "stderr": stderr,
                                 "own_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}) + "\n")
    sys.stdout.flush()
"""


class Spawner:
    """Runs the timed processes (see SPAWNER); ``floor_mb`` is its own peak RSS, the least any
    process it starts can report."""

    def __init__(self, python: str):
        self.proc = subprocess.Popen([python, "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8")
        self.floor_mb = 0.0

    def run(self, argv: list[str], env: dict) -> Run:
        self.proc.stdin.write(json.dumps({"argv": argv, "env": env}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the spawner died")
        got = json.loads(line)
        self.floor_mb = max(self.floor_mb, got["own_kb"] / 1024)
        return Run(got["wall"], got["cpu"], got["rss_kb"] / 1024, got["rc"], got["out_bytes"], got["out_sha"],
                   got["stderr"])

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


# ---------------------------------------------------------------------- workspaces


def generator_digest() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_workspace(work: Path, fmt: str, size: int) -> Path:
    """``work/<fmt>-<size>``: generated once, reused when present."""
    root = work / f"{fmt}-{size}"
    marker = work / f"{fmt}-{size}.json"
    if (root / "anquan.yaml").is_file():
        try:
            made = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            made = None
        if made is None:
            print(f"  reusing {root} (not generated by this script: assumed {size} {fmt} hazards, seed {SEED})")
        elif made.get("generator") != generator_digest():
            print(f"  reusing {root} (written by another version of generate.py; delete it to regenerate)")
        return root
    sys.path.insert(0, str(HERE))
    from generate import generate

    print(f"  generating {size} hazards ({fmt}) in {root} ...", flush=True)
    start = time.perf_counter()
    generate(root, size, fmt, seed=SEED, encoding="utf-8")
    for suffix in ("-cold", "-edit"):  # copies of an older workspace
        shutil.rmtree(work / f"{fmt}-{size}{suffix}", ignore_errors=True)
    marker.write_text(json.dumps({"hazards": size, "format": fmt, "seed": SEED, "encoding": "utf-8",
                                  "generator": generator_digest()}) + "\n", encoding="utf-8")
    print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)
    return root


def copy_of(root: Path, suffix: str) -> Path:
    """A copy of a workspace without its caches (made once)."""
    target = root.with_name(root.name + suffix)
    if not (target / "anquan.yaml").is_file():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(root, target, ignore=lambda d, names: [".anquan"] if Path(d) == root else [])
    return target


def first_township(root: Path) -> str:
    text = (root / "org/units.yaml").read_text(encoding="utf-8")
    m = re.search(r"^townships:\n\s+- \{id: [^,]+, name: ([^}]+)\}", text, re.M)
    if not m:
        raise SystemExit(f"no township in {root}/org/units.yaml")
    return m.group(1).strip()


def quarter(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


class EditRestore:
    """Put the ledger file an edit changed back exactly as it was: the same inode, mtime and
    bytes when the edit replaced the file (a hard link keeps the original), else bytes and mtime."""

    def __init__(self, path: Path, work: Path):
        self.path = path
        self.original = path.read_bytes()
        self.stat = path.stat()
        self.link = work / f".bench-edit-{hashlib.sha1(str(path).encode()).hexdigest()[:12]}"

    def before(self) -> None:
        self.link.unlink(missing_ok=True)
        os.link(self.path, self.link)

    def after(self) -> None:
        changed = self.path.read_bytes() != self.original
        if self.link.stat().st_ino != self.path.stat().st_ino:
            os.replace(self.link, self.path)
        else:
            self.link.unlink()
            self.path.write_bytes(self.original)
            os.utime(self.path, ns=(self.stat.st_atime_ns, self.stat.st_mtime_ns))
        if not changed:
            raise SystemExit(f"the edit did not change {self.path}: it measured nothing")
        if self.path.read_bytes() != self.original:
            raise SystemExit(f"could not restore {self.path}")


class ChangeOne:
    """Before each run, give one ledger file a text it never had (a unit's name with a run
    number), so the command finds exactly one file changed since its last run."""

    WORD = "有限公司".encode()

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()
        self.runs = 0
        if self.WORD not in self.original:
            raise SystemExit(f"{path} has no {self.WORD.decode()} to change")

    def before(self) -> None:
        self.runs += 1
        self.path.write_bytes(self.original.replace(self.WORD, self.WORD + f"（{self.runs}）".encode(), 1))


# ---------------------------------------------------------------------- cross-check


def cross_check(label: str, ours: list[str], theirs: list[str]) -> dict:
    a, b = set(ours), set(theirs)
    diff = a ^ b
    ok = not diff and len(ours) == len(theirs)
    print(f"  {label:<46} anquan {len(ours):>6}  DuckDB {len(theirs):>6}  symmetric difference {len(diff):>5}"
          f"  {'ok' if ok else 'DIFFERENT'}", flush=True)
    if not ok:
        sample = sorted(diff)[:10]
        raise SystemExit(f"cross-check failed for {label}: only anquan {sorted(a - b)[:5]}, "
                         f"only DuckDB {sorted(b - a)[:5]} (of {len(diff)}; e.g. {sample})")
    return {"check": label, "anquan": len(ours), "duckdb": len(theirs), "symmetric_difference": len(diff)}


def anquan_rows(anquan: list[str], args: list[str], env: dict) -> list[dict]:
    run, out = run_process([*anquan, *args], env, keep_output=True)
    if run.rc != 0:
        raise SystemExit(f"anquan {' '.join(args)} exited {run.rc}: {run.stderr}")
    return json.loads(out)


def anquan_ids(anquan: list[str], args: list[str], env: dict) -> list[str]:
    return [r["id"] for r in anquan_rows(anquan, args, env)]


def duck_ids(duck: str, query: str, root: Path, day: str, env: dict, township: str = "") -> list[str]:
    run, out = run_process(duck_argv(duck, query, root, day, township), env, keep_output=True)
    if run.rc != 0:
        raise SystemExit(f"DuckDB {query} exited {run.rc}: {run.stderr}")
    return json.loads(out)


def selftest(work: Path, anquan: list[str], duck: str, env: dict, today: str, past: str) -> list[dict]:
    """The SQL against anquan on a small ledger edited with anquan: deadlines moved and a hazard
    rectified after ``past``; the naive query (current deadline, rectified counted) must differ."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    root = work / "selftest-csv"
    generate(root, 1000, "csv", seed=SEED, encoding="utf-8")
    p, t = dt.date.fromisoformat(past), dt.date.fromisoformat(today)
    mid = (p + (t - p) / 2).isoformat()
    after = (p + dt.timedelta(days=10)).isoformat()
    rows = json.loads(run_process([*anquan, "hazards", "overdue", "--format", "json", "--today", past,
                                   "--data", str(root)], env, keep_output=True)[1])
    rows = [r for r in rows if r["found"] < (p - dt.timedelta(days=60)).isoformat()]
    if len(rows) < 6:
        raise SystemExit("self-test: too few overdue hazards to edit")
    common = ["--by", rows[0]["owner"], "--today", today, "--data", str(root)]
    edits = [
        ["hazards", "extend", rows[0]["id"], "--deadline", (t + dt.timedelta(days=90)).isoformat(),
         "--reason", "雨季施工", "--date", after],                         # moved after past: later than today
        ["hazards", "extend", rows[1]["id"], "--deadline", mid, "--reason", "材料未到", "--date", after],
        ["hazards", "set", rows[2]["id"], "deadline",
         (dt.date.fromisoformat(rows[2]["found"]) + dt.timedelta(days=1)).isoformat(),
         "--reason", "更正期限", "--date", after],                          # 修改 to an earlier day
        ["hazards", "rectify", rows[3]["id"], "--date", after],            # rectified, not signed off
        ["hazards", "extend", rows[4]["id"], "--deadline", (t + dt.timedelta(days=30)).isoformat(),
         "--reason", "二次延期前", "--date", after],
        ["hazards", "extend", rows[4]["id"], "--deadline", (t + dt.timedelta(days=60)).isoformat(),
         "--reason", "二次延期", "--date", mid],                            # two later extensions
        ["hazards", "extend", rows[5]["id"], "--deadline", (p + dt.timedelta(days=5)).isoformat(),
         "--reason", "延期", "--date", (p - dt.timedelta(days=10)).isoformat()],  # moved before past
    ]
    for e in edits:
        run, _ = run_process([*anquan, *e, *common], env)
        if run.rc != 0:
            raise SystemExit(f"self-test edit {' '.join(e)} failed: {run.stderr}")
    results, differs = [], False
    for day in sorted({past, after, mid, today, (p + dt.timedelta(days=5)).isoformat(),
                       (p + dt.timedelta(days=6)).isoformat()}):
        ours = anquan_ids(anquan, ["hazards", "overdue", "--format", "json", "--today", day, "--data", str(root)], env)
        results.append(cross_check(f"self-test overdue {day}", ours, duck_ids(duck, "overdue", root, day, env)))
        differs |= set(duck_ids(duck, "naive", root, day, env)) != set(ours)
    if not differs:
        raise SystemExit("self-test: the naive query agrees with anquan on every day; the edits test nothing")
    print("  self-test: the naive query (current deadline, rectified counted) differs, the as-of query does not")
    return results


# ---------------------------------------------------------------------- machine


def machine(duck: str | None) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "", False
    info = {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "memory_gib": mem,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "anquan_commit": commit + ("+dirty src" if dirty else ""),
            "load_average_before": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None}
    if duck:
        info["duckdb"] = subprocess.run([duck, "-c", "import duckdb; print(duckdb.__version__)"],
                                        capture_output=True, text=True).stdout.strip()
    return info


# ---------------------------------------------------------------------- timing


@dataclass
class Job:
    command: str  # anquan command name, or "duckdb <query>"
    size: int | None
    fmt: str | None
    argv: list[str]
    env: dict
    before: object = None
    after: object = None
    expect_rc: int | None = None
    expect_sha: str | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.command} {self.size or '-'} {self.fmt or '-'}"

    def once(self, spawner: Spawner, record: bool) -> Run:
        if self.before:
            self.before()
        try:
            run = spawner.run(self.argv, self.env)
        finally:
            if self.after:
                self.after()
        if self.expect_rc is None:
            self.expect_rc = run.rc
            if self.command in EDIT and run.rc != 0:
                raise SystemExit(f"{self.label}: the edit failed ({run.rc}): {run.stderr}")
            if run.rc not in (0, 1):
                raise SystemExit(f"{self.label}: exit status {run.rc}: {run.stderr}")
            self.expect_sha = run.out_sha
        elif run.rc != self.expect_rc:
            raise SystemExit(f"{self.label}: exit status {run.rc}, warm-up had {self.expect_rc}: {run.stderr}")
        elif (self.command in SAME_OUTPUT or self.command.startswith("duckdb")) and run.out_sha != self.expect_sha:
            raise SystemExit(f"{self.label}: output differs from the warm-up's")
        if record:
            self.runs.append(run)
        return run


def fmt_s(x: float | None) -> str:
    return "—" if x is None else (f"{x:.3f}" if x < 1 else f"{x:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="hazard counts (default 10000,100000)")
    ap.add_argument("--formats", default="csv,yaml", help="ledger formats (default csv,yaml)")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    ap.add_argument("--only", default=None,
                    help="commands, comma-separated, from: " + ", ".join(COMMANDS)
                    + " (default: all but overdue-past, check-cold, report-cold)")
    ap.add_argument("--work", type=Path, default=None,
                    help="folder for the workspaces, reused when present (default: a new temporary folder)")
    ap.add_argument("--json", type=Path, default=None, help="write every raw result here")
    ap.add_argument("--today", default="2024-06-30", help="the day every command is asked about")
    ap.add_argument("--past-day", default="2023-06-30", help="the second day of the cross-check")
    ap.add_argument("--township", default=None, help="for list-township (default: the first in org/units.yaml)")
    ap.add_argument("--duckdb-python", default=None,
                    help="a Python with duckdb installed (default: bench/.venv-duckdb, created when missing)")
    ap.add_argument("--no-duckdb", action="store_true", help="no DuckDB baseline and no cross-check")
    ap.add_argument("--selftest", action="store_true",
                    help="first test the cross-check SQL on a small ledger edited with anquan (about 15 s)")
    ap.add_argument("--python", default=sys.executable, help="the Python that runs anquan (default: this one)")
    args = ap.parse_args()

    names = list(COMMANDS) if args.only is None else [c.strip() for c in args.only.split(",") if c.strip()]
    if args.only is None:
        names = [n for n in names if COMMANDS[n][2]]
    unknown = [n for n in names if n not in COMMANDS]
    if unknown:
        ap.error(f"unknown command(s) {', '.join(unknown)}; choose from {', '.join(COMMANDS)}")
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not set(formats) <= {"csv", "yaml"}:
        ap.error("--formats: csv and/or yaml")
    work = (args.work or Path(tempfile.mkdtemp(prefix="anquan-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    today, past = args.today, args.past_day

    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ANQUAN_")}
    base_env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    warm_env = {**base_env, "XDG_CACHE_HOME": str(work / "xdg-warm")}
    cold_xdg = work / "xdg-cold"
    cold_env = {**base_env, "XDG_CACHE_HOME": str(cold_xdg)}
    anquan = [args.python, "-m", "anquan_cli"]
    where = subprocess.run([*anquan[:1], "-c", "import anquan_cli; print(anquan_cli.__file__)"],
                           env=warm_env, capture_output=True, text=True).stdout.strip()
    # anquan's modules as an installed copy has them (pip compiles them when installing):
    # with PYTHONDONTWRITEBYTECODE set, a source tree would be compiled again in every run
    subprocess.run([args.python, "-m", "compileall", "-q", str(Path(where).parent)], env=warm_env, check=True)
    duck = None if args.no_duckdb else duckdb_python(args.duckdb_python)
    info = machine(duck)
    info["bytecode"] = "anquan's modules compiled before timing (python -m compileall), as pip install does"
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
          f"{info['memory_gib']} GiB, {info['os']}, Python {info['python']}"
          + (f", DuckDB {info['duckdb']}" if duck else ""))
    print(f"anquan: {where} (commit {info['anquan_commit']}); work folder {work}")

    spawner = Spawner(args.python)  # before this process holds anything big
    checks: list[dict] = []
    if args.selftest and duck:
        print("self-test of the cross-check SQL:")
        checks += selftest(work, anquan, duck, warm_env, today, past)

    jobs: list[Job] = []
    for name in names:
        if not COMMANDS[name][1]:
            jobs.append(Job(name, None, None, [*anquan, *COMMANDS[name][0]], warm_env))
    duck_needed = {DUCK_FOR[n] for n in names if n in DUCK_FOR} if duck else set()
    index_state = {}
    for size in sizes:
        for fmt in formats:
            if not any(COMMANDS[n][1] for n in names):
                break
            print(f"workspace {fmt} {size}:")
            root = ensure_workspace(work, fmt, size)
            csv_root = ensure_workspace(work, "csv", size) if duck and fmt != "csv" else root
            township = args.township or first_township(root)
            values = {"today": today, "past": past, "period": quarter(today), "township": township}
            # the cross-check, which also tells the edit which hazard to rectify
            overdue_rows = anquan_rows(anquan, ["hazards", "overdue", "--format", "json", "--today", today,
                                                "--data", str(root)], warm_env)
            overdue_now = [r["id"] for r in overdue_rows]
            if duck:
                for day in (past, today):
                    ours = overdue_now if day == today else anquan_ids(
                        anquan, ["hazards", "overdue", "--format", "json", "--today", day, "--data", str(root)],
                        warm_env)
                    checks.append({**cross_check(f"overdue {fmt} {size} at {day}", ours,
                                                 duck_ids(duck, "overdue", csv_root, day, base_env)),
                                   "size": size, "format": fmt, "day": day})
                ours = anquan_ids(anquan, ["hazards", "list", "--township", township, "--format", "json",
                                           "--today", today, "--data", str(root)], warm_env)
                checks.append({**cross_check(f"list --township {township} {fmt} {size}", ours,
                                             duck_ids(duck, "list-township", csv_root, today, base_env, township)),
                               "size": size, "format": fmt, "day": today})
            for name in names:
                argv, needs_ws, _ = COMMANDS[name]
                if not needs_ws:
                    continue
                ws, env, before, after = root, warm_env, None, None
                if name in COLD:
                    ws, env = copy_of(root, "-cold"), cold_env

                    def before(ws=ws):
                        shutil.rmtree(ws / ".anquan", ignore_errors=True)
                        shutil.rmtree(cold_xdg / "anquan", ignore_errors=True)
                if name in CHANGED:
                    ws = copy_of(root, "-changed")
                    first = next(iter(sorted((ws / "hazards").rglob("*.*"))))
                    before = ChangeOne(first).before
                if name in EDIT:
                    ws = copy_of(root, "-edit")
                    if not overdue_rows:
                        raise SystemExit(f"no overdue hazard to rectify in {root}")
                    target = overdue_rows[0]
                    values.update(id=target["id"], by=target.get("owner") or "基准测试")
                    restore = EditRestore(ws / target["file"], work)
                    before, after = restore.before, restore.after
                full = [*anquan, *[a.format(ws=ws, **values) for a in argv]]
                jobs.append(Job(name, size, fmt, full, env, before, after))
            index_state[(fmt, size)] = root
        if duck:
            csv_root = work / f"csv-{size}"
            for query in sorted(duck_needed):
                day = past if query == "overdue-past" else today
                q = "overdue" if query == "overdue-past" else query
                township = args.township or first_township(csv_root)
                jobs.append(Job(f"duckdb {query}", size, "csv", duck_argv(duck, q, csv_root, day, township), base_env))

    def index_stamp(root: Path) -> list:
        folder = root / ".anquan" / "index"
        return sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) if folder.is_dir() else []

    print(f"warm-up: {len(jobs)} commands once each", flush=True)
    for job in jobs:
        run = job.once(spawner, record=False)
        print(f"  {job.label:<40} {run.wall:7.2f} s  exit {run.rc}", flush=True)
    mismatched = []
    for j in jobs:
        if j.command == "overdue-cold":
            warm = next((w for w in jobs if w.command == "overdue" and (w.size, w.fmt) == (j.size, j.fmt)), None)
            if warm is not None and warm.expect_sha != j.expect_sha:
                mismatched.append(f"{j.fmt} {j.size}")
    if mismatched:
        print(f"WARNING: warm (index) and cold (ordinary path) overdue print different bytes in: {', '.join(mismatched)}")
    stamps = {k: index_stamp(r) for k, r in index_state.items()}
    started = time.time()
    for r in range(args.runs):
        for k in range(len(jobs)):
            jobs[(r + k) % len(jobs)].once(spawner, record=True)
        print(f"round {r + 1}/{args.runs} done ({time.time() - started:.0f} s)", flush=True)
    spawner.close()
    info["spawner_peak_mb"] = round(spawner.floor_mb, 1)
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    rebuilt = [f"{fmt} {size}" for (fmt, size), root in index_state.items() if index_stamp(root) != stamps[(fmt, size)]]
    if rebuilt and any(n in names for n in ("overdue", "list-township")):
        print(f"NOTE: the hazard index was rewritten during the timed rounds in: {', '.join(rebuilt)}")

    # ------------------------------------------------------------------ summary
    def stats(job: Job) -> dict:
        walls = [x.wall for x in job.runs]
        return {"median": statistics.median(walls), "min": min(walls), "peak_mb": max(x.rss_mb for x in job.runs),
                "cpu_median": statistics.median(x.cpu for x in job.runs)}

    by_key = {(j.command, j.size, j.fmt): stats(j) for j in jobs}
    rows = []
    for j in jobs:
        if j.command.startswith("duckdb"):
            continue
        s = by_key[(j.command, j.size, j.fmt)]
        d = by_key.get((f"duckdb {DUCK_FOR[j.command]}", j.size, "csv")) if j.command in DUCK_FOR else None
        rows.append((j.command, j.size, j.fmt, s, d))
    for j in jobs:
        if j.command.startswith("duckdb"):
            rows.append((j.command, j.size, j.fmt, by_key[(j.command, j.size, j.fmt)], None))
    lines = ["| command | hazards | format | median s | min s | peak MB | DuckDB median s | × DuckDB |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    for command, size, fmt, s, d in rows:
        ratio = f"{s['median'] / d['median']:.1f}" if d else "—"
        lines.append(f"| {command} | {size or '-'} | {fmt or '-'} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | "
                     f"{s['peak_mb']:.0f} | {fmt_s(d['median']) if d else '—'} | {ratio} |")
    scale = []
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        scale = [f"| command | format | {lo} median s | {hi} median s | {hi}/{lo} |", "|---|---|---:|---:|---:|"]
        seen = set()
        for j in jobs:
            key = (j.command, j.fmt)
            if j.size is None or key in seen or (j.command, lo, j.fmt) not in by_key or (j.command, hi, j.fmt) not in by_key:
                continue
            seen.add(key)
            a, b = by_key[(j.command, lo, j.fmt)]["median"], by_key[(j.command, hi, j.fmt)]["median"]
            scale.append(f"| {j.command} | {j.fmt} | {fmt_s(a)} | {fmt_s(b)} | {b / a:.1f} |")
    machine_line = (f"{info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, {info['os']}, "
                    f"Python {info['python']}" + (f", DuckDB {info['duckdb']}" if duck else "")
                    + f"; anquan {info['anquan_commit']}; {args.runs} runs, today {today}; load average "
                    f"{info['load_average_before']} before, {info['load_average_after']} after")
    print(f"\nMachine: {machine_line}\n")
    print("\n".join(lines))
    if scale:
        print()
        print("\n".join(scale))
    print("\nWhole processes, interleaved round-robin; median and min wall time; peak MB = largest ru_maxrss "
          f"(os.wait4; processes started by a spawner of {spawner.floor_mb:.0f} MB, the least one can report). "
          "Cold = .anquan/ and the per-user key removed before each run (OS page cache warm). "
          "DuckDB reads the CSV ledger of the same hazards (for YAML rows too) with the same as-of rules; "
          "its id sets were checked equal to anquan's.")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": info, "args": {k: str(v) for k, v in vars(args).items()}, "commands": names,
            "cross_checks": checks,
            "results": [{"command": j.command, "size": j.size, "format": j.fmt, "argv": j.argv,
                         "exit_status": j.expect_rc, **by_key[(j.command, j.size, j.fmt)],
                         "runs": [{"wall": x.wall, "cpu": x.cpu, "peak_mb": x.rss_mb, "exit_status": x.rc,
                                   "stdout_bytes": x.out_bytes} for x in j.runs]} for j in jobs],
            "markdown": "\n".join(lines), "scaling_markdown": "\n".join(scale),
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"raw results: {args.json}")


if __name__ == "__main__":
    main()
