"""CSV downloads that spreadsheets open safely: every table the platform exports goes through here."""
from __future__ import annotations

import csv
import io
import re

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A part of a text cell that a spreadsheet may split off (at ; , a tab or a line break) and then run as a
# formula: its first character after any spaces.
FORMULA_PART = re.compile(r"([;,\t\r\n][ ]*)([=+\-@])")
FORMULA_LEAD = re.compile(r"^([ ]+)([=+\-@])")


def neutralise(value) -> str:
    """A cell as text, with a quote before every start of a formula a spreadsheet could run (CSV injection).

    The cell's start, and in text every part after ``;``, ``,``, a tab or a line break that begins (after
    spaces) with = + - or @: spreadsheets that split on ``;`` would otherwise run ``Bo;=1+1``. Numbers
    keep their sign.
    """
    if value is None:
        return ""
    text = str(value)
    if not isinstance(value, str):
        return text
    text = FORMULA_PART.sub(r"\1'\2", FORMULA_LEAD.sub(r"\1'\2", text))
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
