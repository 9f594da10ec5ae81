"""Ledger files as plain `git diff` should show them: UTF-8 whatever the file's encoding, and
CSV rows one field per line (history one event per line), so a changed field or a new event
is one changed line instead of a whole re-encoded row."""

from __future__ import annotations

import re

from anquan_cli.io.csvread import parse_csv
from anquan_cli.io.decode import DecodeError, decode

__all__ = ["textconv"]

_EVENTS = re.compile(r"[；;\n]+")
_HISTORY = ("处理记录", "整改记录", "履历", "history")


def textconv(data: bytes, name: str) -> str:
    try:
        text = decode(data).text
    except DecodeError:
        return "（二进制文件）\n"
    if not name.lower().endswith(".csv"):
        return text if text.endswith("\n") or not text else text + "\n"
    header, rows, _ = parse_csv(text, name)
    out = []
    for row in rows:
        first = next(iter(row.values()), "")
        out.append(f"── {first} ──")
        for key in header:
            value = row.get(key)
            if value is None:
                continue
            parts = [p.strip() for p in _EVENTS.split(value) if p.strip()]
            if key in _HISTORY:
                out.append(f"{key}:")
                out += [f"  {p}" for p in parts]
            else:
                out.append(f"{key}: {value.replace(chr(10), ' / ')}")
        out.append("")
    return "\n".join(out)
