"""Read the ``courses/`` folder into plain dataclasses, validating as it goes.

No Flask and no database here: the result is checked in full before anything is
written, so one broken file stops the whole import with every problem listed.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..documents.errors import ContentError, Problem
from ..documents.frontmatter import Document, check_keys, parse_document
from .svg import svg_problems

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
MAX_TITLE = 200  # the database columns' sizes
MAX_NAME = 100
COURSE_KEYS = ({"title": str, "summary": str}, {"order": int, "draft": bool})
MODULE_KEYS = COURSE_KEYS
LESSON_KEYS = ({"title": str, "minutes": int}, {"order": int, "draft": bool})


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
    draft: bool


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
    courses, problems = read_courses(root)
    if problems:
        raise ContentError(problems)
    return courses


def read_courses(root: Path) -> tuple[list[CourseDir], list[Problem]]:
    """Read every course under ``root``: what loaded, and the problems of what did not."""
    problems: list[Problem] = []
    root = root.resolve()  # so that "--courses ." still names files by their folder
    if not root.is_dir():
        raise ContentError.at(str(root), 1, "courses folder does not exist")
    courses = [_load_course(d, root, problems) for d in _subdirs(root)]
    courses = [c for c in courses if c is not None]
    _check_unique(courses, problems, "course")
    return sorted(courses, key=lambda c: (c.position, c.slug)), problems


def _subdirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _visible_files(folder: Path, keep: set[str]) -> list[Path]:
    """Files in ``folder`` other than hidden ones (``.x``, ``_x``) and those named in ``keep``."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith((".", "_")) and p.name not in keep)


def _rel(path: Path, root: Path) -> str:
    return str(Path(root.name) / path.relative_to(root))


def _split_name(name: str, path: str, problems: list[Problem]) -> tuple[str, int] | None:
    """Turn ``02-event-coverage`` into (``event-coverage``, 2), or record why it cannot be a slug."""
    match = NAME.match(name)
    if len(name) > MAX_NAME:
        problems.append(Problem(path, 1, f"name '{name[:40]}…' is longer than {MAX_NAME} characters"))
        return None
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
    doc = parse_page(rel, text, keys)
    problems.extend(doc.problems)
    return (doc, text) if not doc.problems else None


def parse_page(rel: str, text: str, keys) -> Document:
    """Parse a page's text and check its front matter; problems are collected in the document."""
    doc = parse_document(rel, text)
    if not doc.problems:
        check_keys(doc, *keys)
    if not doc.problems and len(str(doc.meta["title"]).strip()) > MAX_TITLE:
        doc.problems.append(Problem(rel, doc.line_of("title"), f"title is longer than {MAX_TITLE} characters"))
    if not doc.problems and "minutes" in keys[0] and doc.meta["minutes"] < 1:
        doc.problems.append(Problem(rel, doc.line_of("minutes"), "'minutes' must be at least 1"))
    return doc


def page_from_text(kind: str, rel: str, name: str, text: str, slug: str, position: int) -> Page:
    """A course, module or lesson page from text typed in the browser; raises ContentError."""
    keys = {"course": COURSE_KEYS, "module": MODULE_KEYS, "lesson": LESSON_KEYS}[kind]
    doc = parse_page(rel, text, keys)
    if doc.problems:
        raise ContentError(doc.problems)
    fields = _page_fields(doc, text, slug, name, position)
    if kind == "lesson":
        return LessonFile(**fields, minutes=doc.meta["minutes"])
    page_type = CourseDir if kind == "course" else ModuleDir
    return page_type(**fields, summary=str(doc.meta["summary"]).strip())


def _page_fields(doc: Document, text: str, slug: str, name: str, default_position: int) -> dict:
    return dict(
        slug=slug, name=name, path=doc.path, title=str(doc.meta["title"]).strip(),
        position=doc.meta.get("order", default_position), source=text, body=doc.body, body_line=doc.body_line,
        draft=bool(doc.meta.get("draft", False)),
    )


def _load_course(folder: Path, root: Path, problems: list[Problem]) -> CourseDir | None:
    split = _split_name(folder.name, _rel(folder, root), problems)
    page = _read_page(folder / "course.md", root, COURSE_KEYS, problems)
    folders = _subdirs(folder)
    for stray in _visible_files(folder, keep={"course.md"}):
        problems.append(Problem(_rel(stray, root), 1, "only course.md belongs in a course folder: "
                                                      "put lessons and images in a module folder"))
    modules = [m for m in (_load_module(d, root, problems) for d in folders) if m is not None]
    _check_unique(modules, problems, "module")
    if not folders:
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
    for inner in _subdirs(folder):
        problems.append(Problem(_rel(inner, root), 1, "folders inside a module are not read: "
                                                      "put images beside the lessons"))
    lessons, assets, lesson_files = [], {}, 0
    for path in _visible_files(folder, keep=set()):
        if path.name == "module.md":
            continue
        if path.suffix == ".md":
            lesson_files += 1
            lesson = _load_lesson(path, root, problems)
            if lesson is not None:
                lessons.append(lesson)
        else:
            asset = _load_asset(path, root, problems)
            if asset is not None:
                assets[asset.filename] = asset
    _check_unique(lessons, problems, "lesson")
    if not lesson_files:
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
    return LessonFile(**_page_fields(doc, text, split[0], path.name, split[1]), minutes=doc.meta["minutes"])


def _load_asset(path: Path, root: Path, problems: list[Problem]) -> AssetFile | None:
    rel = _rel(path, root)
    content_type = ASSET_TYPES.get(path.suffix.lower())
    if len(path.name) > MAX_NAME:
        problems.append(Problem(rel, 1, f"file name is longer than {MAX_NAME} characters"))
        return None
    if content_type is None:
        allowed = ", ".join(sorted(ASSET_TYPES))
        problems.append(Problem(rel, 1, f"unsupported file type '{path.suffix}' (lessons are .md; assets: {allowed})"))
        return None
    data = path.read_bytes()
    if len(data) > MAX_ASSET_BYTES:
        problems.append(Problem(rel, 1, f"file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB"))
        return None
    if content_type == "image/svg+xml":
        svg = svg_problems(data)
        problems.extend(Problem(rel, 1, message) for message in svg)
        if svg:
            return None
    return AssetFile(path.name, content_type, data)


def _check_unique(pages: list[Page], problems: list[Problem], kind: str) -> None:
    seen: dict[str, Page] = {}
    for page in pages:
        if page.slug in seen:
            problems.append(Problem(page.path, 1, f"duplicate {kind} slug '{page.slug}' "
                                                  f"(also used by {seen[page.slug].path})"))
        seen.setdefault(page.slug, page)
