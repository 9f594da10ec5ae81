"""Options shared by every command, and the small helpers commands use to wire things up.

Only typer is imported at module level: ``anquan --help`` must stay fast, so commands
import the heavy layers (pydantic models, YAML, rich) inside their bodies.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from typing import Annotated, Optional

import typer

DataOpt = Annotated[Optional[str], typer.Option(
    "--data", metavar="DIR",
    help="工作区目录（默认：$ANQUAN_DATA，或当前目录向上最近的含 anquan.yaml 的目录，或 ./data）。"
         " Workspace folder.", show_default=False)]


def _parse_today(value: Optional[str]) -> Optional[dt.date]:
    if value is None or value == "":
        return None
    from anquan_cli.text import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}（--today / ANQUAN_TODAY 应写成 YYYY-MM-DD）") from None


TodayOpt = Annotated[Optional[str], typer.Option(
    "--today", metavar="YYYY-MM-DD", envvar="ANQUAN_TODAY",
    help="把这一天当作“今天”（也可用环境变量 ANQUAN_TODAY）。 Treat this day as today.",
    show_default=False)]


def today_from(value: Optional[str]) -> dt.date:
    """``--today`` / ``ANQUAN_TODAY`` if given, else the real date — the only place the CLI
    reads the clock; everything below it gets ``today`` passed in."""
    return _parse_today(value) or dt.date.today()


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
