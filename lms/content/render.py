"""Markdown to safe HTML: rendered once when content changes, never per request."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import nh3

from .limits import MarkdownRefused, check_limits
from .markdown_process import EXTENSIONS, ConversionFailed, Converter

CONVERTER = Converter()  # its time_limit is set from MARKDOWN_TIME_LIMIT by create_app
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
__all__ = ["EXTENSIONS", "MarkdownRefused", "image_sources", "markdown_to_html", "render_inline", "render_markdown",
           "sanitise"]


@lru_cache(maxsize=256)
def markdown_to_html(text: str) -> str:
    """Markdown to HTML, NOT yet sanitised. Cached: the link check and the renderer share one conversion.

    Raises MarkdownRefused for a text past the limits (limits.py) or the time budget.
    """
    check_limits(text)
    try:
        return CONVERTER.convert(text)
    except ConversionFailed as exc:
        raise MarkdownRefused(1, f"{exc}: simplify the text (very long paragraphs, many brackets "
                                 "or deep nesting are the usual causes)") from None


def render_markdown(text: str, rewrite_url: Callable[[str], str] | None = None) -> str:
    """Render trainer markdown to HTML and sanitise it; ``rewrite_url`` maps link and image URLs."""
    return sanitise(markdown_to_html(text), rewrite_url)


def render_inline(text: str) -> str:
    """Render a short text (an option, a matching item) without the paragraph around it."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def sanitise(html: str, rewrite_url: Callable[[str], str] | None = None) -> str:
    """Keep only harmless tags and attributes; scripts, handlers and ``javascript:`` URLs go."""
    def attribute_filter(_tag: str, attribute: str, value: str) -> str | None:
        if rewrite_url is not None and attribute in ("href", "src"):
            return rewrite_url(value)
        return value

    return _clean(html, attribute_filter)


def image_sources(html: str) -> list[str]:
    """The ``src`` of every image the sanitiser keeps in ``html``, as its own parser read them."""
    sources = []

    def collect(tag: str, attribute: str, value: str) -> str:
        if tag == "img" and attribute == "src":
            sources.append(value)
        return value

    _clean(html, collect)
    return sources


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None]) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer",
    )
