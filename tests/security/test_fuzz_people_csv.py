"""Bounded fuzzing of the parsers that read untrusted files: people CSV, front matter and lesson pages.

Each must either return a result (with problems tied to a row or line >= 1) or raise the project's
own error type; any other exception would be a 500 page for an admin or a crashed import.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lms.content.tree import LessonFile, Page, page_from_text
from lms.documents.errors import ContentError
from lms.documents.errors import Problem as ContentProblem
from lms.documents.frontmatter import Document, parse_document
from lms.people.csvfile import Problem, Record, read_records
from lms.people.plan import ImportPlan
from lms.people.services import ImportRefused, preview_import

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)

VALID_CSV = (
    "email,name,mission,cohort,role\n"
    "ada@example.org,Ada Lovelace,GVA,Spring 2025,diplomat\n"
    "\"bob@example.org\",\"Bob, Jr.\",NYC,,\n"
    "carol@example.org;Carol;PAR;;trainer\n"
)
# Pieces a spreadsheet (or an attacker) might put into a CSV file.
CSV_PIECES = [",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "\x00", "\ufeff", "=cmd|' /C calc'!A0",
              "@SUM(1+1)", "+1", "-1", "email", "name", "mission", "cohort", "role", "EMAIL", " ", "", "x" * 300,
              "é", "\u202e", "\U0001F600", "a@b.c", "admin", "trainer,admin"]


def check_csv_result(result) -> None:
    records, problems = result
    assert isinstance(records, list) and isinstance(problems, list)
    assert all(isinstance(r, Record) for r in records)
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        assert isinstance(problem.row, int) and problem.row >= 1, problem
        assert problem.message, problem
    for record in records:
        assert record.row >= 2, record  # row 1 is the header


@st.composite
def mutated_csv(draw) -> bytes:
    """The valid file with pieces inserted, deleted or replaced at random places."""
    text = VALID_CSV
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(CSV_PIECES) | st.text(max_size=5))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 10)):]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:]
    return data


@FAST
@given(st.one_of(st.binary(max_size=300), mutated_csv()))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example(b"\n\n\n")
@example(b"email,name,mission\n\"unterminated")
@example(b"email,name,mission\x00\n")
@example(b"\r")
@example(b"\x00")
@example(b"email,name,mission\r\n\"a\rb\",x,y")
def test_read_records_never_crashes_on_bytes(data):
    check_csv_result(read_records(data))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.text(max_size=300))
@example("\u2028")
@example("\x85email")
@example("\ufeff\ufeff")
@example("email,name,mission\n" + "\u2029" * 3)
def test_read_records_never_crashes_on_text(text):
    check_csv_result(read_records(text))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(mutated_csv())
def test_preview_import_returns_a_plan_or_refuses(app, data):
    """The whole validator (with the database lookups) on mutated files: a plan, never a crash."""
    with app.app_context():  # leaving the context rolls back whatever the validator did
        try:
            plan = preview_import(data, None)
        except ImportRefused:
            return
        assert isinstance(plan, ImportPlan)
        for problem in plan.problems:
            assert problem.row >= 1, problem



def test_preview_import_with_a_nul_in_an_email_reports_a_row_problem(app):
    with app.app_context():
        plan = preview_import(b"email,name,mission\nada\x00@example.org,Ada,GVA\n", None)
    assert plan.problems and all(problem.row == 2 for problem in plan.problems), plan.problems


# --- content front matter and lesson pages ------------------------------------------------------------

FRONT_PIECES = ["---", "---\n", "\n", "title: x\n", "minutes: 5\n", "minutes: -1\n", "minutes: 1e999\n",
                "order: 2020-02-30\n", "draft: yes\n", "title: [a, b\n", "title: {a: 1}\n", "? ", ": ", "&a ",
                "*a ", "!!python/object:os.system ", "!!binary x", "'", '"', "\t", "- ", "%YAML 1.1\n",
                "title: " + "x" * 300 + "\n", "\ufeff", "\x00", "\r", "#", "|", ">", "[" * 50, "{" * 50,
                "minutes: 99999999999999999999999\n", "order: .inf\n", "title: !!float nan\n"]
VALID_LESSON = "---\ntitle: A lesson\nminutes: 5\norder: 1\ndraft: false\n---\nSome *text*.\n"


@st.composite
def mutated_page(draw) -> str:
    text = VALID_LESSON
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(FRONT_PIECES) | st.text(max_size=6))
        if draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
    return text


def check_content_problems(problems, path: str) -> None:
    for problem in problems:
        assert isinstance(problem, ContentProblem)
        assert problem.path == path and isinstance(problem.line, int) and problem.line >= 1, problem


@FAST
@given(st.one_of(st.text(max_size=300), mutated_page()))
@example("---\n---\n")
@example("---\n: :\n---\n")
@example("---\norder: 2020-02-30\n---\n")
@example("---\n" + "[" * 200 + "\n---\n")
@example("---\ntitle: *a\n---\n")
@example("\ufeff---\ntitle: x\n---")
@example("---\n!!python/object/apply:os.system ['true']\n---\n")
def test_parse_document_returns_a_document_with_located_problems(text):
    try:
        doc = parse_document("c/01-m/01-l.md", text)
    except ContentError as exc:  # allowed, though parse_document promises to collect problems
        check_content_problems(exc.problems, "c/01-m/01-l.md")
        return
    assert isinstance(doc, Document)
    check_content_problems(doc.problems, "c/01-m/01-l.md")
    assert doc.body_line >= 1
    if not doc.problems:
        assert isinstance(doc.meta, dict)


@FAST
@given(st.one_of(st.text(max_size=300), mutated_page()), st.sampled_from(["lesson", "module", "course"]))
@example("---\ntitle: x\nminutes: 1e999\n---\n", "lesson")
@example("---\ntitle: x\nminutes: .nan\n---\n", "lesson")
@example("---\ntitle: x\nminutes: true\n---\n", "lesson")
@example("---\ntitle: x\nminutes: 5\norder: .inf\n---\n", "lesson")
@example("---\ntitle: x\nminutes: 5\ndraft: 1\n---\n", "lesson")
@example("---\ntitle: [1]\nsummary: {}\n---\n", "course")
@example("---\ntitle: x\nminutes: 99999999999999999999999\n---\n", "lesson")
def test_page_from_text_returns_a_page_or_raises_content_error(text, kind):
    try:
        page = page_from_text(kind, "c/01-m/01-l.md", "01-l.md", text, "l", 1)
    except ContentError as exc:
        assert exc.problems, "a ContentError must carry at least one problem"
        check_content_problems(exc.problems, "c/01-m/01-l.md")
        return
    assert isinstance(page, Page)
    assert page.title and isinstance(page.title, str)
    if kind == "lesson":
        assert isinstance(page, LessonFile) and isinstance(page.minutes, int) and page.minutes >= 1
