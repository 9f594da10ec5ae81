"""Spreadsheets as offices keep them (.xlsx, old .xls, CSV from Excel/WPS), read into a grid
of cells with merged areas filled in: a unit written once down several merged rows, or a
measure merged across its tasks, reads as if written in every row.

Workbooks come from other offices, so reading is bounded: a sheet larger than
:data:`MAX_CELLS` is refused before it is loaded, a merged range is clipped to the cells in
use (a ``mergeCell ref="L3:XFD1048576"`` fills nothing beyond the data), hidden sheets are
named and skipped unless asked for, and formula cells that carry no saved result are
reported instead of reading as empty."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from anquan_cli.io.decode import decode
from anquan_cli.problems import UsageError

__all__ = ["Grid", "read_grid", "sheet_names", "hidden_sheets", "cell_ref", "MAX_CELLS", "MAX_ROWS"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")

#: the largest sheet read: a province's ledger is ~100 000 rows of ~20 columns
MAX_ROWS = 500_000
MAX_CELLS = 20_000_000
#: the largest CSV file or sheet XML read (bytes, uncompressed)
MAX_BYTES = 500_000_000


@dataclass
class Grid:
    file: str
    sheet: str | None   # None for CSV
    cells: list[list[object]]
    #: (row, column), 0-based, of formula cells saved without their result
    formulas: set = field(default_factory=set)


def cell_ref(grid: Grid, row: int, col: int) -> str:
    """``隐患台账.xlsx:隐患!D17`` (row and column 0-based here, 1-based/lettered there)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    where = f"{letters}{row + 1}"
    return f"{grid.file}:{grid.sheet}!{where}" if grid.sheet else f"{grid.file}:{row + 1}"


def _workbook(path: Path):
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a dependency
        raise UsageError("读取 Excel 需要 python-calamine：pip install python-calamine") from None
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise UsageError(f"无法打开 {path.name}：{exc}（文件损坏或不是 Excel 文件？）") from None


def _visible(wb) -> dict[str, bool]:
    try:
        return {m.name: str(m.visible).rsplit(".", 1)[-1] == "Visible" for m in wb.sheets_metadata}
    except Exception:  # a format without visibility: every sheet counts as visible
        return {name: True for name in wb.sheet_names}


def sheet_names(path: Path) -> list[str | None]:
    """The visible worksheets of a workbook ([None] for a CSV)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return [name for name, shown in _visible(_workbook(path)).items() if shown]
    return [None]


def hidden_sheets(path: Path) -> list[str]:
    """Hidden and very hidden worksheets (never imported unless named with ``--sheet``)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return [name for name, shown in _visible(_workbook(path)).items() if not shown]
    return []


def _formulas_without_value(path: Path, sheet: str) -> set:
    """Cells of an .xlsx sheet that hold a formula but no saved result (a workbook written by a
    program and never opened in Excel): they would read as empty."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        with zipfile.ZipFile(path) as z:
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            rid = next((el.get(f"{{{ns['r']}}}id") for el in book.iter(f"{{{ns['m']}}}sheet") if el.get("name") == sheet), None)
            target = next((el.get("Target") for el in rels if el.get("Id") == rid), None)
            if target is None:
                return set()
            name = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if z.getinfo(name).file_size > MAX_BYTES:
                return set()
            found = set()
            with z.open(name) as fh:
                for _, el in ET.iterparse(fh):
                    if el.tag == f"{{{ns['m']}}}c":
                        f, v = el.find("m:f", ns), el.find("m:v", ns)
                        if f is not None and (v is None or not (v.text or "").strip()):
                            m = re.fullmatch(r"([A-Z]+)(\d+)", el.get("r") or "")
                            if m:
                                col = 0
                                for ch in m.group(1):
                                    col = col * 26 + ord(ch) - 64
                                found.add((int(m.group(2)) - 1, col - 1))
                        el.clear()
            return found
    except (KeyError, OSError, ET.ParseError, zipfile.BadZipFile, StopIteration):
        return set()


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        wb = _workbook(path)
        names = wb.sheet_names
        if sheet is not None and sheet not in names:
            raise UsageError(f"{path.name} 中没有工作表“{sheet}”；有：{'、'.join(names)}")
        sh = wb.get_sheet_by_name(sheet or sheet_names(path)[0])
        height, width = sh.height, sh.width
        if height > MAX_ROWS or height * width > MAX_CELLS:
            raise UsageError(f"{path.name} 的工作表“{sh.name}”有 {height} 行 × {width} 列，超过导入上限"
                             f"（{MAX_ROWS} 行、{MAX_CELLS} 个单元格）：请删去多余的行列，或分成几个文件导入")
        cells = [list(r) for r in sh.to_python(skip_empty_area=False)]
        used_rows, used_cols = len(cells), max((len(r) for r in cells), default=0)
        for (r1, c1), (r2, c2) in (sh.merged_cell_ranges or []):
            r2, c2 = min(r2, used_rows - 1), min(c2, used_cols - 1)  # nothing to fill beyond the data
            if r1 > r2 or c1 > c2:
                continue
            value = cells[r1][c1] if c1 < len(cells[r1]) else ""
            for r in range(r1, r2 + 1):
                row = cells[r]
                while len(row) <= c2:
                    row.append("")
                for c in range(c1, c2 + 1):
                    row[c] = value
        return Grid(path.name, sh.name, cells, _formulas_without_value(path, sh.name))
    if suffix in (".csv", ".txt"):
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path.name} 超过 {MAX_BYTES // 1_000_000} MB，超过导入上限：请分成几个文件导入")
        from anquan_cli.io.csvread import delimiter_of

        text = decode(path.read_bytes()).text
        dialect = "excel-tab" if delimiter_of(text) == "\t" else "excel"
        return Grid(path.name, None, [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)])
    raise UsageError(f"不支持的文件类型 {path.suffix}：请用 .xlsx、.xls 或 .csv")
