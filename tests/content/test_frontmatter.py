"""Front matter: splitting a file into YAML metadata and markdown body, and checking the keys."""
import pytest

from lms.content.tree import COURSE_KEYS, LESSON_KEYS
from lms.documents.frontmatter import check_keys, parse_document

PATH = "courses/c/01-m/01-l.md"


def lesson_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem parse_document + check_keys find in a lesson file."""
    doc = parse_document(PATH, text)
    if not doc.problems:
        check_keys(doc, *LESSON_KEYS)
    assert all(p.path == PATH for p in doc.problems)
    return [(p.line, p.message) for p in doc.problems]


def test_valid_document_gives_typed_meta_key_lines_and_body_with_its_first_line():
    text = "---\ntitle: Hello\nminutes: 7\norder: 3\n---\nFirst body line.\n\nThird body line.\n"
    doc = parse_document(PATH, text)
    check_keys(doc, *LESSON_KEYS)
    assert doc.problems == []
    assert doc.meta == {"title": "Hello", "minutes": 7, "order": 3}
    assert [doc.line_of(k) for k in ("title", "minutes", "order")] == [2, 3, 4]
    assert doc.body.splitlines() == ["First body line.", "", "Third body line."]
    assert text.splitlines()[doc.body_line - 1] == "First body line."


def test_windows_line_endings_parse_like_unix_ones():
    unix = "---\ntitle: Hello\nminutes: ten\n---\nBody.\n"
    doc = parse_document(PATH, unix.replace("\n", "\r\n"))
    check_keys(doc, *LESSON_KEYS)
    assert [(p.line, p.message) for p in doc.problems] == lesson_problems(unix)
    assert [p.line for p in doc.problems] == [3]


@pytest.mark.parametrize("text", [
    "Just a lesson without metadata.\n",
    "",
    "\n---\ntitle: T\nminutes: 3\n---\n",  # the fence must be the very first line
    "title: T\nminutes: 3\n---\nBody\n",
])
def test_missing_front_matter_is_reported_on_line_1(text):
    doc = parse_document(PATH, text)
    assert [(p.line, p.message) for p in doc.problems] == [
        (1, "file must start with front matter between '---' lines")]
    assert doc.meta == {}


def test_unclosed_front_matter_is_reported():
    doc = parse_document(PATH, "---\ntitle: T\nminutes: 3\n\nThe body, but the fence was never closed.\n")
    assert [(p.line, p.message) for p in doc.problems] == [(1, "front matter is not closed by a '---' line")]
    assert doc.meta == {}


@pytest.mark.parametrize("bad_line", ["summary: a: b", "\tindented: with a tab"])
def test_bad_yaml_is_reported_on_the_line_it_is_on(bad_line):
    text = f"---\ntitle: Fine\nminutes: 3\n{bad_line}\norder: 1\n---\nBody.\n"
    problems = lesson_problems(text)
    assert len(problems) == 1 and problems[0][1].startswith("bad YAML in front matter:"), problems
    assert problems[0][0] == line_of_text(text, bad_line) == 4


@pytest.mark.parametrize("bad_line", ["tags: [one, two", "title: 'unterminated"])
def test_unclosed_yaml_is_reported_between_its_start_and_the_closing_fence(bad_line):
    # PyYAML notices an unclosed bracket or quote only where it runs into the next line, not before.
    text = f"---\ntitle: Fine\nminutes: 3\n{bad_line}\norder: 1\n---\nBody.\n"
    problems = lesson_problems(text)
    assert len(problems) == 1 and problems[0][1].startswith("bad YAML in front matter:"), problems
    assert line_of_text(text, bad_line) <= problems[0][0] <= line_of_text(text, "order: 1")


def line_of_text(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_impossible_date_is_a_problem_not_a_crash():
    problems = lesson_problems("---\ntitle: T\nminutes: 3\norder: 2020-02-30\n---\nBody.\n")
    assert len(problems) == 1 and "front matter" in problems[0][1], problems


def test_impossible_date_is_reported_on_its_line():
    text = "---\ntitle: T\nminutes: 3\norder: 2020-02-30\n---\nBody.\n"
    assert [line for line, _ in lesson_problems(text)] == [line_of_text(text, "order: 2020-02-30")]


@pytest.mark.parametrize("yaml_text", ["- title\n- minutes", "just some words", "42"])
def test_front_matter_that_is_not_a_mapping_is_reported(yaml_text):
    problems = lesson_problems(f"---\n{yaml_text}\n---\nBody.\n")
    assert problems == [(2, "front matter must be 'key: value' lines")]


def test_unknown_key_is_reported_on_its_own_line_with_the_known_keys():
    text = "---\ntitle: T\nminutes: 3\n\n# a comment\ncolour: red\n---\nBody.\n"
    problems = lesson_problems(text)
    assert len(problems) == 1
    line, message = problems[0]
    assert line == line_of_text(text, "colour: red")
    assert "'colour'" in message and all(key in message for key in ("title", "minutes", "order"))


def test_each_unknown_key_gets_its_own_problem():
    text = "---\ntitle: T\nauthor: Ann\nminutes: 3\nstatus: draft\n---\n"
    problems = lesson_problems(text)
    assert [line for line, _ in problems] == [line_of_text(text, "author: Ann"), line_of_text(text, "status: draft")]


@pytest.mark.parametrize("key,value,kind", [
    ("minutes", '"ten"', "a whole number"),
    ("minutes", "ten", "a whole number"),
    ("minutes", "2.5", "a whole number"),
    ("minutes", "true", "a whole number"),
    ("minutes", "[5]", "a whole number"),
    ("order", '"1"', "a whole number"),
    ("title", "[a, b]", "text (put it in quotes)"),
    ("title", "{a: b}", "text (put it in quotes)"),
    ("title", "yes", "text (put it in quotes)"),
])
def test_wrong_type_is_reported_on_the_key_line(key, value, kind):
    values = {"title": "T", "minutes": "3", key: value}
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\nBody.\n"
    assert lesson_problems(text) == [(line_of_text(text, f"{key}: {value}"), f"'{key}' must be {kind}")]


@pytest.mark.parametrize("value", ["42", "3.5", "'Quoted: with colon'"])
def test_numbers_and_quoted_text_are_acceptable_titles(value):
    assert lesson_problems(f"---\ntitle: {value}\nminutes: 3\n---\n") == []


@pytest.mark.parametrize("front_matter,missing", [
    ("minutes: 3", ["title"]),
    ("title: T", ["minutes"]),
    ("title:\nminutes: 3", ["title"]),      # present but empty
    ("title: ''\nminutes: 3", ["title"]),
    ("order: 1", ["title", "minutes"]),
])
def test_missing_required_key_is_reported(front_matter, missing):
    problems = lesson_problems(f"---\n{front_matter}\n---\nBody.\n")
    assert problems == [(1, f"missing required key '{key}' in front matter") for key in missing]


def test_empty_front_matter_misses_every_required_key():
    doc = parse_document("courses/c/course.md", "---\n---\nIntro.\n")
    check_keys(doc, *COURSE_KEYS)
    assert sorted(p.message for p in doc.problems) == [
        "missing required key 'summary' in front matter", "missing required key 'title' in front matter"]
    assert doc.body == "Intro."


def test_problems_print_as_path_line_message():
    doc = parse_document(PATH, "---\ntitle: T\nminutes: ten\n---\n")
    check_keys(doc, *LESSON_KEYS)
    assert [str(p) for p in doc.problems] == [f"{PATH}:3: 'minutes' must be a whole number"]
