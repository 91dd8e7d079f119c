"""Pure helpers: fields to text and back, problems placed on the trainer's lines, diffs."""
from lms.documents.errors import Problem
from lms.documents.frontmatter import parse_document
from lms.studio.diffs import ADDED, GAP, REMOVED, SAME, diff_lines
from lms.studio.editing import normalise_newlines, one_line, page_fields, page_text, place_problems

LESSON = '---\ntitle: "Steps: \\"one\\""\nminutes: 7\norder: 4\ndraft: true\n---\nBody line one.\n\nBody line three.\n'


def test_fields_round_trip_through_the_text():
    fields = page_fields("lesson", LESSON)
    assert fields == {"title": 'Steps: "one"', "minutes": 7, "order": 4,
                      "body": "Body line one.\n\nBody line three."}
    assert page_text("lesson", True, **fields) == LESSON


def test_course_fields_have_a_summary_and_no_minutes():
    text = page_text("course", False, "T", "Intro.", summary="One: two")
    assert page_fields("course", text) == {"title": "T", "summary": "One: two", "body": "Intro."}
    assert "draft" not in text and parse_document("x", text).meta["summary"] == "One: two"


def test_body_problems_are_numbered_from_the_text_box():
    text = page_text("lesson", True, "T", "a\nb\nc", minutes=3)  # 5 lines of front matter
    placed = place_problems([Problem("p", 8, "broken link"), Problem("p", 6, "first")], text)
    assert placed == {"body": ["line 3: broken link", "line 1: first"]}


def test_front_matter_problems_go_to_their_field():
    text = page_text("lesson", False, "T", "x", minutes=3)
    placed = place_problems([Problem("p", 2, "title is too long"), Problem("p", 3, "'minutes' must be at least 1"),
                             Problem("p", 1, "missing required key 'title'"), Problem("slug", 1, "already used")],
                            text)
    assert placed == {"title": ["title is too long"], "minutes": ["'minutes' must be at least 1"],
                      "body": ["page settings: missing required key 'title'"], "slug": ["already used"]}


def test_browser_text_is_normalised():
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert one_line("  A\r\n title\t here ") == "A title here"
    assert normalise_newlines(None) is None and one_line("") == ""


def test_diff_marks_changes_with_line_numbers_and_gaps():
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten").replace("line 20", "line 20\nline 21")
    rows = diff_lines(old, new, context=1)
    assert [(r.change, r.old, r.new, r.text) for r in rows] == [
        (GAP, None, None, ""), (SAME, 9, 9, "line 9"), (REMOVED, 10, None, "line 10"), (ADDED, None, 10, "line ten"),
        (SAME, 11, 11, "line 11"), (GAP, None, None, ""), (SAME, 20, 20, "line 20"), (ADDED, None, 21, "line 21"),
    ]
    assert diff_lines(old, old) == []
