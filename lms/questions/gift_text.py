"""GIFT escapes and text-format markers, and their conversion to markdown source."""
from __future__ import annotations

import re

# Escaped characters are swapped for private-use placeholders while the question is
# split on its special characters, then swapped back; this is how "\=" can sit inside
# an answer without starting a new one.
_ESCAPABLE = "~=#{}:n\\"
_PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = {ord(mark): ("\n" if char == "n" else char) for char, mark in _PLACEHOLDERS.items()}
_ESCAPE = re.compile(r"\\([~=#{}:n\\])")

FORMAT_MARKER = re.compile(r"^\s*\[(moodle|markdown|html|plain)\]")

# The characters Python-Markdown lets a backslash escape; other backslashes stay visible.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def protect(text: str) -> str:
    """Replace GIFT escapes (``\\=``, ``\\n`` …) by placeholders that no splitting touches."""
    return _ESCAPE.sub(lambda m: _PLACEHOLDERS[m.group(1)], text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for (``\\n`` becomes a newline)."""
    return text.translate(_RESTORE)


def split_format(text: str, default: str) -> tuple[str, str]:
    """Remove a leading ``[html]``-style marker; return (format, remaining text)."""
    match = FORMAT_MARKER.match(text)
    if match:
        return match.group(1), text[match.end():]
    return default, text


def to_markdown(text: str, fmt: str) -> str:
    """Markdown source for GIFT text in format ``fmt``.

    markdown and moodle text are already markdown-like; HTML is valid inside markdown
    (it is sanitised later, like all rendered content); plain text is escaped so
    markdown shows it literally.
    """
    if fmt != "plain":
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
