"""Read the ``courses/`` folder into plain dataclasses, validating as it goes.

No Flask and no database here: the result is checked in full before anything is
written, so one broken file stops the whole import with every problem listed.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem
from .frontmatter import Document, check_keys, parse_document

NAME = re.compile(r"^(?:(\d+)-)?([a-z0-9]+(?:-[a-z0-9]+)*)$")
ASSET_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
}
MAX_ASSET_BYTES = 2 * 1024 * 1024
UNSAFE_SVG = re.compile(r"<script|\son[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)
COURSE_KEYS = ({"title": str, "summary": str}, {"order": int})
MODULE_KEYS = COURSE_KEYS
LESSON_KEYS = ({"title": str, "minutes": int}, {"order": int})


@dataclass
class AssetFile:
    """A file served beside a module's lessons."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Page:
    """What courses, modules and lessons share: identity, order, text and where it came from."""

    slug: str
    name: str  # folder or file name as written, prefix included
    path: str  # path relative to the content root, for messages
    position: int
    title: str
    source: str
    body: str
    body_line: int


@dataclass
class LessonFile(Page):
    minutes: int = 5


@dataclass
class ModuleDir(Page):
    summary: str = ""
    lessons: list[LessonFile] = field(default_factory=list)
    assets: dict[str, AssetFile] = field(default_factory=dict)


@dataclass
class CourseDir(Page):
    summary: str = ""
    modules: list[ModuleDir] = field(default_factory=list)


def load_courses(root: Path) -> list[CourseDir]:
    """Read every course under ``root``; raise ContentError listing all problems."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError.at(str(root), 1, "courses folder does not exist")
    courses = [_load_course(d, root, problems) for d in _subdirs(root)]
    courses = [c for c in courses if c is not None]
    _check_unique(courses, problems, "course")
    if problems:
        raise ContentError(problems)
    return sorted(courses, key=lambda c: (c.position, c.slug))


def _subdirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _rel(path: Path, root: Path) -> str:
    return str(Path(root.name) / path.relative_to(root))


def _split_name(name: str, path: str, problems: list[Problem]) -> tuple[str, int] | None:
    """Turn ``02-event-coverage`` into (``event-coverage``, 2), or record why it cannot be a slug."""
    match = NAME.match(name)
    if not match:
        problems.append(Problem(path, 1, f"name '{name}' must be lowercase letters, digits and hyphens, "
                                         "optionally starting with a number such as '01-'"))
        return None
    return match.group(2), int(match.group(1) or 0)


def _read_page(path: Path, root: Path, keys, problems: list[Problem]) -> tuple[Document, str] | None:
    rel = _rel(path, root)
    if not path.is_file():
        problems.append(Problem(rel, 1, f"missing file {path.name}"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 1, f"file is not UTF-8 text ({exc.reason})"))
        return None
    doc = parse_document(rel, text)
    if not doc.problems:
        check_keys(doc, *keys)
    problems.extend(doc.problems)
    return (doc, text) if not doc.problems else None


def _page_fields(doc: Document, text: str, slug: str, name: str, default_position: int) -> dict:
    return dict(
        slug=slug, name=name, path=doc.path, title=str(doc.meta["title"]).strip(),
        position=doc.meta.get("order", default_position), source=text, body=doc.body, body_line=doc.body_line,
    )


def _load_course(folder: Path, root: Path, problems: list[Problem]) -> CourseDir | None:
    split = _split_name(folder.name, _rel(folder, root), problems)
    page = _read_page(folder / "course.md", root, COURSE_KEYS, problems)
    modules = [_load_module(d, root, problems) for d in _subdirs(folder)]
    modules = [m for m in modules if m is not None]
    _check_unique(modules, problems, "module")
    if not modules:
        problems.append(Problem(_rel(folder / "course.md", root), 1, "course has no module folders"))
    if split is None or page is None:
        return None
    doc, text = page
    course = CourseDir(**_page_fields(doc, text, split[0], folder.name, split[1]),
                       summary=str(doc.meta["summary"]).strip())
    course.modules = sorted(modules, key=lambda m: (m.position, m.slug))
    return course


def _load_module(folder: Path, root: Path, problems: list[Problem]) -> ModuleDir | None:
    split = _split_name(folder.name, _rel(folder, root), problems)
    page = _read_page(folder / "module.md", root, MODULE_KEYS, problems)
    lessons, assets = [], {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.name == "module.md":
            continue
        if path.suffix == ".md":
            lesson = _load_lesson(path, root, problems)
            if lesson is not None:
                lessons.append(lesson)
        else:
            asset = _load_asset(path, root, problems)
            if asset is not None:
                assets[asset.filename] = asset
    _check_unique(lessons, problems, "lesson")
    if not lessons:
        problems.append(Problem(_rel(folder / "module.md", root), 1, "module has no lesson files"))
    if split is None or page is None:
        return None
    doc, text = page
    module = ModuleDir(**_page_fields(doc, text, split[0], folder.name, split[1]),
                       summary=str(doc.meta["summary"]).strip(), assets=assets)
    module.lessons = sorted(lessons, key=lambda lesson: (lesson.position, lesson.slug))
    return module


def _load_lesson(path: Path, root: Path, problems: list[Problem]) -> LessonFile | None:
    split = _split_name(path.stem, _rel(path, root), problems)
    page = _read_page(path, root, LESSON_KEYS, problems)
    if split is None or page is None:
        return None
    doc, text = page
    minutes = doc.meta["minutes"]
    if minutes < 1:
        problems.append(Problem(doc.path, doc.line_of("minutes"), "'minutes' must be at least 1"))
        return None
    return LessonFile(**_page_fields(doc, text, split[0], path.name, split[1]), minutes=minutes)


def _load_asset(path: Path, root: Path, problems: list[Problem]) -> AssetFile | None:
    rel = _rel(path, root)
    content_type = ASSET_TYPES.get(path.suffix.lower())
    if content_type is None:
        allowed = ", ".join(sorted(ASSET_TYPES))
        problems.append(Problem(rel, 1, f"unsupported file type '{path.suffix}' (lessons are .md; assets: {allowed})"))
        return None
    data = path.read_bytes()
    if len(data) > MAX_ASSET_BYTES:
        problems.append(Problem(rel, 1, f"file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB"))
        return None
    if content_type == "image/svg+xml" and UNSAFE_SVG.search(data.decode("utf-8", "replace")):
        problems.append(Problem(rel, 1, "SVG files may not contain scripts, event handlers or foreignObject"))
        return None
    return AssetFile(path.name, content_type, data)


def _check_unique(pages: list[Page], problems: list[Problem], kind: str) -> None:
    seen: dict[str, Page] = {}
    for page in pages:
        if page.slug in seen:
            problems.append(Problem(page.path, 1, f"duplicate {kind} slug '{page.slug}' "
                                                  f"(also used by {seen[page.slug].path})"))
        seen.setdefault(page.slug, page)
