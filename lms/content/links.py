"""Find the relative links and images in markdown, check them, and map them to URLs."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .tree import CourseDir, Page

INLINE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_ATTR = re.compile(r"\b(src|href)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
CODE_SPAN = re.compile(r"`+[^`]*`+")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
EXTERNAL_IMAGE = "images must be files beside the lesson, not on another site: '{}'"


@dataclass(frozen=True)
class Target:
    """Something a relative link can point at: a lesson, module, course or asset."""

    kind: str  # "lesson", "module", "course" or "asset"
    course: str
    module: str = ""
    name: str = ""  # lesson slug or asset file name


@dataclass(frozen=True)
class Link:
    line: int
    url: str
    is_image: bool
    alt: str | None = None  # alt text of a markdown image


def find_links(body: str, first_line: int) -> list[Link]:
    """Every link and image target in ``body``, with its line, skipping code."""
    links, in_fence = [], False
    for offset, raw in enumerate(body.splitlines()):
        if FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = CODE_SPAN.sub("", raw)
        number = first_line + offset
        links += [Link(number, m.group(3), m.group(1) == "!", m.group(2)) for m in INLINE.finditer(line)]
        links += [Link(number, m.group(1), False) for m in REFERENCE.finditer(line)]
        links += [Link(number, m.group(2), m.group(1).lower() == "src") for m in HTML_ATTR.finditer(line)]
    return links


def is_relative(url: str) -> bool:
    """True for a path like ``a.md`` or ``../m/b.md``: no scheme, host, leading slash or bare fragment."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#", "?")) or not parts.path)


def site_targets(courses: list[CourseDir]) -> dict[str, Target]:
    """Map each file path (relative to the content root) to what a link to it means."""
    targets: dict[str, Target] = {}
    for course in courses:
        targets[posixpath.join(course.name, "course.md")] = Target("course", course.slug)
        for module in course.modules:
            folder = posixpath.join(course.name, module.name)
            targets[posixpath.join(folder, "module.md")] = Target("module", course.slug, module.slug)
            for lesson in module.lessons:
                targets[posixpath.join(folder, lesson.name)] = Target("lesson", course.slug, module.slug, lesson.slug)
            for filename in module.assets:
                targets[posixpath.join(folder, filename)] = Target("asset", course.slug, module.slug, filename)
    return targets


def resolve(page: Page, url: str) -> str:
    """The content-root path a relative ``url`` in ``page`` points at."""
    folder = posixpath.dirname(page.path.split("/", 1)[1])
    return posixpath.normpath(posixpath.join(folder, unquote(urlsplit(url).path)))


def check_links(page: Page, targets: dict[str, Target]) -> list[Problem]:
    """Problems with the links and images of one page."""
    problems = []
    for link in find_links(page.body, page.body_line):
        if link.is_image and link.alt is not None and not link.alt.strip():
            problems.append(Problem(page.path, link.line, f"image '{link.url}' needs alt text: ![what it shows]({link.url})"))
        if not is_relative(link.url):
            if link.is_image and urlsplit(link.url).scheme in ("http", "https") or link.url.startswith("//"):
                problems.append(Problem(page.path, link.line, EXTERNAL_IMAGE.format(link.url)))
            continue
        target = targets.get(resolve(page, link.url))
        if target is None:
            problems.append(Problem(page.path, link.line, f"broken link: '{link.url}' does not exist"))
        elif link.is_image and target.kind != "asset":
            problems.append(Problem(page.path, link.line, f"image '{link.url}' is not an image file"))
    return problems


def url_rewriter(page: Page, targets: dict[str, Target], url_of: Callable[[Target], str]):
    """A function that turns a relative URL in ``page`` into the site URL of its target."""
    def rewrite(url: str) -> str:
        if not is_relative(url):
            return url
        target = targets.get(resolve(page, url))
        if target is None:
            return url
        fragment = urlsplit(url).fragment
        return url_of(target) + (f"#{fragment}" if fragment else "")
    return rewrite
