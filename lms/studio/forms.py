"""Studio forms: creating and editing pages and quizzes, uploading images, and the buttons that only POST."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from ..content.tree import MAX_NAME, MAX_TITLE
from .editing import normalise_newlines, one_line

SLUG_HELP = "Lowercase letters, digits and hyphens, e.g. key-messages. It becomes part of the web address."
MARKDOWN_HELP = "Markdown. Start sections at ## (the title is the page's main heading)."


def _slug_field():
    return StringField("Short name (slug)", description=SLUG_HELP, filters=[lambda s: s.strip() if s else s],
                       validators=[DataRequired("Give a short name."), Length(max=MAX_NAME - 3),
                                   Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                          message="Use only lowercase letters, digits and single hyphens.")])


def _title_field():
    return StringField("Title", filters=[one_line],
                       validators=[DataRequired("Give a title."), Length(max=MAX_TITLE)])


def _summary_field():
    return TextAreaField("Summary (one or two sentences, shown in lists)", filters=[one_line],
                         validators=[DataRequired("Write a short summary."), Length(max=1000)],
                         render_kw={"rows": 2})


def _minutes_field():
    return IntegerField("Reading time in minutes", default=5,
                        validators=[InputRequired("Give the reading time in whole minutes."),
                                    NumberRange(min=1, max=600, message="Between 1 and 600 minutes.")],
                        render_kw={"inputmode": "numeric"})


def _body_field(label: str = "Text"):
    return TextAreaField(label, description=MARKDOWN_HELP, filters=[normalise_newlines],
                         render_kw={"rows": 16, "spellcheck": "true"})


class NewCourseForm(FlaskForm):
    """A new course, created as a draft."""

    slug = _slug_field()
    title = _title_field()
    summary = _summary_field()
    submit = SubmitField("Create course")


class NewModuleForm(NewCourseForm):
    """A new module at the end of a course, created as a draft: the same fields as a new course."""

    submit = SubmitField("Create module")


class NewLessonForm(FlaskForm):
    """A new lesson at the end of a module, created as a draft."""

    slug = _slug_field()
    title = _title_field()
    minutes = _minutes_field()
    body = _body_field("Lesson text")
    submit = SubmitField("Create lesson")


class EditorButtons(FlaskForm):
    """What every editor shares: the hash of the text as opened, and Preview (first: Enter previews) or Save."""

    base_hash = HiddenField()
    preview = SubmitField("Preview")
    save = SubmitField("Save")


class CourseEditForm(EditorButtons):
    """A course's or module's text: title, summary and introduction."""

    title = _title_field()
    summary = _summary_field()
    body = _body_field("Introduction")


class LessonEditForm(EditorButtons):
    """A lesson's text: title, reading time and body."""

    title = _title_field()
    minutes = _minutes_field()
    body = _body_field("Lesson text")


class QuizEditForm(EditorButtons):
    """A quiz's whole file text: its settings are front matter, its questions follow."""

    body = TextAreaField("Quiz file: settings between the --- lines, then the questions", filters=[normalise_newlines],
                         validators=[DataRequired("The quiz is empty.")], render_kw={"rows": 24})
    format = SelectField("Format", default="md", choices=[SelectChoice("md", "Markdown quiz format"),
                                                          SelectChoice("gift", "GIFT (Moodle)")])


class UploadForm(FlaskForm):
    """One image for a module; its content, not its name, decides whether it is accepted."""

    file = FileField("Image file (PNG, JPEG, GIF or SVG, at most 2 MB)",
                     validators=[FileRequired("Choose an image file.")])
    submit = SubmitField("Upload image")


class MoveForm(FlaskForm):
    """Move a module or lesson one place up or down."""

    up = SubmitField("Move up")
    down = SubmitField("Move down")


class PublishForm(FlaskForm):
    """Publish (show to learners) or unpublish (back to draft)."""

    publish = SubmitField("Publish")
    unpublish = SubmitField("Unpublish")


class RetireForm(FlaskForm):
    """Hide a page from learners for good; progress is kept."""

    submit = SubmitField("Retire")


class RestoreForm(FlaskForm):
    """Make an old revision the current text again."""

    submit = SubmitField("Restore this version")
