"""Builders and checks shared by the content-import tests."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lms.content.tree import load_courses
from lms.documents.errors import ContentError, Problem
from lms.models import Asset, Course, Lesson, LessonProgress, Module
from tests.helpers import table_rows

CONTENT_TABLES = (Course, Module, Lesson, Asset, LessonProgress)


def course_md(title: str = "A course", summary: str = "What it is about.", extra: str = "", body: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n{body}"


def module_md(title: str = "A module", summary: str = "What it covers.", extra: str = "", body: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n{body}"


def lesson_md(title: str = "A lesson", minutes: int | str = 5, body: str = "Some text.\n", extra: str = "") -> str:
    return f"---\ntitle: {title}\nminutes: {minutes}\n{extra}---\n{body}"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``root`` and every ``relative path -> text (or bytes)`` below it; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def one_lesson_tree(body: str, extra_files: dict[str, str | bytes] | None = None) -> dict[str, str | bytes]:
    """A valid course ``c`` / module ``m`` whose single lesson ``l`` has ``body``."""
    return {
        "c/course.md": course_md(),
        "c/01-m/module.md": module_md(),
        "c/01-m/01-l.md": lesson_md(body=body),
        **(extra_files or {}),
    }


def problems_of(root: Path) -> list[Problem]:
    """The problems load_courses reports for ``root`` (fails the test if it reports none)."""
    with pytest.raises(ContentError) as caught:
        load_courses(root)
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the only line of ``text`` containing ``needle``."""
    numbers = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(numbers) == 1, f"{needle!r} is on lines {numbers}"
    return numbers[0]


def empty_content(app) -> bool:
    """True when no course, module, lesson, asset or progress row exists."""
    rows = table_rows(app)
    assert {model.__tablename__ for model in CONTENT_TABLES} <= rows.keys()
    return all(rows[model.__tablename__] == [] for model in CONTENT_TABLES)


def import_cli(runner, courses: Path):
    return runner.invoke(args=["import-content", "--courses", str(courses)])


def summary_counts(output: str) -> dict[str, dict[str, int]]:
    """``lessons: 2 added, 1 updated, ...`` lines of the import summary, as numbers."""
    counts = {}
    for kind, rest in re.findall(r"^\s*(courses|modules|lessons|assets): (.*)$", output, re.M):
        counts[kind] = {outcome: int(n) for n, outcome in re.findall(r"(\d+) (\w+)", rest)}
    return counts


# --- what "safe HTML" means -------------------------------------------------------------------------------

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "button", "textarea", "svg",
                  "math", "base", "meta", "link", "body", "html", "frame", "frameset", "applet", "template"}
RAW_MARKERS = ["<script", "<iframe", "<object", "<embed", "<style", "<form", "<svg", "<math", "<base", "<meta",
               "javascript:", "vbscript:", "data:text/html"]
HANDLER_IN_TAG = re.compile(r"<[^>]*[\s/\"']on[a-z]+\s*=", re.I)
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_parts(html: str) -> list[str]:
    """Everything in ``html`` that could run script; empty when it is safe to show to a learner."""
    found = [marker for marker in RAW_MARKERS if marker in html.lower()]
    found += [m.group(0) for m in HANDLER_IN_TAG.finditer(html)]
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "action", "xlink:href"):
                found.append(f"{tag} {name}={value!r}")
            if name in ("href", "src") and value is not None:
                # As a browser's URL parser: trim C0 controls and spaces, drop tabs and newlines, read the scheme.
                squeezed = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()
                scheme = squeezed.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", squeezed) else ""
                if scheme not in SAFE_SCHEMES:
                    found.append(f"{tag} {name}={value!r}")
    return found


def article_of(page_html: str) -> str:
    """The lesson body as shown on the lesson page (the template wraps it in ``<article class="prose">``)."""
    match = re.search(r'<article class="prose">(.*?)</article>', page_html, re.S)
    assert match, "the lesson page has no <article class=\"prose\">"
    return match.group(1)
