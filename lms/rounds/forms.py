"""Forms of the cohort pages. Every POST goes through one of these (CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SearchField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

MAX_NAME = 200  # Cohort.name


class CohortForm(FlaskForm):
    """A new cohort: a unique name (checked by the service, shown next to the field)."""

    name = StringField("Cohort name", validators=[DataRequired("Give the cohort a name."), Length(max=MAX_NAME)],
                       description="For example “August 2026 intake”. Names are unique.")
    submit = SubmitField("Create cohort")


class PastDateForm(FlaskForm):
    """A form with a due date that may be in the past only when the person ticks ``confirm``."""

    due_on = DateField("Due date", validators=[DataRequired("Give a due date as YYYY-MM-DD.")])
    confirm = BooleanField("Yes, the due date is in the past")


class EnrolForm(PastDateForm):
    """Enrol the cohort in a course, or change the due date of a course it is enrolled in."""

    course = SelectField("Course", coerce=int, validate_choice=True)
    submit = SubmitField("Save enrolment")


class ExtendForm(PastDateForm):
    """A new due date for one person in one course."""

    course = SelectField("Course", coerce=int)
    due_on = DateField("New due date", validators=[DataRequired("Give a due date as YYYY-MM-DD.")])
    submit = SubmitField("Give extension")


class MoveForm(FlaskForm):
    """Move one member to another cohort."""

    target = SelectField("Move to cohort", coerce=int)
    submit = SubmitField("Move")


class AddMembersForm(FlaskForm):
    """The people ticked in the list of candidates; the view checks each may be added."""

    people = SelectMultipleField("People to add", coerce=int, validate_choice=False,
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField("Add to cohort")


class FindPeopleForm(FlaskForm):
    """The filter over the people who can be added: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Find people by name, email or mission", validators=[Optional(), Length(max=200)])


class ActionForm(FlaskForm):
    """An empty form: a button that only POSTs (remove, unenrol) with a CSRF token."""

    submit = SubmitField("Go")
