"""Image uploads: accepted by content (never by name or browser type), renamed safely, served to trainers."""
import io
import struct
import zlib

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from lms.extensions import db
from lms.models import Asset
from lms.studio.uploads import UploadError, image_type, safe_name
from tests.helpers import csrf_token, submit
from tests.studio.helpers import BASICS, COURSE

ASSETS = BASICS + "assets"


def tiny_png() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize("data, expected", [
    (tiny_png(), ("png", "image/png")), (JPEG, ("jpg", "image/jpeg")), (GIF, ("gif", "image/gif")),
    (b"GIF87a" + GIF[6:], ("gif", "image/gif")), (SVG, ("svg", "image/svg+xml")),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n" + SVG, ("svg", "image/svg+xml")),
])
def test_images_are_recognised_by_content(data, expected):
    assert image_type(data) == expected


@pytest.mark.parametrize("data, message", [
    (HTML, "not a PNG, JPEG, GIF or SVG"), (b"<p>just text</p>", "not a PNG, JPEG, GIF or SVG"),
    (b"%PDF-1.7", "not a PNG, JPEG, GIF or SVG"), (b"", "empty"),
    (SVG_SCRIPT, "SVG element <script> is not allowed"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>', "event handler"),
    (b'<rect xmlns="http://www.w3.org/2000/svg"/>', "not a PNG, JPEG, GIF or SVG"),  # no <svg> root
    (b"\x89PNG" + b"\x00" * 10, "not a PNG, JPEG, GIF or SVG"),  # a truncated signature
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "larger than 2 MB"),
])
def test_everything_else_is_refused(data, message):
    with pytest.raises(UploadError, match=message):
        image_type(data)


def test_the_size_limit_is_two_megabytes():
    assert image_type(b"GIF89a" + b"\x00" * (2 * 1024 * 1024 - 6)) == ("gif", "image/gif")


@pytest.mark.parametrize("filename, extension, expected", [
    ("Chart (final) V2.PNG", "png", "chart-final-v2.png"), ("../../etc/passwd", "png", "passwd.png"),
    ("C:\\Users\\me\\Photo.jpeg", "jpg", "photo.jpg"), ("évènement.gif", "gif", "v-nement.gif"),
    ("page.html", "png", "page.png"), ("...", "svg", "image.svg"), ("x" * 300 + ".png", "png", "x" * 80 + ".png"),
])
def test_names_are_sanitised_and_take_the_proven_extension(filename, extension, expected):
    assert safe_name(filename, extension) == expected


