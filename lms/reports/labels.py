"""The names a report puts on the ids it counts: live courses, cohorts and missions, read once per page.

There are a few courses and cohorts and about a hundred missions, so three small queries give every
label a page needs, and the counting queries read ids alone (no joins to name their rows).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import literal, null, select, union_all

from ..extensions import db
from ..models import Cohort, Course, Mission
from ..models.enrolment import NO_MISSION_ID

NO_MISSION = "(no mission)"


class MissionLabel(NamedTuple):
    code: str | None
    name: str
    region: str


NOBODYS_MISSION = MissionLabel(None, NO_MISSION, NO_MISSION)


@dataclass(frozen=True)
class Labels:
    """Live courses (in course order), cohorts (by name) and missions, by id."""

    courses: dict[int, str]
    cohorts: dict[int, str]
    missions: dict[int, MissionLabel]

    # A row added since the labels were read (another request, mid-page) is named by its id, not an error.
    def course(self, course_id: int) -> str:
        return self.courses.get(course_id) or f"Course {course_id}"

    def cohort(self, cohort_id: int) -> str:
        return self.cohorts.get(cohort_id) or f"Cohort {cohort_id}"

    def mission(self, mission_id: int | None) -> MissionLabel:
        """A mission's label; learners without a mission (None, or the tallies' stand-in) get NO_MISSION."""
        if mission_id is None or mission_id == NO_MISSION_ID:
            return NOBODYS_MISSION
        return self.missions.get(mission_id) or MissionLabel(None, f"Mission {mission_id}", NO_MISSION)

    def regions(self, scope: set[str] | None) -> list[str]:
        """The regions a coordinator may see, in order."""
        return sorted({m.region for m in self.missions.values() if scope is None or m.region in scope})


def _all_labels():
    """Every label in one statement (one round trip): (kind, id, title or name or code, name, region, order)."""
    course, cohort, mission = Course.__table__.c, Cohort.__table__.c, Mission.__table__.c
    return union_all(
        select(literal("course"), course.id, course.title, null(), null(), course.position).where(Course.visible()),
        select(literal("cohort"), cohort.id, cohort.name, null(), null(), literal(0)),
        select(literal("mission"), mission.id, mission.code, mission.name, mission.region, literal(0)),
    )


_ALL_LABELS = _all_labels()


def load() -> Labels:
    """The labels, read in one query."""
    rows: dict[str, list] = {"course": [], "cohort": [], "mission": []}
    for kind, *row in db.session.execute(_ALL_LABELS):
        rows[kind].append(row)
    courses = sorted(rows["course"], key=lambda r: (r[4], r[1]))
    cohorts = sorted(rows["cohort"], key=lambda r: r[1])
    return Labels({r[0]: r[1] for r in courses}, {r[0]: r[1] for r in cohorts},
                  {id_: MissionLabel(code, name, region) for id_, code, name, region, _ in rows["mission"]})
