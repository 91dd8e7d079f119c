"""Sign-in forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()
    submit = SubmitField("Sign in")


class LogoutForm(FlaskForm):
    """An empty form: logging out is a POST with a CSRF token."""

    submit = SubmitField("Sign out")
