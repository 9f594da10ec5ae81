"""Time importing a large office workbook (the Excel issue's "20,000 rows in a few seconds").

    python bench/import_rows.py [--rows 20000]

Builds a workspace and an .xlsx with title rows, a merged header and a unit merged down pairs
of rows, then times ``anquan import hazards`` (dry run and real) as whole processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import PROBLEMS, generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="anquan-import-"))
    root = generate(work / "ws", 1000, "yaml")
    units = [ln.split("name: ")[1].split(",")[0] for ln in (root / "org/units.yaml").read_text(encoding="utf-8").splitlines()
             if "有限公司" in ln]
    people = [ln.split("name: ")[1].split(",")[0] for ln in (root / "org/people.yaml").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(7)
    book = work / "台账.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("隐患")
    ws.merge_range(0, 0, 0, 6, "某市隐患排查整改台账")
    ws.write_row(1, 0, ["序号", "隐患名称", "单位名称", "发现时间", "整改期限", "责任人", "隐患等级"])
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(args.rows):
        r = i + 2
        found = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(300))
        ws.write_number(r, 0, i + 1)
        ws.write(r, 1, f"{rng.choice(PROBLEMS)}（第{i}处）")
        if i % 2 == 0:
            ws.merge_range(r, 2, r + 1, 2, rng.choice(units))
        ws.write_datetime(r, 3, found, date)
        ws.write_datetime(r, 4, found + dt.timedelta(days=15), date)
        ws.write(r, 5, rng.choice(people))
        ws.write(r, 6, "一般")
    wb.close()
    env = {**os.environ, "ANQUAN_TODAY": "2024-06-30"}
    for label, extra in (("dry run", ["--dry-run"]), ("import", [])):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "anquan_cli", "import", "hazards", str(book), "--data", str(root),
                              "--by", "bench", *extra], capture_output=True, text=True, env=env)
        print(f"{label:8} {args.rows} rows: {time.perf_counter() - start:.2f} s — {out.stdout.strip().splitlines()[0]}")
    check = subprocess.run([sys.executable, "-m", "anquan_cli", "check", "--data", str(root)], capture_output=True,
                           text=True, env=env)
    print(check.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
