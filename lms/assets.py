"""Serving a lesson's images and files, for learners and for trainers' previews alike."""
from flask import Response, request

from .models import Asset

# A trainer's SVG opened directly must not run anything on our origin.
ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def asset_response(asset: Asset) -> Response:
    """The file, cacheable by the browser for an hour, revalidated by its hash, sandboxed."""
    response = Response(asset.data, mimetype=asset.content_type)
    response.set_etag(asset.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    response.headers["Content-Security-Policy"] = ASSET_CSP
    return response.make_conditional(request)
