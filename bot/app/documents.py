"""Every CSV the product writes (/export, /overzicht) goes through `csv_document`.

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (`=HYPERLINK(...)` leaks a row, `+1+cmd|...` starts a program). As OWASP recommends,
such a cell gets a leading single quote, so Excel and LibreOffice show it as text; quotes and
separators inside a cell are the csv module's (the whole cell is quoted). A plain number
("-3", "-2,5") is no formula and stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

# Dutch Excel uses the comma as decimal separator, so its list separator is ";": a file with
# ";" opens in columns on a double click, a comma-separated one lands in a single column.
CSV_DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def line_ends(text: str) -> str:
    """\\r\\n and a lone \\r become \\n: every export has one kind of line end."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def safe_cell(value: object) -> str:
    """One cell as a spreadsheet shows it, never as a formula."""
    text = line_ends("" if value is None else str(value))
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_document(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A CSV file Dutch Excel opens in columns, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    # The BOM tells Excel the file is UTF-8; without it accents and emoji come out garbled.
    return buffer.getvalue().encode("utf-8-sig")
