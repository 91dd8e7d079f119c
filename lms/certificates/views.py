"""The learner's certificate pages (their own only) and the admin's revoke button."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.permissions import LEARNING_ROLES, role_required
from ..extensions import db
from ..models import Certificate
from . import documents, find, revoke
from .addresses import verification_url
from .codes import grouped
from .forms import RevokeForm

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
bp.add_app_template_filter(grouped, "certificate_code")  # 7KQ2M9XD... -> 7KQ2-M9XD-..., on any page


def _own(code: str) -> Certificate:
    """The signed-in learner's certificate with this code; 404 for anyone else's, so codes are not probed."""
    certificate = find(code)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    return certificate


@bp.route("/<code>")
@role_required(*LEARNING_ROLES)
def show(code):
    """The certificate with its facts, QR code, verification address and PDF download."""
    certificate = _own(code)
    address = verification_url(certificate.code)
    return render_template("certificates/show.html", certificate=certificate, code=grouped(certificate.code),
                           address=address, qr=documents.qr_svg(address),
                           pdf_available=documents.pdf_available())


@bp.route("/<code>/certificate.pdf")
@role_required(*LEARNING_ROLES)
def pdf(code):
    """The certificate as a PDF download; back to the page with a message where no PDF engine runs."""
    certificate = _own(code)
    address = verification_url(certificate.code)
    html = render_template("certificates/pdf.html", certificate=certificate, code=grouped(certificate.code),
                           address=address, qr=documents.qr_svg(address))
    document = documents.render_pdf(html)
    if document is None:
        flash("The PDF is unavailable on this server just now; this page is your certificate.", "error")
        return redirect(url_for(".show", code=grouped(certificate.code)))
    filename = f"certificate-{grouped(certificate.code)}.pdf"
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<code>/revoke", methods=["POST"])
@role_required("admin")
def revoke_certificate(code):
    """Revoke a certificate (an admin's decision, recorded with who and when); its holder's page shows it."""
    certificate = find(code) or abort(404)
    if RevokeForm().validate_on_submit():
        revoke(certificate, current_user)
        db.session.commit()
        flash(f"Certificate {grouped(certificate.code)} ({certificate.course_title}) is revoked.", "success")
    return redirect(url_for("admin.user", user_id=certificate.user_id))
