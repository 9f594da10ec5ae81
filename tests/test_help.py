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
    """Documented in the README or on a page of docs/."""
    from conftest import REPO

    readme = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
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


def _commands_page():
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("commands_page", REPO / "tools" / "commands_page.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_commands_page_is_in_step_with_the_help():
    """docs/commands.md is generated from the commands; a help changed without it fails here."""
    tool = _commands_page()
    assert tool.PAGE.read_text(encoding="utf-8") == tool.render(), "运行 python tools/commands_page.py"


def test_every_option_of_every_command_is_on_its_page():
    tool = _commands_page()
    docs = tool.PAGE.parent
    for path, cmd in tool.commands():
        page = (docs / tool.page_of(path)).read_text(encoding="utf-8")
        name = f"anquan {' '.join(path)}"
        assert re.search(re.escape(name) + r"(?![\w-])", page), f"{name} is not on docs/{tool.page_of(path)}"
        for option in tool.options(cmd):
            if option.startswith("--"):
                assert option in page, f"{name} {option} is not on docs/{tool.page_of(path)}"


def test_docs_name_their_sources_and_no_path_outside_the_repository():
    """The notices by title and 文号 on the rules page; nothing pointing outside the repository."""
    from conftest import REPO

    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "seeds/" not in text and "/work/" not in text, page.name
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            resolved = (page.parent / target).resolve()
            assert resolved.is_relative_to(REPO) and resolved.exists(), f"{page.name}: {target}"
    rules = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for number in ("方积政发〔2023〕11号", "通安委〔2022〕10号", "襄政发〔2021〕1号", "总局令第16号"):
        assert number in rules
