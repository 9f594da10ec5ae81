"""Spreadsheets as offices keep them (.xlsx, old .xls, CSV from Excel/WPS), read into a grid
of cells with merged areas filled in: a unit written once down several merged rows, or a
measure merged across its tasks, reads as if written in every row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from anquan_cli.io.decode import decode
from anquan_cli.problems import UsageError

__all__ = ["Grid", "read_grid", "sheet_names", "cell_ref"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Grid:
    file: str
    sheet: str | None   # None for CSV
    cells: list[list[object]]


def cell_ref(grid: Grid, row: int, col: int) -> str:
    """``隐患台账.xlsx:隐患!D17`` (row and column 0-based here, 1-based/lettered there)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    where = f"{letters}{row + 1}"
    return f"{grid.file}:{grid.sheet}!{where}" if grid.sheet else f"{grid.file}:{row + 1}"


def sheet_names(path: Path) -> list[str | None]:
    """The worksheets of a workbook ([None] for a CSV)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            return list(CalamineWorkbook.from_path(str(path)).sheet_names)
        except Exception as exc:
            raise UsageError(f"无法打开 {path.name}：{exc}（文件损坏或不是 Excel 文件？）") from None
    return [None]


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        try:
            from python_calamine import CalamineWorkbook
        except ImportError:  # pragma: no cover - a dependency
            raise UsageError("读取 Excel 需要 python-calamine：pip install python-calamine") from None
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:
            raise UsageError(f"无法打开 {path.name}：{exc}（文件损坏或不是 Excel 文件？）") from None
        names = wb.sheet_names
        if sheet is not None and sheet not in names:
            raise UsageError(f"{path.name} 中没有工作表“{sheet}”；有：{'、'.join(names)}")
        sh = wb.get_sheet_by_name(sheet or names[0])
        cells = [list(r) for r in sh.to_python(skip_empty_area=False)]
        for (r1, c1), (r2, c2) in (sh.merged_cell_ranges or []):
            value = cells[r1][c1] if r1 < len(cells) and c1 < len(cells[r1]) else ""
            for r in range(r1, r2 + 1):
                while len(cells) <= r:
                    cells.append([])
                row = cells[r]
                while len(row) <= c2:
                    row.append("")
                for c in range(c1, c2 + 1):
                    row[c] = value
        return Grid(path.name, sh.name, cells)
    if suffix in (".csv", ".txt"):
        text = decode(path.read_bytes()).text
        first = text.split("\n", 1)[0]
        dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
        return Grid(path.name, None, [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)])
    raise UsageError(f"不支持的文件类型 {path.suffix}：请用 .xlsx、.xls 或 .csv")
