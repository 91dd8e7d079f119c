"""Forms for importing people, handing out links, choosing a password and administering accounts."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import HiddenField, PasswordField, SearchField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import ROLES
from ..passwords import MIN_LENGTH, password_problem
from .csvfile import MAX_BYTES

ALL_COHORTS = 0


class UploadForm(FlaskForm):
    """Step one of an import: the CSV file."""

    file = FileField("CSV file (email, name, mission, cohort, role)", validators=[
        FileRequired("Choose a CSV file."),
        FileAllowed(["csv", "txt"], "Choose a .csv file."),
        FileSize(MAX_BYTES, message=f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it."),
    ])
    submit = SubmitField("Check the file")


class ConfirmForm(FlaskForm):
    """Step two: the checked file, carried back signed (see ``carry``)."""

    payload = HiddenField()
    submit = SubmitField("Confirm import")


class LinksForm(FlaskForm):
    """Issue fresh set-password links for the password-less accounts in scope."""

    cohort = SelectField("Accounts", coerce=int, default=ALL_COHORTS)
    submit = SubmitField("Issue links")


class SetPasswordForm(FlaskForm):
    """Choosing a password through a set-password link."""

    password = PasswordField("New password", validators=[DataRequired("Choose a password.")],
                             description="At least 12 characters; a phrase of several unrelated words works well.",
                             render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH})
    confirm = PasswordField("Repeat the password", validators=[
        DataRequired("Repeat the password."), EqualTo("password", "The two passwords are not the same."),
    ], render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Set password")

    def __init__(self, *args, email: str = "", name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email, self.name = email, name

    def validate_password(self, field) -> None:
        """The platform's password rule (length, not the name or email, zxcvbn's strength estimate)."""
        problem = password_problem(field.data or "", self.email, self.name)
        if problem:
            raise ValidationError(problem)


class SearchForm(FlaskForm):
    """The admin's user search: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search by email, name or mission", validators=[Optional(), Length(max=200)])


def at_least_one(_form, field) -> None:
    """A validator for checkboxes; unlike DataRequired it puts no ``required`` on each box."""
    if not field.data:
        raise ValidationError("Choose at least one role.")


class RolesForm(FlaskForm):
    """The roles of one account, as checkboxes; at least one."""

    roles = SelectMultipleField("Roles", choices=list(ROLES), validators=[at_least_one],
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField("Save roles")


class ActionForm(FlaskForm):
    """An empty form: a button that only POSTs (deactivate, reactivate, new link) with a CSRF token."""

    submit = SubmitField("Go")
