"""Reading the import file and writing safe CSV: pure code, no app."""
import csv
import io

import pytest

from lms.exports import neutralise, write_csv
from lms.people.csvfile import MAX_BYTES, MAX_ROWS, Problem, read_records


def test_rows_are_numbered_like_a_spreadsheet_and_values_stripped():
    records, problems = read_records("email,name,mission\n a@x.org , Amina ,EMB-NAI\n\nb@x.org,Bo,EMB-BER\n")
    assert problems == []
    assert [(r.row, r.email, r.name, r.mission, r.cohort, r.role) for r in records] == [
        (2, "a@x.org", "Amina", "EMB-NAI", "", ""), (4, "b@x.org", "Bo", "EMB-BER", "", "")]


def test_utf8_bom_crlf_and_excel_semicolons_are_read():
    data = "\ufeffEmail;Name;Mission;Cohort;Role\r\nz@x.org;\"Zoë; Jr\";EMB-NAI;Spring;\"diplomat;trainer\"\r\n"
    records, problems = read_records(data.encode("utf-8"))
    assert problems == []
    assert (records[0].email, records[0].name, records[0].role) == ("z@x.org", "Zoë; Jr", "diplomat;trainer")


def test_a_quoted_value_over_two_lines_counts_as_one_row():
    records, problems = read_records('email,name,mission\na@x.org,"Two\nlines",EMB-NAI\nb@x.org,B,EMB-NAI\n')
    assert problems == [] and [r.row for r in records] == [2, 3]


@pytest.mark.parametrize("header, message", [
    ("email,name", "missing required column 'mission'"),
    ("email,name,mission,phone", "unknown column 'phone'"),
    ("email,name,mission,email", "column 'email' appears more than once"),
    ("e-mail,name,mission", "missing required column 'email'"),
])
def test_header_problems_are_reported_on_row_1(header, message):
    records, problems = read_records(header + "\na@x.org,A,EMB-NAI\n")
    assert records == []
    assert Problem(1, message) in problems or any(p.row == 1 and message in p.message for p in problems), problems


def test_empty_trailing_header_cells_are_ignored_but_extra_values_are_not():
    records, problems = read_records("email,name,mission,,\na@x.org,A,EMB-NAI,,\nb@x.org,B,EMB-NAI,oops\n")
    assert [r.row for r in records] == [2]
    assert problems == [Problem(3, "4 values but the header has 3 columns")]


def test_empty_file_and_non_utf8_file_are_refused_on_row_1():
    assert read_records(b"")[1] == [Problem(1, "the file is empty")]
    problems = read_records("email,name,mission\nz@x.org,Zoë,EMB-NAI\n".encode("cp1252"))[1]
    assert len(problems) == 1 and problems[0].row == 1 and "UTF-8" in problems[0].message


def test_file_size_is_limited():
    problems = read_records(b"email,name,mission\n" + b"x" * MAX_BYTES)[1]
    assert len(problems) == 1 and "larger than 2 MB" in problems[0].message


def test_row_count_is_limited():
    body = "".join(f"u{i}@x.org,U,EMB-NAI\n" for i in range(MAX_ROWS + 1))
    records, problems = read_records("email,name,mission\n" + body)
    assert records == [] and problems == [Problem(MAX_ROWS + 2, "more than 20,000 rows; split the file")]


def test_broken_csv_is_a_problem_not_a_crash():
    problems = read_records('email,name,mission\na@x.org,"' + "A" * 200_000 + '",EMB-NAI\n')[1]
    assert len(problems) == 1 and problems[0].row == 2 and "not valid CSV" in problems[0].message


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_are_neutralised(first):
    assert neutralise(first + "1+1") == "'" + first + "1+1"


def test_ordinary_cells_are_left_alone():
    assert neutralise("Amina Khan") == "Amina Khan" and neutralise("a=b") == "a=b" and neutralise("") == ""


def test_write_csv_neutralises_every_cell_and_quotes_properly():
    text = write_csv(["email", "name", "link"], [["a@x.org", '=HYPERLINK("http://evil")', "https://l/1"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["email", "name", "link"], ["a@x.org", "'=HYPERLINK(\"http://evil\")", "https://l/1"]]
