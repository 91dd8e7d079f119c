"""The coordinator's first screen (headline figures, who is behind), the person page and hidden drafts."""
import csv
import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from lms.certificates import certificates_of, issue
from lms.certificates.codes import grouped
from lms.enrolment import extend, remove_member
from lms.extensions import db
from lms.models import Cohort, Course, Module, User
from tests.helpers import sign_out
from tests.quizzes.helpers import start, submit


def figures(html: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html)}


def test_headline_figures_for_the_chosen_course_and_cohort(client, org, coordinator, login):
    login(coordinator)
    html = client.get(f"/reports/?course={org['course']}&cohort={org['round1']}").get_data(as_text=True)
    assert figures(html) == {"Completed": 1, "In progress": 1, "Not started": 1, "Overdue": 2}
    assert f"due {(date.today() - timedelta(days=1)).isoformat()}" in html
    assert html.index("<dt>Completed</dt>") < html.index("Apply filters")  # figures first, then the form
    everyone = client.get("/reports/").get_data(as_text=True)
    assert figures(everyone) == {"Completed": 1, "In progress": 2, "Not started": 1, "Overdue": 2}
    assert "<strong>due " not in everyone  # Round 1 and Round 2 have different dates


def test_figures_leave_out_learners_who_left(app, client, org, coordinator, login):
    """A tally counts down to zero rather than disappear: a zero adds no due date and no empty row."""
    with app.app_context():
        remove_member(db.session.get(Cohort, org["round2"]), db.session.get(User, org["d4"]))
        db.session.commit()
    login(coordinator)
    html = client.get("/reports/").get_data(as_text=True)
    assert f"<strong>due {(date.today() - timedelta(days=1)).isoformat()}</strong>" in html  # Round 1's, everyone's
    assert "Embassy A" in client.get("/reports/regions/Europe").get_data(as_text=True)
    assert "Embassy B" not in client.get("/reports/regions/Europe").get_data(as_text=True)
    assert ">Round 2</th>" in html  # d1 is still in it


def test_who_is_behind_lists_overdue_and_due_soon_by_mission(app, client, org, coordinator, login):
    with app.app_context():
        d4, course = db.session.get(User, org["d4"]), db.session.get(Course, org["course"])
        extend(d4, course, date.today() + timedelta(days=3))  # now due within a week
        db.session.commit()
    login(coordinator)
    html = client.get("/reports/").get_data(as_text=True)
    behind = html[html.index('id="behind"'):html.index('id="by-course"')]
    assert [name for name in ("D1", "D2", "D3", "D4") if f">{name}</a>" in behind] == ["D2", "D3", "D4"]
    assert behind.index("Embassy A") < behind.index("Embassy B") < behind.index("Embassy C")
    assert f'href="/reports/learners/{org["d2"]}"' in behind and "(extended)" in behind and "never" in behind
    assert 'tabindex="0" role="region" aria-label="Who is behind"' in behind
    assert '<a href="/reports/missions/EMB-A">Embassy A</a>' in behind
    filtered = client.get(f"/reports/?course={org['course']}").get_data(as_text=True)
    assert f'<a href="/reports/missions/EMB-A?course={org["course"]}">Embassy A</a>' in filtered  # keeps the filters
    rows = list(csv.reader(io.StringIO(client.get("/reports/?export=csv&table=behind").get_data(as_text=True))))
    assert [(r[0], r[2], r[7]) for r in rows[1:]] == [("Embassy A", "d2@example.org", "yes"),
                                                        ("Embassy C", "d3@example.org", "yes"),
                                                        ("Embassy B", "d4@example.org", "")]


def test_region_limited_coordinator_sees_only_their_people_behind(client, org, africa_coordinator, login):
    login(africa_coordinator)
    html = client.get("/reports/").get_data(as_text=True)
    assert figures(html) == {"Completed": 0, "In progress": 0, "Not started": 1, "Overdue": 1}
    assert ">D3</a>" in html and ">D2</a>" not in html


def test_person_page_shows_enrolments_modules_and_attempts(app, client, org, coordinator, make_user, login):
    with app.app_context():
        d2, course = db.session.get(User, org["d2"]), db.session.get(Course, org["course"])
        extend(d2, course, date.today() + timedelta(days=10), granted_by=db.session.get(User, coordinator.id))
        db.session.commit()
    login(coordinator)
    html = client.get(f"/reports/learners/{org['d2']}").get_data(as_text=True)
    assert "Round 1" in html and f"extended to {(date.today() + timedelta(days=10)).isoformat()}" in html
    assert "Progress by module" in html and "0 of " in html and "No quiz submitted yet." in html
    assert 'role="region"' in html and "No certificate yet" in html


def test_person_page_links_each_certificate_to_its_verification_page(app, client, org, coordinator, login):
    with app.app_context():
        issue(org["d1"], org["course"])
        certificate = certificates_of(org["d1"])[0]
        code = grouped(certificate.code)
        db.session.commit()
    login(coordinator)
    html = client.get(f"/reports/learners/{org['d1']}").get_data(as_text=True)
    assert f'href="/verify/{code}"' in html and "Introduction course, completed on" in html


def test_person_page_lists_quiz_attempts(client, org, coordinator, make_user, login):
    learner = make_user("diplomat", mission="EMB-A")
    login(learner)
    submit(client, start(client), right=True)
    sign_out(client)
    login(coordinator)
    html = client.get(f"/reports/learners/{learner.id}").get_data(as_text=True)
    assert "100%" in html and "passed" in html


def test_draft_quizzes_never_appear_in_reports(app, client, org, coordinator, login):
    login(coordinator)
    assert 'href="/reports/quizzes/1"' in client.get("/reports/").get_data(as_text=True)
    with app.app_context():
        for module in db.session.scalars(select(Module)):
            module.draft = True
        db.session.commit()
    assert 'href="/reports/quizzes/1"' not in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/quizzes/1").status_code == 404
