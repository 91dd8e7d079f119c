"""The certificate as a QR code and a PDF.

QR codes come from segno: pure Python, SVG out, no Pillow. PDFs come from WeasyPrint: a Python call
that lays out an HTML page with Pango, in the request or a worker, with no browser process per PDF
(headless Chromium would need one, and a browser on every app server). WeasyPrint is imported only
when a PDF is asked for, so the app starts without it or without Pango, and the page says so.
"""
from __future__ import annotations

import importlib
import logging

import segno
from markupsafe import Markup

log = logging.getLogger(__name__)


def qr_svg(address: str, title: str = "QR code of the verification address") -> Markup:
    """An inline SVG QR code of ``address`` (medium error correction: survives a creased printout)."""
    code = segno.make(address, error="m")
    # segno builds the SVG from the address alone and escapes the title: safe to inline.
    return Markup(code.svg_inline(scale=4, title=title, svgclass="qr", dark="#000", omitsize=True))


def pdf_engine():
    """WeasyPrint's module, or None when it cannot load (not installed, or Pango missing: an OSError)."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:
        log.warning("PDF certificates are unavailable: WeasyPrint cannot load (%s)", exc)
        return None


def pdf_available() -> bool:
    """Whether PDFs can be made here."""
    return pdf_engine() is not None


def render_pdf(html: str) -> bytes | None:
    """The PDF of a self-contained HTML page, or None without an engine.

    The page carries everything inline; the fetcher refuses every address, so text on a certificate
    can never make the server fetch a file or URL.
    """
    engine = pdf_engine()
    if engine is None:
        return None
    fetcher = engine.URLFetcher(allowed_protocols=())
    return engine.HTML(string=html, url_fetcher=fetcher).write_pdf()
