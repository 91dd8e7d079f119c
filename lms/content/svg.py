"""Decide whether an SVG file is safe to serve: plain drawing only, no scripts or outside references.

The file is parsed as XML (with entity and DTD tricks refused), and every element and
attribute is checked against an allow-list, so encodings, entities and namespace
prefixes cannot smuggle a script past a text search.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError, register_namespace, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "linearGradient", "radialGradient", "stop", "marker", "clipPath", "mask", "pattern",
    "symbol", "use", "metadata",
}
XLINK_NS = "http://www.w3.org/1999/xlink"
URL_IN_VALUE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


def svg_problems(data: bytes) -> list[str]:
    """Why ``data`` is not a safe SVG drawing (the first reason found); an empty list means it is safe."""
    try:
        root = _parse(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        return [f"SVG file is not well-formed XML ({exc})"]
    for element in root.iter():
        namespace, name = _split(element.tag)
        if namespace not in ("", SVG_NS) or name not in ALLOWED_ELEMENTS:
            return [f"SVG element <{name}> is not allowed (only plain drawing elements are)"]
        for attribute, value in element.attrib.items():
            problem = _attribute_problem(attribute, value)
            if problem:
                return [problem]
    return []


def clean_svg(data: bytes) -> bytes:
    """A safe drawing written out again from its parsed tree, so no processing instruction, DTD (with any
    external reference it names) or comment survives. Call only after ``svg_problems`` found none."""
    # Re-written drawings use the prefixes SVG files are written with. ElementTree's registry is process-wide and
    # other libraries register prefixes of their own (a later one for the same address replaces ours): set ours
    # each time.
    register_namespace("", SVG_NS)
    register_namespace("xlink", XLINK_NS)
    return tostring(_parse(data), encoding="utf-8", xml_declaration=False)


def _parse(data: bytes):
    # A DOCTYPE line is common in exported drawings; entities and external references are not allowed.
    return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _attribute_problem(attribute: str, value: str) -> str | None:
    _namespace, name = _split(attribute)
    if name.lower().startswith("on"):
        return f"SVG event handler '{name}' is not allowed"
    if name == "href" and not value.strip().startswith("#"):
        return f"SVG link '{value}' is not allowed: only references inside the file (#id)"
    for target in URL_IN_VALUE.findall(value):
        if not target.startswith("#"):
            return f"SVG reference url({target}) is not allowed: only references inside the file (#id)"
    if "script" in value.lower().replace(" ", "") and ":" in value:
        return "SVG attribute values may not contain script URLs"
    return None
