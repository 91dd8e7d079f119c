"""Between the editors' form fields and a page's text: read fields, compose text, place problems on lines."""
from __future__ import annotations

import re

from flask import url_for

from ..documents.errors import Problem
from ..documents.frontmatter import compose, parse_document
from ..questions.model import PoolRule, QuizSpec
from ..questions.pools import asked_count, describe, pool_of, takes
from ..questions.serialize import question_from_dict
from ..questions.types import question_type
from ..questions.types.base import stored_html

SUMMARY_KINDS = ("course", "module")
FIELD_KEYS = ("title", "summary", "minutes")  # front-matter keys that have a form field of their own
ASSET_SRC = re.compile(r'src="/courses/([a-z0-9-]+)/([a-z0-9-]+)/assets/')
LESSON_HREF = re.compile(r'href="/courses/([a-z0-9-]+)/([a-z0-9-]+)/([a-z0-9-]+)(?=["#])')


def normalise_newlines(text: str | None) -> str | None:
    """Browsers send textareas with CRLF line ends; the stored texts (and files) use LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


def one_line(text: str | None) -> str | None:
    """Collapse runs of whitespace (newlines included) into single spaces: titles and summaries are one line."""
    return " ".join(text.split()) if text else text


def page_fields(kind: str, source: str) -> dict:
    """The editor's fields (title, body and summary or minutes, plus a kept ``order``) read from a page's text."""
    doc = parse_document("", source)
    meta = doc.meta
    fields = {"title": str(meta.get("title", "")).strip(), "body": doc.body.strip("\n")}
    if kind in SUMMARY_KINDS:
        fields["summary"] = str(meta.get("summary", "")).strip()
    else:
        fields["minutes"] = meta.get("minutes") if isinstance(meta.get("minutes"), int) else None
    if isinstance(meta.get("order"), int) and not isinstance(meta.get("order"), bool):
        fields["order"] = meta["order"]
    return fields


def page_text(kind: str, draft: bool, title: str, body: str, summary: str = "", minutes: int | None = None,
              order: int | None = None) -> str:
    """The page's text from the editor's fields (an ``order`` from the file is kept)."""
    extra: dict = {"summary": summary} if kind in SUMMARY_KINDS else {"minutes": minutes}
    if order is not None:
        extra["order"] = order
    return compose(title, body or "", draft, **extra)


def place_problems(problems: list[Problem], text: str) -> dict[str, list[str]]:
    """Each problem as a message under the form field it belongs to.

    The trainer sees the body without the front matter that ``compose`` puts above it, so body
    line numbers are counted from the body's first line; a front-matter problem goes to its field.
    """
    doc = parse_document("", text)
    key_at = {line: key for key, line in doc.key_lines.items()}
    placed: dict[str, list[str]] = {}
    for problem in problems:
        if problem.path == "slug":
            field, message = "slug", problem.message
        elif problem.line >= doc.body_line:
            field, message = "body", f"line {problem.line - doc.body_line + 1}: {problem.message}"
        elif key_at.get(problem.line) in FIELD_KEYS:
            field, message = key_at[problem.line], problem.message
        else:
            field, message = "body", f"page settings: {problem.message}"
        placed.setdefault(field, []).append(message)
    return placed


def quiz_problems(problems: list[Problem]) -> list[str]:
    """A quiz's problems as 'line N: message' (the textarea holds the whole file, so lines match)."""
    return [f"line {problem.line}: {problem.message}" for problem in problems]


def add_errors(form, placed: dict[str, list[str]]) -> None:
    """Show messages under the form's fields (fields the form lacks fall back to its first text area)."""
    for name, messages in placed.items():
        field = form[name] if name in form else form["body"]
        field.errors = [*field.errors, *messages]


def studio_links(html: str) -> str:
    """Point a rendered page's images and lesson links at the studio, so drafts preview whole."""
    def asset(match: re.Match) -> str:
        return 'src="' + url_for("studio.asset", course_slug=match[1], module_slug=match[2], filename="x")[:-1]

    def lesson(match: re.Match) -> str:
        return 'href="' + url_for("studio.preview_lesson", course_slug=match[1], module_slug=match[2],
                                  lesson_slug=match[3])

    return LESSON_HREF.sub(lesson, ASSET_SRC.sub(asset, html))


def quiz_preview(spec: QuizSpec, stored: list[dict]) -> dict:
    """What a trainer checks before saving: each question with its answers and pool, and what an attempt asks."""
    items = []
    for entry in stored:
        spec_dict, html = entry["spec"], entry["html"]
        question = question_from_dict(spec_dict)
        kind = question_type(question.type)
        lines = kind.preview(question, stored_html(html))
        pool = pool_of(question, spec.draw)
        items.append({"label": kind.label, "points": question.points, "prompt": html.get(spec_dict["prompt"], ""),
                      "lines": lines, "pool": None if pool is None else describe(spec.draw[pool])})
    return {"questions": items, "asked": asked_count(spec), "rules": [draw_line(spec, rule) for rule in spec.draw]}


def draw_line(spec: QuizSpec, rule: PoolRule) -> str:
    """A pool rule in words, with the size of its pool."""
    size = sum(takes(rule, question) for question in spec.questions)
    return f"{rule.count} of the {size} questions with {describe(rule)}, drawn at random"
