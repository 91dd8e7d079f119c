"""Public verification of a certificate by its code: no account needed, and only what the certificate states."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import render_error
from . import find
from .codes import grouped
from .forms import LookupForm

bp = Blueprint("verify", __name__, url_prefix="/verify")


@bp.route("/")
def lookup():
    """A form to type a code from a paper certificate."""
    form = LookupForm(request.args)
    if request.args and form.validate():
        return redirect(url_for(".show", code=form.code.data.strip()))
    return render_template("verify/lookup.html", form=form), 422 if request.args else 200


@bp.route("/<code>")
def show(code):
    """The facts of the certificate with this code (any case, dashes optional), or a clear 404."""
    certificate = find(code)
    if certificate is None:
        return render_error(404, "No certificate has this code. Check it against the certificate: it has 16 "
                                 "letters and digits, in groups of four.")
    return render_template("verify/show.html", certificate=certificate, code=grouped(certificate.code))
