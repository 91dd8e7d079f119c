"""Find the relative links and images in markdown, check them, and map them to URLs."""
from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from ..documents.errors import ContentError, Problem
from .render import MarkdownRefused, image_sources, markdown_to_html, render_markdown
from .tree import CourseDir, Page

CODE_SPAN = re.compile(r"`+[^`]*`+")
EXTERNAL_IMAGE = "images must be files beside the lesson, not on another site: '{}'"
LINK_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Target:
    """Something a relative link can point at: a lesson, module, course or asset."""

    kind: str  # "lesson", "module", "course" or "asset"
    course: str
    module: str = ""
    name: str = ""  # lesson slug or asset file name


NUMBER_PREFIX = re.compile(r"(^|/)\d+-")


class Targets(dict):
    """Paths of the content tree mapped to what a link to them means.

    A link still finds its page after the page was renumbered (``02-x.md`` became
    ``03-x.md``, as reordering in the studio does), as long as only one page matches.
    """

    def find(self, path: str) -> Target | None:
        """The target at ``path``, or at the same path with different ``NN-`` numbers."""
        if path in self:
            return self[path]
        if not hasattr(self, "_unnumbered"):
            matches: dict[str, list[Target]] = {}
            for key, target in self.items():
                matches.setdefault(NUMBER_PREFIX.sub(r"\1", key), []).append(target)
            self._unnumbered = {key: found[0] for key, found in matches.items() if len(found) == 1}
        return self._unnumbered.get(NUMBER_PREFIX.sub(r"\1", path))


@dataclass(frozen=True)
class Link:
    line: int
    url: str
    is_image: bool
    alt: str | None = None  # alt text of an image


class _LinkCollector(HTMLParser):
    """Collects link targets and images from rendered HTML, where markdown's own rules have applied."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool, str | None]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append((values["href"], False, None))
        elif tag == "img" and values.get("src") is not None:
            self.found.append((values["src"], True, values.get("alt") or ""))


def find_links(body: str, first_line: int) -> list[Link]:
    """Every link and image in ``body`` as markdown renders it (code is not a link), with its source line."""
    collector = _LinkCollector()
    collector.feed(markdown_to_html(body))
    lines = _prose_lines(body)
    links, cursor, used = [], 0, {}
    for url, is_image, alt in collector.found:
        offset = _next_mention(url, lines, cursor, used)
        if offset is not None:
            cursor = offset  # links come out in source order: look for the next one from here
            used[(offset, url)] = used.get((offset, url), 0) + 1
        links.append(Link(first_line + (offset if offset is not None else 0), url, is_image, alt))
    return links


def _prose_lines(body: str) -> list[str]:
    """The body's lines with code (fenced blocks, indented blocks, inline spans) blanked, entities decoded."""
    prose, fence = [], None
    for raw in body.splitlines():
        marker, line = raw.lstrip()[:3], raw
        if fence is None and marker in ("```", "~~~"):
            fence, line = marker, ""
        elif fence is not None:
            fence, line = (None if marker == fence else fence), ""
        elif raw.startswith(("    ", "\t")) and (not prose or not prose[-1].strip()):
            line = ""
        prose.append(html.unescape(CODE_SPAN.sub("", line)))
    return prose


def _next_mention(url: str, lines: list[str], start: int, used: dict) -> int | None:
    """The first line from ``start`` with a mention of ``url`` not yet matched to an earlier link."""
    for offset in range(start, len(lines)):
        mentions = max(lines[offset].count(url), unquote(lines[offset]).count(unquote(url)))
        if mentions > used.get((offset, url), 0):
            return offset
    return None


def is_relative(url: str) -> bool:
    """True for a path like ``a.md`` or ``../m/b.md``: no scheme, host, leading slash or bare fragment."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#", "?")) or not parts.path)


def site_targets(courses: list[CourseDir]) -> Targets:
    """Map each file path (relative to the content root) to what a link to it means."""
    targets = Targets()
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


def check_links(page: Page, targets: Targets,
                is_file: Callable[[str], bool] = lambda _path: False) -> list[Problem]:
    """Problems with the links and images of one page.

    ``is_file`` says whether a path is a file that exists but did not load; links to it are
    left alone, since that file's own problem is already reported.
    """
    try:
        links = find_links(page.body, page.body_line)
    except MarkdownRefused as exc:
        return [refused_problem(page, exc)]
    problems = []
    for link in links:
        if link.is_image and not (link.alt or "").strip():
            problems.append(Problem(page.path, link.line,
                                    f"image '{link.url}' needs alt text: ![what it shows]({link.url})"))
        if not is_relative(link.url):
            scheme = urlsplit(link.url).scheme.lower()
            if scheme and scheme not in LINK_SCHEMES:
                problems.append(Problem(page.path, link.line, f"'{scheme}:' links are not allowed "
                                                              f"(use {', '.join(LINK_SCHEMES)} or a relative path)"))
            continue
        target = targets.find(resolve(page, link.url))
        if target is None and is_file(resolve(page, link.url)):
            continue
        if target is None:
            problems.append(Problem(page.path, link.line, f"broken link: '{link.url}' does not exist"))
        elif link.is_image and target.kind != "asset":
            problems.append(Problem(page.path, link.line, f"image '{link.url}' is not an image file"))
    return sorted(problems + _external_images(page), key=lambda problem: problem.line)


def render_page(page: Page, rewrite_url: Callable[[str], str]) -> str:
    """The page's body as safe HTML; a text that will not render (seen by ``check_links`` first, unless
    it fell out of the cache and then ran out of time) raises ContentError on its line."""
    try:
        return render_markdown(page.body, rewrite_url)
    except MarkdownRefused as exc:
        raise ContentError([refused_problem(page, exc)]) from None


def refused_problem(page: Page, refused: MarkdownRefused) -> Problem:
    """A text that will not render, as a problem on its line of the page's file."""
    return Problem(page.path, page.body_line + refused.line - 1, refused.message)


def is_external(url: str) -> bool:
    """True for an address on another site, as a browser reads it (it ignores tabs and newlines and takes
    ``\\`` for ``/``, so ``/\\host/x.png`` is ``//host/x.png``)."""
    url = re.sub(r"[\t\n\r]", "", url).replace("\\", "/").strip()
    return bool(urlsplit(url).scheme) or url.startswith("//")


def _external_images(page: Page) -> list[Problem]:
    """Images from other sites, found in the sanitiser's own parse: what the page would really show."""
    lines = _prose_lines(page.body)
    return [Problem(page.path, page.body_line + (_mention_line(src, lines) or 0), EXTERNAL_IMAGE.format(src))
            for src in image_sources(markdown_to_html(page.body)) if is_external(src)]


def _mention_line(url: str, lines: list[str]) -> int | None:
    """The first line that mentions ``url`` (or its host and path, however the prefix was written)."""
    tail = re.sub(r"^[^a-zA-Z0-9]*", "", url.split("//", 1)[-1]) or url
    return next((offset for offset, line in enumerate(lines) if tail in line), None)


def url_rewriter(page: Page, targets: Targets, url_of: Callable[[Target], str]):
    """A function that turns a relative URL in ``page`` into the site URL of its target."""
    def rewrite(url: str) -> str:
        if not is_relative(url):
            return url
        target = targets.find(resolve(page, url))
        if target is None:
            return url
        fragment, site_url = urlsplit(url).fragment, url_of(target)
        # A module link already points at the module's anchor on the course page.
        return site_url + (f"#{fragment}" if fragment and "#" not in site_url else "")
    return rewrite
