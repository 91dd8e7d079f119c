"""Reading an import CSV into records, and writing CSV that spreadsheets cannot run.

Pure code: no Flask, no database. Rows are numbered as a spreadsheet shows them: the header is
row 1 and the first data row is row 2 (a quoted value spanning lines still counts as one row).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

REQUIRED_COLUMNS = ("email", "name", "mission")
OPTIONAL_COLUMNS = ("cohort", "role")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal separator is a comma


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row of the file (row 1 is the header)."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One data row, its values stripped; absent optional columns are empty strings."""

    row: int
    email: str
    name: str
    mission: str
    cohort: str = ""
    role: str = ""


def read_records(data: bytes | str) -> tuple[list[Record], list[Problem]]:
    """Parse the file; returns the records and every problem found with the file or its header."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            return [], [Problem(1, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it")]
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [Problem(1, "the file is not UTF-8 text; in Excel choose Save As, 'CSV UTF-8'")]
    text = data.removeprefix("\ufeff")
    if not text.strip():
        return [], [Problem(1, "the file is empty")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _read_rows(reader)
    except csv.Error as exc:
        return [], [Problem(max(reader.line_num, 1), f"the file is not valid CSV: {exc}")]


def _delimiter(text: str) -> str:
    header = text.splitlines()[0]
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _read_rows(reader) -> tuple[list[Record], list[Problem]]:
    columns, problems = check_header(next(reader))
    if problems:
        return [], problems
    records: list[Record] = []
    for row, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue  # blank lines, often left at the end by spreadsheets
        if len(records) == MAX_ROWS:
            return [], [Problem(row, f"more than {MAX_ROWS:,} rows; split the file")]
        if len(values) > len(columns) and any(v.strip() for v in values[len(columns):]):
            problems.append(Problem(row, f"{len(values)} values but the header has {len(columns)} columns"))
            continue
        cells = dict(zip(columns, (value.strip() for value in values), strict=False))  # short rows: blanks
        records.append(Record(row=row, **{name: cells.get(name, "") for name in columns}))
    return records, problems


def check_header(header: list[str]) -> tuple[list[str], list[Problem]]:
    """The header's column names (lower-cased), and the problems with it, all reported on row 1."""
    columns = [name.strip().lower() for name in header]
    while columns and not columns[-1]:
        columns.pop()  # spreadsheets leave empty columns after the last one
    problems = []
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for name in columns:
        if name not in known:
            problems.append(Problem(1, f"unknown column {name or '(blank)'!r}; the columns are {', '.join(known)}"))
    for name in sorted({n for n in columns if columns.count(n) > 1}):
        problems.append(Problem(1, f"column {name!r} appears more than once"))
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(Problem(1, f"missing required column {name!r}"))
    return columns, problems
