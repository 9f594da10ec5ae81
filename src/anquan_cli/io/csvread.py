"""Read CSV as offices export it from Excel/WPS: a header row (often Chinese), one record
per row, cells that may span lines, blank rows at the end."""

from __future__ import annotations

import csv
import io

from anquan_cli.io.yamlread import PosDict
from anquan_cli.problems import Problem, error

__all__ = ["parse_csv"]


def delimiter_of(text: str) -> str:
    """Tab when the first non-blank line (lines as the csv module counts them) has tabs and
    no commas, else comma."""
    from anquan_cli.io.lines import split_lines

    first = next((ln for ln in split_lines(text[:65536]) if ln.strip()), "")
    return "\t" if "\t" in first and "," not in first else ","


def _dialect(text: str) -> str:
    return "excel-tab" if delimiter_of(text) == "\t" else "excel"


def parse_csv(text: str, path: str) -> tuple[list[str], list[PosDict], list[Problem]]:
    """Returns ``(header, rows, problems)``.

    Each row is a :class:`PosDict` keyed by the header cell as written, its ``line`` the
    line the row starts on (so multi-line cells do not shift later rows).  Empty cells are
    left out of the row; rows with no content at all are skipped.
    """
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header: list[str] | None = None
    rows: list[PosDict] = []
    consumed = 0
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(error(path, reader.line_num, "csv-syntax", f"CSV 格式错误：{exc}",
                                  "检查这一行的引号是否成对；可用 Excel 打开后重新另存为 CSV"))
            break
        consumed = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            seen: dict[str, int] = {}
            for i, name in enumerate(header):
                if name and name in seen:
                    problems.append(error(path, start, "csv-duplicate-column",
                                          f"表头“{name}”出现了两次（第 {seen[name] + 1} 列和第 {i + 1} 列）",
                                          "删去或改名其中一列"))
                seen.setdefault(name, i)
            continue
        row = PosDict(start)
        for i, cell in enumerate(cells):
            cell = cell.strip()
            if i >= len(header):
                if cell:
                    problems.append(error(path, start, "csv-extra-cell",
                                          f"这一行有 {len(cells)} 列，比表头多（表头 {len(header)} 列）",
                                          "检查是否有多余的逗号，或在表头补上列名"))
                    break
                continue
            name = header[i]
            if cell and name:
                row[name] = cell
                row.key_lines[name] = start
        rows.append(row)
    return header or [], rows, problems
