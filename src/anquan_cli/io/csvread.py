"""Read CSV as offices export it from Excel/WPS: a header row (often Chinese), one record
per row, cells that may span lines, blank rows at the end."""

from __future__ import annotations

import csv
import io

from anquan_cli.io.yamlread import PosDict
from anquan_cli.problems import Problem, error

__all__ = ["parse_csv", "csv_rows"]


def delimiter_of(text: str) -> str:
    """Tab when the first non-blank line (lines as the csv module counts them) has tabs and
    no commas, else comma."""
    from anquan_cli.io.lines import split_lines

    first = next((ln for ln in split_lines(text[:65536]) if ln.strip()), "")
    return "\t" if "\t" in first and "," not in first else ","


def _dialect(text: str) -> str:
    return "excel-tab" if delimiter_of(text) == "\t" else "excel"


def csv_rows(text: str, path: str, problems: list[Problem]):
    """``(line, cells)`` of each row with any content, ``line`` the line the row starts on
    (multi-line cells do not shift later rows); a syntax error is added to ``problems`` and
    ends the rows."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    consumed = 0
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(error(path, reader.line_num, "csv-syntax", f"CSV 格式错误：{exc}",
                                  "检查这一行的引号是否成对；可用 Excel 打开后重新另存为 CSV"))
            return
        consumed = reader.line_num
        if any(c.strip() for c in cells):
            yield start, cells


def parse_csv(text: str, path: str) -> tuple[list[str], list[PosDict], list[Problem]]:
    """Returns ``(header, rows, problems)``.

    Each row is a :class:`PosDict` keyed by the header cell as written, its ``line`` the
    line the row starts on (so multi-line cells do not shift later rows).  Empty cells are
    left out of the row; rows with no content at all are skipped.
    """
    problems: list[Problem] = []
    header: list[str] | None = None
    rows: list[PosDict] = []
    for start, cells in csv_rows(text, path, problems):
        if header is None:
            header = [c.strip() for c in cells]
            for problem in header_problems(header, path, start):
                problems.append(problem)
            continue
        row = PosDict(start)
        for i, cell in enumerate(cells):
            cell = cell.strip()
            if i >= len(header):
                if cell:
                    problems.append(extra_cell(path, start, len(cells), len(header)))
                    break
                continue
            name = header[i]
            if cell and name:
                row[name] = cell
                row.key_lines[name] = start
        rows.append(row)
    return header or [], rows, problems


def header_problems(header: list[str], path: str, line: int) -> list[Problem]:
    """A header cell written twice."""
    out = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            out.append(error(path, line, "csv-duplicate-column",
                             f"表头“{name}”出现了两次（第 {seen[name] + 1} 列和第 {i + 1} 列）",
                             "删去或改名其中一列"))
        seen.setdefault(name, i)
    return out


def extra_cell(path: str, line: int, cells: int, columns: int) -> Problem:
    return error(path, line, "csv-extra-cell", f"这一行有 {cells} 列，比表头多（表头 {columns} 列）",
                 "检查是否有多余的逗号，或在表头补上列名")
