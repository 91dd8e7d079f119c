"""The dashboard's filters: one GET form shared by every report page and its CSV export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional, ValidationError

from .labels import Labels

ALL = ""


@dataclass(frozen=True)
class Filters:
    """What the coordinator asked to see; None means no restriction."""

    course_id: int | None = None
    cohort_id: int | None = None
    region: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links and CSV exports."""
        values = {"course": self.course_id, "cohort": self.cohort_id, "region": self.region,
                  "date_from": self.date_from, "date_to": self.date_to}
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


# Dates a report can count from and to: the day after 9999-12-31 does not exist, and nothing happened before 1970.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def within_calendar(_form, field) -> None:
    """Refuse a date outside FIRST_DAY..LAST_DAY, next to its field."""
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(f"Give a date from {FIRST_DAY} to {LAST_DAY}.")


class FilterForm(Form):
    """Filters read from the query string (a GET form: nothing changes, so no CSRF token)."""

    course = SelectField("Course", validators=[Optional()])
    cohort = SelectField("Cohort", validators=[Optional()])
    region = SelectField("Region", validators=[Optional()])
    date_from = DateField("Completed from", validators=[Optional(), within_calendar])
    date_to = DateField("Completed until", validators=[Optional(), within_calendar])

    def fill_choices(self, labels: Labels, scope: set[str] | None) -> None:
        """Offer the live courses, every cohort and the regions the coordinator may see."""
        self.course.choices = [(ALL, "All courses")] + [(str(i), t) for i, t in labels.courses.items()]
        self.cohort.choices = [(ALL, "All cohorts")] + [(str(i), n) for i, n in labels.cohorts.items()]
        self.region.choices = [(ALL, "All regions")] + [(r, r) for r in labels.regions(scope)]

    def filters(self) -> Filters:
        """The validated filters; anything invalid is ignored (and shown next to its field)."""
        self.validate()
        return Filters(
            course_id=_int(self.course.data) if not self.course.errors else None,
            cohort_id=_int(self.cohort.data) if not self.cohort.errors else None,
            region=(self.region.data or None) if not self.region.errors else None,
            date_from=self.date_from.data if not self.date_from.errors else None,
            date_to=self.date_to.data if not self.date_to.errors else None,
        )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
