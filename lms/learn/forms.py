"""Learner forms."""
from flask_wtf import FlaskForm
from wtforms import SubmitField


class CompleteLessonForm(FlaskForm):
    """Marking a lesson complete is a POST with a CSRF token (the page writes the two inputs itself)."""

    submit = SubmitField("Mark as complete")
