"""CSV cells that spreadsheets open safely: no part of a text cell can start a formula."""
import csv
import io

import pytest

from lms.exports import neutralise, write_csv


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("Bo;=1+1;X", "Bo;'=1+1;X"),  # spreadsheets that split on ';' would run the middle part
    ("Bo; +1", "Bo; '+1"),
    ("Smith, -2", "Smith, '-2"),
    ("line one\n@SUM(A1:A9)", "line one\n'@SUM(A1:A9)"),
    ("cell\t=1", "cell\t'=1"),
    ("  =1+1", "  '=1+1"),
    ("\tstarts with a tab", "'\tstarts with a tab"),
    ("Anne-Marie Dupont", "Anne-Marie Dupont"),
    ("Paris; London", "Paris; London"),
    (-5, "-5"),  # numbers keep their sign
    (None, ""),
])
def test_every_part_that_could_start_a_formula_is_quoted(cell, written):
    assert neutralise(cell) == written


def test_a_written_file_reads_back_with_the_quotes():
    rows = list(csv.reader(io.StringIO(write_csv(["Name"], [["Bo;=1+1;X"], ["Plain"]]))))
    assert rows == [["Name"], ["Bo;'=1+1;X"], ["Plain"]]
