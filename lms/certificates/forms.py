"""Certificate forms."""
from flask_wtf import FlaskForm
from wtforms import SearchField, SubmitField
from wtforms.validators import DataRequired, Length


class RevokeForm(FlaskForm):
    """Revoking a certificate: a button that POSTs with a CSRF token."""

    submit = SubmitField("Revoke")


class LookupForm(FlaskForm):
    """The public look-up of a typed code: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = SearchField("Verification code", validators=[DataRequired(), Length(max=40)],
                       description="As printed on the certificate, e.g. 7KQ2-M9XD-4T1B-8WZC; dashes optional.")
