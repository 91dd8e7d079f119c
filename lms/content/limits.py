"""Limits on a markdown text, checked before it is rendered: its size, how deeply it nests, open brackets.

Python-Markdown slows down sharply on some shapes of text: a paragraph of 20,000 ``[`` took 30 s,
lists nested hundreds deep exhaust Python's recursion, thousands of footnotes take seconds. These
caps refuse such texts at once with a message for the author; they are far above real lessons
(the longest in courses/ has 7,600 characters, three levels of lists and a handful of brackets).
The time budget (markdown_process.py) stops whatever else is slow.
"""
from __future__ import annotations

import re

MAX_MARKDOWN_CHARS = 100_000
MAX_NESTING = 20  # levels of quotes and lists; a list item counts a level per 2 spaces of indentation
MAX_OPEN_BRACKETS = 50  # [ and ( not yet closed within one paragraph
MAX_FOOTNOTES = 300  # footnote marks ([^x]) in one text

QUOTE_MARKERS = re.compile(r"(?:[ \t]*>[ \t]?)*")
LIST_ITEM = re.compile(r"([ \t]*)(?:[-*+]|\d+[.)])[ \t]")
BRACKET = re.compile(r"\\.|[\[\]()]")
FENCE = re.compile(r"[ \t]*(```|~~~)")


class MarkdownRefused(Exception):
    """A text that will not be rendered; ``line`` (1-based, within the text) says where, ``message`` why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def check_limits(text: str) -> None:
    """Raise MarkdownRefused at the first limit ``text`` passes."""
    if len(text) > MAX_MARKDOWN_CHARS:
        raise MarkdownRefused(1, f"the text has {len(text):,} characters; a page holds at most "
                                 f"{MAX_MARKDOWN_CHARS:,} characters (split it into several pages)")
    footnotes = text.count("[^")
    if footnotes > MAX_FOOTNOTES:
        raise MarkdownRefused(_line_of_nth(text, "[^", MAX_FOOTNOTES + 1),
                              f"the text has {footnotes:,} footnote marks; a page has at most {MAX_FOOTNOTES}")
    open_brackets, fence = 0, None
    for number, line in enumerate(text.split("\n"), start=1):
        marker = FENCE.match(line)
        if marker and marker[1] == (fence or marker[1]):
            fence, open_brackets = (None if fence else marker[1]), 0
            continue
        if fence:
            continue
        if not line.strip():
            open_brackets = 0  # a blank line ends the paragraph, and the search for its closing brackets
            continue
        _check_nesting(number, line)
        open_brackets = _check_brackets(number, line, open_brackets)


def _check_nesting(number: int, line: str) -> None:
    quotes = QUOTE_MARKERS.match(line)[0]
    item = LIST_ITEM.match(line, len(quotes))
    depth = quotes.count(">") + (len(item[1].expandtabs(4)) // 2 + 1 if item else 0)
    if depth > MAX_NESTING:
        raise MarkdownRefused(number, f"lists and quotes are nested {depth} levels deep here; "
                                      f"at most {MAX_NESTING} levels are allowed")


def _check_brackets(number: int, line: str, open_brackets: int) -> int:
    for match in BRACKET.finditer(line):
        if match[0] in "[(":
            open_brackets += 1
            if open_brackets > MAX_OPEN_BRACKETS:
                raise MarkdownRefused(number, f"more than {MAX_OPEN_BRACKETS} brackets are open at once in this "
                                              f"paragraph; at most {MAX_OPEN_BRACKETS} (write \\[ for a bracket "
                                              "that is not a link)")
        elif match[0] in "])":
            open_brackets = max(open_brackets - 1, 0)
    return open_brackets


def _line_of_nth(text: str, needle: str, count: int) -> int:
    position = -1
    for _ in range(count):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1
