"""Learner forms."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import AnyOf


class CompleteLessonForm(FlaskForm):
    """Marking a lesson complete is a POST with a CSRF token (the page writes the two inputs itself)."""

    submit = SubmitField("Mark as complete")


class RemindersForm(FlaskForm):
    """Turn due-date reminders on or off: ``wants`` is "on" or "off"."""

    wants = HiddenField(validators=[AnyOf(["on", "off"])])
    submit = SubmitField("Save")
