"""Write docs/commands.md — every command, what its help says it does, its options, and the
page that documents it — from the commands themselves, so the page and the help cannot drift
apart (tests/test_help.py compares this output with the committed page).

    python tools/commands_page.py            # rewrite docs/commands.md
    python tools/commands_page.py --check    # exit 1 when docs/commands.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "commands.md"

#: which page documents a command, by its first word
PAGES = {
    "init": "init.md", "check": "records.md", "hazards": "hazards.md", "dates": "rules.md",
    "tasks": "ledgers.md", "matrix": "ledgers.md", "duties": "ledgers.md", "accidents": "ledgers.md",
    "enforcement": "ledgers.md", "campaigns": "ledgers.md", "submissions": "ledgers.md", "tipoffs": "ledgers.md",
    "risks": "ledgers.md", "units": "ledgers.md", "grid": "ledgers.md", "patrols": "ledgers.md",
    "summary": "summary.md", "report": "reports.md", "notice": "reports.md", "import": "import.md",
    "export": "excel.md", "remind": "reminders.md", "calendar": "reminders.md", "diff": "git-review.md",
    "log": "git-review.md", "git": "git-review.md", "completion": "terminal.md",
}

#: options most commands take, described once here rather than on every page
COMMON = {
    "--today": "把这一天当作“今天”（也可设环境变量 `ANQUAN_TODAY`）；一切按那天所知的台账回答，见 [日期与“今天”](rules.md)",
    "--as-of": "按 git 版本（提交、分支、标签或 `HEAD~3`）读工作区，不看磁盘上的文件，见 [审阅台账的改动](git-review.md)",
    "--data": "工作区目录（默认 `$ANQUAN_DATA`，或当前目录向上最近的含 `anquan.yaml` 的目录，或 `./data`）",
    "--format": "输出格式：`table`（默认，中文表格）、`json`（英文键，给脚本）、`csv`（表格类）；报告另有 `md`、`docx`",
    "--output": "写入的文件（`-o`）；不写时输出到屏幕或按命令的默认文件名",
    "--help": "显示帮助（`-h`）",
}


def commands():
    """``(path, click command)`` of every leaf command, in order."""
    import typer

    from anquan_cli.cli import app

    def walk(group, prefix=()):
        for name, cmd in sorted(group.commands.items()):
            path = (*prefix, name)
            if hasattr(cmd, "commands"):
                yield from walk(cmd, path)
            else:
                yield path, cmd

    return list(walk(typer.main.get_command(app)))


def page_of(path: tuple[str, ...]) -> str:
    try:
        return PAGES[path[0]]
    except KeyError:
        raise SystemExit(f"tools/commands_page.py: 命令 anquan {' '.join(path)} 还没有文档页；请在 PAGES 中写上") from None


def summary(cmd) -> str:
    """The first paragraph of a command's help (its Chinese description), on one line."""
    text = (cmd.help or "").strip().split("\n\n")[0]
    return " ".join(line.strip() for line in text.splitlines()).replace("|", "\\|")


def options(cmd) -> list[str]:
    """A command's own long options (and its arguments), the common ones left out."""
    out = []
    for p in cmd.params:
        if getattr(p, "param_type_name", "") == "argument":
            out.append((p.metavar or p.name or "").upper())
            continue
        for o in p.opts:
            if o.startswith("--") and o not in COMMON:
                out.append(o)
    return out


def render() -> str:
    lines = ["# 全部命令 · Commands", "",
             "每条命令一行：它做什么（取自命令自己的帮助，`anquan 命令 -h` 看全文）、它自己的参数、详细说明在哪一页。",
             "这一页由 `python tools/commands_page.py` 从命令生成，测试检查它与帮助一致，且每个参数都写在它的说明页上。"
             "返回 [README](../README.md)。", "",
             "## 各命令通用的参数", "", "| 参数 | 说明 |", "|---|---|"]
    lines += [f"| `{o}` | {text} |" for o, text in COMMON.items()]
    lines += ["", "## 命令", "", "| 命令 | 做什么 | 参数 | 说明页 |", "|---|---|---|---|"]
    for path, cmd in commands():
        page = page_of(path)
        opts = "、".join(f"`{o}`" for o in options(cmd)) or "—"
        lines.append(f"| `anquan {' '.join(path)}` | {summary(cmd)} | {opts} | [{page}]({page}) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print("docs/commands.md 与命令的帮助不一致；请运行 python tools/commands_page.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"已生成：{PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
