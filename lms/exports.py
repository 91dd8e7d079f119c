"""CSV downloads that spreadsheets open safely: every table the platform exports goes through here."""
from __future__ import annotations

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell as text; one a spreadsheet would run as a formula (CSV injection) gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: list[str], rows) -> str:
    """CSV text with a header row and every cell neutralised (CRLF line ends, as spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()


def csv_response(filename: str, header: list[str], rows) -> Response:
    """A CSV attachment; never cached, since exports hold personal data."""
    response = Response(write_csv(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
