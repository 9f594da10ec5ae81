"""Registering a 文号 in ``documents/register.yaml`` (the one write path: lock, stale check,
validation, rename — :class:`~anquan_cli.edit.session.EditSession`)."""

from __future__ import annotations

from anquan_cli.edit.imports import _append_yaml
from anquan_cli.edit.session import EditSession
from anquan_cli.models import Issued

__all__ = ["REGISTER", "register"]

#: where anquan registers the numbers it gives
REGISTER = "documents/register.yaml"

_HEAD = ("# 发文登记（GB/T 9704 发文字号）：anquan 给文件编号时追加在这里；人工编的号也请登记，下一个顺序号接着往下编。\n"
         "issued: []\n")


def register(s: EditSession, entry: dict) -> str:
    """Stage ``entry`` (the fields of an :class:`~anquan_cli.models.Issued`) at the end of the
    register; returns the file."""
    _append_yaml(s, REGISTER, [{k: v for k, v in entry.items() if v not in (None, [], "")}], _HEAD, "issued", Issued)
    return REGISTER
