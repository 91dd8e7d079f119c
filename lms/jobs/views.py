"""Blueprint ``outbox``: admins see queued and failed messages and queue failed ones again."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from .. import clock, outbox
from ..auth.permissions import role_required
from ..extensions import db
from ..models.outbox import FAILED, OutboxMessage
from ..outbox import smtp
from . import QUEUE_DOWN, jobs

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


class RetryForm(FlaskForm):
    """The retry button: only its CSRF token."""


@bp.route("")
@role_required("admin")
def index():
    """Counts by status, then failed and queued messages, then the latest sent."""
    return render_template("outbox/index.html", counts=outbox.counts(), waiting=outbox.waiting(),
                           sent=outbox.recently_sent(), form=RetryForm(),
                           mail_configured=smtp.is_configured(current_app.config))


@bp.route("/<int:message_id>/retry", methods=["POST"])
@role_required("admin")
def retry(message_id):
    """Queue a failed message again and wake the worker."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if not RetryForm().validate_on_submit():
        flash("The form expired. Please try again.", "error")
    elif message.status != FAILED:
        flash(f"Message {message.id} is {message.status}, not failed: nothing to retry.", "info")
    else:
        outbox.retry(message, clock.now())
        db.session.commit()
        if jobs().deliver_soon([message.id]):
            flash(f"Message {message.id} to {message.recipient} is queued again.", "success")
        else:
            flash(f"Message {message.id} to {message.recipient} is queued again. {QUEUE_DOWN}", "info")
    return redirect(url_for(".index"))
