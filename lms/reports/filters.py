"""The dashboard's filters: one GET form shared by every report page and its CSV export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional

from ..extensions import db
from ..models import Cohort, Course, Mission

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


class FilterForm(Form):
    """Filters read from the query string (a GET form: nothing changes, so no CSRF token)."""

    course = SelectField("Course", validators=[Optional()])
    cohort = SelectField("Cohort", validators=[Optional()])
    region = SelectField("Region", validators=[Optional()])
    date_from = DateField("Completed from", validators=[Optional()])
    date_to = DateField("Completed until", validators=[Optional()])

    def fill_choices(self, regions: list[str]) -> None:
        """Offer the live courses, every cohort and the regions the coordinator may see."""
        courses = db.session.execute(select(Course.id, Course.title).where(Course.visible())
                                     .order_by(Course.position, Course.title)).all()
        cohorts = db.session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.name)).all()
        self.course.choices = [(ALL, "All courses")] + [(str(i), t) for i, t in courses]
        self.cohort.choices = [(ALL, "All cohorts")] + [(str(i), n) for i, n in cohorts]
        self.region.choices = [(ALL, "All regions")] + [(r, r) for r in regions]

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


def regions_in_scope(scope: set[str] | None) -> list[str]:
    """The regions a coordinator may see, in order."""
    query = select(Mission.region).distinct().order_by(Mission.region)
    if scope is not None:
        query = query.where(Mission.region.in_(scope))
    return list(db.session.scalars(query))