def upload(client, data: bytes, filename: str, content_type: str = "image/png", url: str = ASSETS):
    """POST the upload form as a browser would (encoded in memory: werkzeug's test client leaves its
    temporary file for large bodies open, which this suite's warnings-as-errors would report)."""
    page = client.get(url).get_data(as_text=True)
    upload = FileStorage(io.BytesIO(data), filename, content_type=content_type)
    fields = {"csrf_token": csrf_token(page), "file": upload}
    stream, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(url, input_stream=stream, content_length=length,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored(app, name: str) -> Asset | None:
    with app.app_context():
        asset = db.session.scalar(select(Asset).where(Asset.filename == name))
        if asset is not None:
            db.session.expunge(asset)
        return asset


@pytest.mark.parametrize("data, filename, name, content_type", [
    (tiny_png(), "My Chart.png", "my-chart.png", "image/png"), (JPEG, "photo.JPG", "photo.jpg", "image/jpeg"),
    (GIF, "anim.gif", "anim.gif", "image/gif"), (SVG, "Diagram.svg", "diagram.svg", "image/svg+xml"),
    (tiny_png(), "named-wrongly.gif", "named-wrongly.png", "image/png"),
])
def test_upload_stores_the_image_as_an_uploaded_asset(app, client, content, trainer, data, filename, name,
                                                     content_type):
    response = upload(client, data, filename, "application/octet-stream")
    assert response.status_code == 302
    asset = stored(app, name)
    # An SVG is kept as re-written from its parsed tree (an empty element gets a space before "/>").
    kept = data.replace(b"/>", b" />") if content_type == "image/svg+xml" else data
    assert asset.uploaded and asset.content_type == content_type and asset.data == kept
    page = client.get(ASSETS).get_data(as_text=True)
    assert f'value="![describe the image]({name})"' in page
    served = client.get(f"{ASSETS}/{name}")
    assert served.status_code == 200 and served.data == kept and served.mimetype == content_type
    assert "sandbox" in served.headers["Content-Security-Policy"]


@pytest.mark.parametrize("prologue", [
    b'<?xml version="1.0"?>\n<?xml-stylesheet href="http://example.org/x.css" type="text/css"?>\n',
    b'<!DOCTYPE svg SYSTEM "http://example.org/svg.dtd">\n',
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
    b'<!DOCTYPE svg [\n  <!ELEMENT svg ANY>\n  <!NOTATION viewer SYSTEM "http://example.org/viewer">\n]>\n',
])
def test_an_uploaded_svg_keeps_no_processing_instruction_or_dtd(app, client, content, trainer, prologue):
    response = upload(client, prologue + SVG.replace(b"<rect", b"<?php echo 1 ?><!-- note --><rect"), "d.svg")
    assert response.status_code == 302
    kept = stored(app, "d.svg").data
    assert b"<?xml-stylesheet" not in kept and b"<!DOCTYPE" not in kept and b"<?php" not in kept
    assert b"example.org" not in kept and b"<!--" not in kept
    assert kept.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"') and b"<rect" in kept
    assert client.get(f"{ASSETS}/d.svg").data == kept


@pytest.mark.parametrize("data, filename, message", [
    (HTML, "innocent.png", "This file is not a PNG, JPEG, GIF or SVG image"),
    (SVG_SCRIPT, "drawing.svg", "SVG element &lt;script&gt; is not allowed"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024 + 1), "big.png", "larger than 2 MB"),
])
def test_lying_unsafe_or_large_files_are_refused_next_to_the_field(app, client, content, trainer, data, filename,
                                                                   message):
    response = upload(client, data, filename, "image/png")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'id="file-error"' in page
    with app.app_context():
        assert db.session.scalar(select(Asset).where(Asset.uploaded.is_(True))) is None


def test_an_upload_replaces_an_earlier_upload_but_never_a_content_file(app, client, content, trainer):
    upload(client, GIF, "pic.gif")
    assert upload(client, GIF[:-1] + b"\x00;", "pic.gif").status_code == 302
    assert stored(app, "pic.gif").data.endswith(b"\x00;")
    original = stored(app, "square.svg")
    assert not original.uploaded
    response = upload(client, SVG, "square.svg")
    assert response.status_code == 422
    assert "came from the content files" in response.get_data(as_text=True)
    assert stored(app, "square.svg").data == original.data


def test_an_uploaded_image_can_be_used_in_a_lesson_and_previewed_in_a_draft_module(app, client, content, trainer):
    submit(client, COURSE, COURSE + "modules", {"slug": "crisis", "title": "Crisis", "summary": "S."})
    module = COURSE + "modules/crisis/"
    assert upload(client, tiny_png(), "map.png", url=module + "assets").status_code == 302
    response = submit(client, module, module + "lessons", {"slug": "hour", "title": "Hour", "minutes": "3",
                                                         "body": "![A map of the region](map.png)"})
    assert response.status_code == 302
    preview = client.get(module + "lessons/hour/preview").get_data(as_text=True)
    assert 'src="/studio/courses/intro-course/modules/crisis/assets/map.png"' in preview
    assert client.get("/studio/courses/intro-course/modules/crisis/assets/map.png").status_code == 200
    assert client.get("/courses/intro-course/crisis/assets/map.png").status_code == 404  # drafts stay hidden
