"""Every command is described in Chinese and English, and help stays cheap."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
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


# ---------------------------------------------------------------------- Chinese framing


ENGLISH_FRAMING = ("Usage:", "Options:", "Commands:", "Arguments:", "[default:", "[required]", "[env var:",
                   "Show this message", "Error:", "Try '", "No such", "Missing", "Invalid value", "Got unexpected")


def _usage_error(cli, *args):
    res = cli(*args)
    assert res.code == 2, (args, res.code, res.out, res.err)
    for english in ENGLISH_FRAMING:
        assert english not in res.err, (args, english, res.err)
    return res.err


def test_an_unknown_option_is_told_in_chinese(cli):
    err = _usage_error(cli, "hazards", "list", "--bogus")
    assert err.startswith("用法：anquan hazards list [选项]\n试试 'anquan hazards list -h' 查看帮助。\n")
    assert "错误：没有 --bogus 这个选项。" in err


def test_a_misspelt_option_suggests_the_right_one(cli):
    err = _usage_error(cli, "hazards", "list", "--townshp", "石桥镇")
    assert "错误：没有 --townshp 这个选项（您是不是要用：" in err and "--township" in err


def test_a_missing_argument_is_told_in_chinese(cli):
    err = _usage_error(cli, "hazards", "show")
    assert "用法：anquan hazards show [选项] {ID}" in err and "错误：缺少参数 ID。" in err


def test_a_bad_choice_lists_the_choices_in_chinese(cli):
    err = _usage_error(cli, "hazards", "list", "--format", "xlsx")
    assert "错误：--format（-f）的值无效：“xlsx”不是可选的值，可选：table、json、csv。" in err


def test_an_unknown_command_and_extra_arguments_are_told_in_chinese(cli):
    assert "错误：没有“lst”这个命令（您是不是要用：list" in _usage_error(cli, "hazards", "lst")
    assert "错误：多余的参数：one two。" in _usage_error(cli, "hazards", "list", "one", "two")
    assert "错误：选项 --today 后面要跟一个值。" in _usage_error(cli, "hazards", "list", "--today")


def test_our_own_bad_values_keep_their_chinese_message(cli):
    err = _usage_error(cli, "hazards", "list", "--today", "2023-13-01")
    assert "错误：" in err and "2023-13-01" in err and "YYYY-MM-DD" in err


def test_messages_the_patterns_do_not_know_are_shown_as_they_are():
    from anquan_cli.cli.zh import message

    assert message("something new happened") == "something new happened"
    assert message("Invalid value for '--days': 'x' is not a valid integer.") == \
        "--days的值无效：'x' is not a valid integer."
    assert message("Invalid value for '--days': Value 'x' is not a valid int.") == "--days的值无效：“x”不是有效的整数"


def test_help_framing_is_chinese(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("hazards", "overdue", "--help").out
    assert out.startswith("用法：anquan hazards overdue [选项]\n")
    assert "\n选项：\n" in out and "[默认：table]" in out and "[环境变量：ANQUAN_TODAY]" in out
    assert "-h, --help" in out and "显示本帮助并退出。" in out
    top = cli("--help").out
    assert top.startswith("用法：anquan [选项] 命令 [参数]...\n") and "\n命令：\n" in top
    for english in ENGLISH_FRAMING:
        assert english not in out and english not in top, english


def _ascii_words(text: str) -> set[str]:
    return {w.rstrip(",;") for w in re.findall(r"[\x21-\x7e]+", text)}


@pytest.mark.parametrize("columns", ["80", "60"])
def test_help_never_breaks_a_word_and_fits_the_terminal(cli, monkeypatch, columns):
    from anquan_cli.cells import cell_len
    from anquan_cli.cli.zh import gettext

    monkeypatch.setenv("COLUMNS", columns)
    width = max(min(int(columns), 80) - 2, 50)
    group = typer.main.get_command(app)
    for path, cmd in [((), group), *_commands(group)]:
        out = cli(*path, "--help").out
        lines = out.splitlines()
        # only a word wider than a help column (a long list of choices) may stick out
        wide = [ln for ln in lines if cell_len(ln) > width and max(map(cell_len, ln.split())) <= width - 30]
        assert not wide, (path, wide)
        assert all(line == line.rstrip() for line in lines), path
        shown = _ascii_words(out)
        source = " ".join([cmd.help or "", *(gettext(p.help or "") for p in cmd.params),
                           *(o for p in cmd.params if p.param_type_name == "option" for o in p.opts)])
        for word in _ascii_words(source):
            if cell_len(word) <= width - 34:  # fits the narrowest help column
                assert word in shown, (path, word)


def test_short_helps_end_at_a_sentence_not_at_a_space():
    from anquan_cli.cli.zh import short_help

    assert short_help("逾期隐患：未销号且已过整改期限。\n\nOverdue hazards.", 60) == "逾期隐患：未销号且已过整改期限。"
    assert short_help("Overdue hazards. More words here.", 60) == "Overdue hazards."
    long = "重大隐患挂牌督办清单：" + "挂牌单位和日期、跟踪督办责任人、文号、整改期限" * 4 + "。"
    cut = short_help(long, 30)
    assert cut.endswith("……") and long.startswith(cut[:-2]) and len(cut) < len(long)


def test_shell_completion_is_offered_and_answers(tmp_path):
    import os

    top = subprocess.run([sys.executable, "-m", "anquan_cli", "--help"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "80", "XDG_CACHE_HOME": str(tmp_path)})
    assert "--install-completion" in top.stdout and "--show-completion" in top.stdout
    env = {**os.environ, "_ANQUAN_COMPLETE": "complete_bash", "COMP_WORDS": "anquan hazards ove", "COMP_CWORD": "2"}
    got = subprocess.run([sys.executable, "-m", "anquan_cli"], capture_output=True, text=True, env=env)
    assert got.stdout.split() == ["overdue"]
    env = {**os.environ, "_ANQUAN_COMPLETE": "complete_powershell", "_TYPER_COMPLETE_ARGS": "anquan tas",
           "_TYPER_COMPLETE_WORD_TO_COMPLETE": "tas"}
    got = subprocess.run([sys.executable, "-m", "anquan_cli"], capture_output=True, text=True, env=env)
    assert got.stdout.splitlines() == [got.stdout.strip()] and got.stdout.startswith("tasks:::重点任务分工表")
    script = subprocess.run([sys.executable, "-m", "anquan_cli", "--show-completion", "bash"], capture_output=True,
                            text=True, env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert "_ANQUAN_COMPLETE=complete_bash" in script.stdout


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


def test_every_section_a_message_or_page_points_to_exists():
    """``docs/records.md“工作区”`` in a message, ``[reports.md](reports.md)“报告模板”`` on a page:
    the page is there and has a heading with that name (the README was split into docs/)."""
    from conftest import REPO

    sources = [*(REPO / "src").rglob("*.py"), *(REPO / "docs").glob("*.md"), REPO / "README.md",
               *(p for p in (REPO / "data").rglob("*.yaml"))]
    pointed = 0
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "README“" not in text, f"{path}: points at a README section (now on a page of docs/)"
        for page, section in re.findall(r"(?:docs/|\]\()([\w-]+\.md)\)?“([^”]+)”", text):
            target = REPO / "docs" / page
            assert target.is_file(), f"{path}: {page}"
            headings = [line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
            assert any(section in h for h in headings), f"{path}: no section “{section}” on docs/{page}"
            pointed += 1
    assert pointed > 10
