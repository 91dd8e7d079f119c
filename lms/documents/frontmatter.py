"""Front matter: split a markdown file into YAML front matter and body (keeping line numbers), and write it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

FENCE = "---"
DRAFT_LINE = re.compile(r"^draft\s*:.*$", re.MULTILINE)
KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass
class Document:
    """A parsed file: its metadata, the line of each key, and the markdown body."""

    path: str
    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int  # 1-based line number of the body's first line
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        """The line a front-matter key stands on, or line 1 when it is absent."""
        return self.key_lines.get(key, 1)


def parse_document(path: str, text: str) -> Document:
    """Parse ``text`` (the file at ``path``); problems are collected, never raised."""
    if "\x00" in text:  # PostgreSQL text cannot hold it, and no real lesson contains it
        line = text[:text.index("\x00")].count("\n") + 1
        doc = Document(path, {}, {}, "", 1)
        doc.problems.append(Problem(path, line, "the file contains a NUL character (a stray control byte)"))
        return doc
    lines = text.removeprefix("\ufeff").splitlines()  # editors on Windows may save a byte-order mark
    if not lines or lines[0].strip() != FENCE:
        doc = Document(path, {}, {}, text, 1)
        doc.problems.append(Problem(path, 1, "file must start with front matter between '---' lines"))
        return doc
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        doc = Document(path, {}, {}, "", len(lines) + 1)
        doc.problems.append(Problem(path, 1, "front matter is not closed by a '---' line"))
        return doc
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    doc = Document(path, {}, _key_lines(lines[1:end]), body, end + 2)
    try:
        meta = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(exc, "problem", None) or "invalid YAML"
        doc.problems.append(Problem(path, line, f"bad YAML in front matter: {reason}"))
        return doc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds dates and numbers after parsing, so 2020-02-30 fails here, outside YAMLError.
        doc.problems.append(Problem(path, _failing_line(lines[1:end]), f"bad value in front matter: {exc}"))
        return doc
    if not isinstance(meta, dict):
        doc.problems.append(Problem(path, 2, "front matter must be 'key: value' lines"))
        return doc
    doc.meta = {str(k): v for k, v in meta.items()}
    return doc


def _failing_line(yaml_lines: list[str]) -> int:
    """The file line of the first front-matter line whose value PyYAML cannot build."""
    for offset, line in enumerate(yaml_lines):
        try:
            yaml.safe_load(line)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
            return offset + 2
    return 2


def _key_lines(yaml_lines: list[str]) -> dict[str, int]:
    """Map each top-level key to its 1-based line in the file (front matter starts at line 2)."""
    found: dict[str, int] = {}
    for offset, line in enumerate(yaml_lines):
        match = KEY_LINE.match(line)
        if match:
            found.setdefault(match.group(1), offset + 2)
    return found


def check_keys(doc: Document, required: dict[str, type], optional: dict[str, type]) -> None:
    """Record problems for missing, unknown or wrongly typed front-matter keys."""
    for key in required:
        if key not in doc.meta or doc.meta[key] in (None, ""):
            doc.problems.append(Problem(doc.path, 1, f"missing required key '{key}' in front matter"))
    allowed = {**required, **optional}
    for key, value in doc.meta.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            doc.problems.append(Problem(doc.path, doc.line_of(key), f"unknown key '{key}' (known keys: {known})"))
        elif value is not None and not _is_kind(value, allowed[key]):
            hint = " (put it in quotes)" if allowed[key] is str else ""
            doc.problems.append(
                Problem(doc.path, doc.line_of(key), f"'{key}' must be {_kind_name(allowed[key])}{hint}")
            )


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    return {int: "a whole number", str: "text", bool: "true or false", float: "a number"}.get(kind, kind.__name__)


def compose(title: str, body: str, draft: bool, **extra) -> str:
    """The text of a page from form fields: front matter, then the markdown body."""
    lines = ["---", f"title: {_yaml_text(title)}"]
    lines += [f"{key}: {_yaml_text(value) if isinstance(value, str) else value}" for key, value in extra.items()]
    if draft:
        lines.append("draft: true")
    return "\n".join([*lines, "---", body.strip("\n")]) + "\n"


def _yaml_text(value: str) -> str:
    # Always quoted: titles with colons, "yes" or a leading number stay text.
    return '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_draft(text: str, draft: bool) -> str:
    """The same text with its front matter's ``draft:`` line set (draft) or removed (published)."""
    head, sep, rest = text.partition("\n---")
    head = DRAFT_LINE.sub("", head).rstrip("\n")
    head = re.sub(r"\n{2,}", "\n", head)
    return head + ("\ndraft: true" if draft else "") + sep + rest
