"""Every command is described in Chinese and English, and help stays cheap."""

from __future__ import annotations

import re
import subprocess
import sys

import typer

from anquan_cli import __version__
from anquan_cli.cli import app

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORDS = re.compile(r"[A-Za-z]{3,}( [A-Za-z]{2,}){2,}")


def _commands(group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        yield path, cmd


def test_version(cli):
    res = cli("--version")
    assert (res.code, res.out) == (0, f"anquan {__version__}\n")


def test_every_command_has_chinese_and_english_help(cli):
    group = typer.main.get_command(app)
    commands = list(_commands(group))
    assert commands, "no commands registered"
    top = cli("--help")
    for path, cmd in commands:
        text = cmd.help or ""
        assert HAN.search(text), f"{' '.join(path)}: no Chinese help"
        assert LATIN_WORDS.search(text), f"{' '.join(path)}: no English help"
        res = cli(*path, "--help")
        assert res.code == 0 and HAN.search(res.out)
        for param in cmd.params:
            if param.name != "help":
                assert param.help and HAN.search(param.help), f"{path} {param.name}"
        if len(path) == 1:
            assert path[0] in top.out


def test_every_command_is_in_the_readme():
    """Documented in the README or on its page under docs/."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    readme += "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))
    for path, _ in _commands(typer.main.get_command(app)):
        assert f"anquan {' '.join(path)}" in readme, path


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys, io, contextlib\n"
        "from anquan_cli.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "heavy = {'pydantic', 'pydantic_core', 'ruamel', 'yaml', 'jinja2', 'rich', 'dateutil'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
