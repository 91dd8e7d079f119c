"""Images uploaded in the browser: recognised by their content, renamed safely, stored as module assets.

The file's name and the browser's content type are only hints a person (or an attacker) chose;
the bytes decide. A raster image must start with its format's signature; anything else must be
an SVG drawing that parses and passes the same allow-list as SVG files in the content folders.
"""
from __future__ import annotations

import hashlib
import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..content.svg import clean_svg, svg_problems
from ..content.tree import MAX_ASSET_BYTES
from ..extensions import db
from ..models import Asset, Module

SIGNATURES = (  # (leading bytes, extension, content type)
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
)
SVG = ("svg", "image/svg+xml")
MAX_STEM = 80
NOT_AN_IMAGE = "This file is not a PNG, JPEG, GIF or SVG image (its content was checked, whatever its name says)."


class UploadError(Exception):
    """The upload was refused; the message says why, for the trainer."""


def image_type(data: bytes) -> tuple[str, str]:
    """(extension, content type) of an image recognised by its content; raises UploadError."""
    if len(data) > MAX_ASSET_BYTES:
        raise UploadError(f"The file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB.")
    if not data:
        raise UploadError("The file is empty.")
    for signature, extension, content_type in SIGNATURES:
        if data.startswith(signature):
            return extension, content_type
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and _root_is_svg(data):
        problems = svg_problems(data)
        if problems:
            raise UploadError(f"This SVG drawing cannot be used: {problems[0]}.")
        return SVG
    raise UploadError(NOT_AN_IMAGE)


def _root_is_svg(data: bytes) -> bool:
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError):
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def safe_name(filename: str, extension: str) -> str:
    """A stored name made of lowercase letters, digits and hyphens, with the extension the content proved."""
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:MAX_STEM].strip("-")
    return f"{stem or 'image'}.{extension}"


def store_upload(module: Module, filename: str, data: bytes) -> Asset:
    """Check an uploaded image and keep it as the module's asset (replacing an earlier upload of that name).

    Raises UploadError for anything but a safe image, and for a name already used by a content file
    (the next import would overwrite the upload). Adds and flushes; the caller commits.
    """
    extension, content_type = image_type(data)
    if (extension, content_type) == SVG:
        data = clean_svg(data)
    name = safe_name(filename, extension)
    asset = db.session.scalar(db.select(Asset).where(Asset.module_id == module.id, Asset.filename == name))
    if asset is not None and not asset.uploaded:
        raise UploadError(f"'{name}' came from the content files, so it cannot be replaced here: "
                          "rename your file, or change the file in the courses folder.")
    if asset is None:
        asset = Asset(module_id=module.id, filename=name, uploaded=True)
        db.session.add(asset)
    asset.content_type, asset.data, asset.sha256 = content_type, data, hashlib.sha256(data).hexdigest()
    db.session.flush()
    return asset
