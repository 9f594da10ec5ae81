"""Fixtures: small workspaces written inline, and the CLI run as a user runs it."""

from __future__ import annotations

import io
import json
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Timing is measured by the benchmark, never by tests: no per-example deadline, so a loaded
# CI machine cannot turn a slow example into a failure.
settings.register_profile("anquan", deadline=None)
settings.load_profile("anquan")

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data"

BASE_FILES = {
    "anquan.yaml": """\
        jurisdiction: 测试县
        level: 县
        """,
    "org/units.yaml": """\
        townships:
          - name: 石桥镇
          - name: 城关镇
        departments:
          - name: 县应急管理局
            sectors: [危险化学品, 非煤矿山]
        enterprises:
          - name: 宏达化工有限公司
            township: 石桥镇
            sector: 危险化学品
            grade: B
            key: true
          - name: 石桥石料厂
            township: 石桥镇
            sector: 非煤矿山
        """,
    "org/people.yaml": """\
        - id: P1
          name: 张伟
          title: 副县长
          roles: [政府其他领导干部]
        - id: P2
          name: 李娜
          title: 应急局局长
          unit: 县应急管理局
        - id: P3
          name: 王芳
          title: 安全总监
          unit: 宏达化工有限公司
        - id: P4
          name: 陈静
          title: 石桥镇副镇长
          unit: 石桥镇
        """,
}


def write_workspace(root: Path, files: dict[str, str | bytes], base: bool = True) -> Path:
    """Write a workspace: the base files (unless ``base=False``) overlaid with ``files``.
    Text is dedented; bytes are written as they are (encodings, BOMs, junk)."""
    merged: dict[str, str | bytes] = dict(BASE_FILES) if base else {}
    merged.update(files)
    for rel, content in merged.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path):
    """``workspace({...})`` → path of a fresh workspace holding the base files plus these."""

    def make(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        return write_workspace(tmp_path / "ws", files or {}, base)

    return make


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run_cli(*args: str, env: dict | None = None, monkeypatch=None) -> Result:
    """Run ``anquan ARGS`` through the real entry point (the script's, quick paths included),
    in-process."""
    from anquan_cli.entry import run

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(list(args))
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(monkeypatch):
    """Run the CLI with ANQUAN_DATA/ANQUAN_TODAY cleared and a fixed today."""
    monkeypatch.delenv("ANQUAN_DATA", raising=False)
    monkeypatch.delenv("ANQUAN_TODAY", raising=False)

    def run(*args: str) -> Result:
        return run_cli(*args)

    return run


def check_json(cli, root: Path, *extra: str) -> list[dict]:
    """``anquan check --format json`` on ``root``; returns the problems."""
    res = cli("check", "--data", str(root), "--today", "2023-11-30", "--format", "json", *extra)
    assert res.code in (0, 1), res.err
    return res.json()


def where(problems: list[dict]) -> set[tuple[str, int, str]]:
    """``{(path, line, code)}`` — what tests assert against."""
    return {(p["path"], p["line"], p["code"]) for p in problems}


@pytest.fixture
def demo_copy(tmp_path):
    """A copy of the demo workspace (without its caches) in a folder named as the county, to write into."""
    import shutil

    root = tmp_path / "青岚县"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".anquan"))
    return root
