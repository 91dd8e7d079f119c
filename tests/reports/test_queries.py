"""Dashboard figures against the hand-worked organisation in conftest.py."""
from datetime import date

from sqlalchemy import select

from lms.extensions import db
from lms.models import Mission
from lms.reports import queries, status
from lms.reports.filters import Filters


def table(app, by, filters=None, scope=None, **where):
    filters = filters or Filters()
    with app.app_context():
        return {row.label: (row.enrolled, row.not_started, row.in_progress, row.completed, row.overdue)
                for row in status.status_table(filters, scope, by, **where)}


def test_by_course_counts_each_learner_once(app, org):
    # enrolled, not started, in progress, completed, overdue
    assert table(app, "course") == {"Introduction course": (4, 1, 2, 1, 2)}


def test_by_region(app, org):
    assert table(app, "region") == {"Europe": (3, 0, 2, 1, 1), "Africa": (1, 1, 0, 0, 1)}


def test_by_mission(app, org):
    assert table(app, "mission") == {"Embassy A": (2, 0, 1, 1, 1), "Embassy B": (1, 0, 1, 0, 0),
                                     "Embassy C": (1, 1, 0, 0, 1)}


def test_by_cohort_counts_each_membership(app, org):
    assert table(app, "cohort") == {"Round 1": (3, 1, 1, 1, 2), "Round 2": (2, 0, 1, 1, 0)}


def test_filters_by_cohort_region_and_course(app, org):
    assert table(app, "course", Filters(cohort_id=org["round2"])) == {"Introduction course": (2, 0, 1, 1, 0)}
    assert table(app, "course", Filters(region="Africa")) == {"Introduction course": (1, 1, 0, 0, 1)}
    assert table(app, "course", Filters(course_id=org["course"] + 999)) == {}


def test_date_range_counts_only_completions_inside_it(app, org):
    inside = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 10))
    outside = Filters(date_from=date(2026, 3, 11))
    assert table(app, "course", inside)["Introduction course"][3] == 1
    # d1 completed before the range: counted by activity instead (in progress) and overdue by Round 1's date
    assert table(app, "course", outside) == {"Introduction course": (4, 1, 3, 0, 3)}


def test_scope_limits_to_the_coordinators_regions(app, org):
    assert table(app, "region", scope={"Africa"}) == {"Africa": (1, 1, 0, 0, 1)}
    assert table(app, "course", scope={"Asia"}) == {}


def test_rate(app, org):
    with app.app_context():
        row = status.status_table(Filters(), None, "course")[0]
    assert row.rate == 25.0


def test_module_table(app, org, coordinator, client, login):
    with app.app_context():
        rows = queries.module_table(Filters(course_id=org["course"]), None, expected=4)
        assert queries.module_table(Filters(), None, expected=4) == []
    assert rows == [("Basics", 4, 1), ("Practice", 4, 1)]
    login(coordinator)  # the page expects the course's learners under the filters: its headline total
    page = client.get(f"/reports/?course={org['course']}&cohort={org['round1']}").get_data(as_text=True)
    assert '<tr><th scope="row">Basics</th><td>3</td><td>1</td>' in page


def test_weekly_completions(app, org):
    with app.app_context():
        weeks = queries.weekly_completions(Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)), None)
    assert weeks[0][0] == date(2026, 2, 23)  # the Monday of 1 March's week
    assert dict(weeks)[date(2026, 3, 9)] == 1 and sum(n for _, n in weeks) == 1


def test_learners_of_a_mission(app, org):
    with app.app_context():
        mission_id = db.session.scalar(select(Mission.id).where(Mission.code == "EMB-A"))
        rows = queries.learners(Filters(), None, mission_id=mission_id)
    assert [(r["name"], r["status"], r["overdue"]) for r in rows] == [("D1", "completed", False),
                                                                       ("D2", "in progress", True)]
    assert rows[0]["completed_at"] is not None and rows[1]["last_activity"] is not None


def test_drafts_are_left_out_of_the_reports(app, org):
    from lms.models import Course, Module
    with app.app_context():
        db.session.scalar(select(Module).where(Module.slug == "practice")).draft = True
        db.session.commit()
        assert [title for title, _, _ in queries.module_table(Filters(course_id=org["course"]), None, 4)] == ["Basics"]
        db.session.scalar(select(Course)).draft = True
        db.session.commit()
    assert table(app, "course") == {} and table(app, "region") == {}
