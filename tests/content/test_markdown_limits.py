"""Markdown past the size and nesting limits, or slower than the time budget, is refused with a line, fast."""
import time

import pytest

from lms.content.limits import MAX_MARKDOWN_CHARS, MAX_NESTING
from lms.content.render import CONVERTER, MarkdownRefused, markdown_to_html

from .helpers import course_md, lesson_md, line_of, module_md, write_tree
from .test_links_and_render import lesson_text, link_problems

PATHOLOGICAL = {
    "brackets": "[" * 20000,
    "nested lists": "".join("  " * depth + "- item\n" for depth in range(250)),
    "nested quotes": "".join("> " * depth + "quoted\n\n" for depth in range(300)),
    "footnotes": "".join(f"A[^{i}]\n" for i in range(3000)) + "\n" + "".join(f"[^{i}]: B\n" for i in range(3000)),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_is_refused_on_its_line_within_seconds(tmp_path, name):
    started = time.monotonic()
    problems = link_problems(tmp_path, f"Intro.\n\n{PATHOLOGICAL[name]}")
    assert time.monotonic() - started < 5
    assert len(problems) == 1, problems
    line, message = problems[0]
    assert line >= line_of(lesson_text(tmp_path), "Intro.") + 2
    assert "at most" in message


def test_a_text_longer_than_the_size_limit_is_refused():
    with pytest.raises(MarkdownRefused, match=f"at most {MAX_MARKDOWN_CHARS:,} characters"):
        markdown_to_html("word " * (MAX_MARKDOWN_CHARS // 5 + 1))


def test_nesting_up_to_the_limit_renders():
    text = "".join("    " * depth + "- item\n" for depth in range(MAX_NESTING // 2))
    assert markdown_to_html(text).count("<ul>") == MAX_NESTING // 2


def test_brackets_inside_code_and_escaped_brackets_do_not_count():
    code = "```\n" + "[" * 500 + "\n```\n\nAnd \\[" + "\\[" * 500 + " escaped.\n"
    assert "[[[" in markdown_to_html(code)


@pytest.fixture
def short_time_budget():
    before = CONVERTER.time_limit
    CONVERTER.time_limit = 0.01
    yield
    CONVERTER.time_limit = before


def test_rendering_longer_than_the_time_budget_is_stopped_and_the_next_text_renders(short_time_budget):
    slow = "".join(f"Paragraph {i} with *emphasis*, `code` and a [link](x{i}.md).\n\n" for i in range(1500))
    with pytest.raises(MarkdownRefused, match=r"longer than 0\.01 seconds"):
        markdown_to_html(slow)
    CONVERTER.time_limit = 5
    assert markdown_to_html("*fine*") == "<p><em>fine</em></p>"


def test_import_names_the_file_and_line_of_a_refused_text(app, tmp_path):
    from lms.content.importer import import_content
    from lms.documents.errors import ContentError

    root = write_tree(tmp_path / "courses", {"c/course.md": course_md(), "c/01-m/module.md": module_md(),
                                             "c/01-m/01-l.md": lesson_md(body="Fine.\n\n" + "[" * 20000)})
    with app.app_context(), pytest.raises(ContentError) as refused:
        import_content(root)
    assert [(p.path, p.line) for p in refused.value.problems] == [("courses/c/01-m/01-l.md", 7)]
