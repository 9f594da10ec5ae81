"""Decode the bytes offices produce: UTF-8, UTF-8 with BOM (Excel "CSV UTF-8"), GB18030
(Excel/WPS "CSV" on a Chinese Windows) and UTF-16 with BOM ("Unicode text")."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

__all__ = ["Decoded", "DecodeError", "decode"]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec name to write the file back with (without its BOM)
    bom: bool      # the file starts with a byte-order mark, written back before the text


class DecodeError(ValueError):
    """Not text we can read; the message says what to do."""


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > 0


def decode(data: bytes) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        body, encoding, bom = data[len(codecs.BOM_UTF8):], "utf-8", True
        candidates = ["utf-8"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body, bom = data[2:], True
        candidates = ["utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"]
    else:
        body, bom = data, False
        if b"\x00" in data:
            raise DecodeError("不是文本文件（含二进制内容），请确认文件没有损坏，或从 Excel 另存为 CSV/YAML")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return Decoded(text, encoding, bom)
    raise DecodeError(
        "无法识别文件编码或不是文本文件：请另存为 UTF-8 或 GB18030 编码的文本（Excel：另存为“CSV UTF-8”）"
    )
