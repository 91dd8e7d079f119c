"""The cohort pages: status, refusals, and every action of a training round through the forms."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, CohortCourse, CohortMember, Enrolment, Extension, User
from tests.helpers import count_statements, csrf_token, submit

FUTURE = (date.today() + timedelta(days=40)).isoformat()
PAST = (date.today() - timedelta(days=3)).isoformat()


def members_of(app, cohort_id):
    with app.app_context():
        return set(db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)))


def status_row(app, user_id, course_id):
    with app.app_context():
        row = db.session.get(Enrolment, (user_id, course_id))
        return None if row is None else (row.due_on, row.extended, row.state)


def test_pages_are_for_coordinators_and_admins(client, org, make_user, login):
    assert client.get("/cohorts/").status_code == 302  # to sign in
    login(make_user("diplomat"))
    assert client.get("/cohorts/").status_code == 403
    assert client.get(f"/cohorts/{org['round1']}/").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_list_shows_cohorts_courses_due_dates_and_members(client, org, make_user, login, role):
    login(make_user(role))
    html = client.get("/cohorts/").get_data(as_text=True)
    assert "Round 1" in html and "Round 2" in html and f"due {FUTURE[:0]}" in html
    assert (date.today() + timedelta(days=30)).isoformat() in html
    assert 'href="/cohorts/"' in html  # the navigation link


def test_unknown_cohort_is_404(client, org, coordinator, login):
    login(coordinator)
    assert client.get("/cohorts/99999/").status_code == 404
    assert client.get(f"/cohorts/{org['round1']}/members/99999").status_code == 404


def test_create_a_cohort_and_a_duplicate_name_is_shown_next_to_the_field(app, client, org, coordinator, login):
    login(coordinator)
    response = submit(client, "/cohorts/", "/cohorts/", {"name": "  August   intake "})
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "August intake"))
    assert response.headers["Location"] == f"/cohorts/{cohort.id}/"
    response = submit(client, "/cohorts/", "/cohorts/", {"name": "round 1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="name-error"' in html and "already exists" in html
    assert 'value="round 1"' in html


def test_enrol_with_a_past_date_asks_for_confirmation(app, client, org, coordinator, login):
    login(coordinator)
    page = f"/cohorts/{org['round2']}/"
    response = submit(client, page, f"{page}enrol", {"course": org["course"], "due_on": PAST})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "is in the past" in html and 'name="confirm"' in html
    assert f'value="{PAST}"' in html
    with app.app_context():
        assert db.session.get(CohortCourse, (org["round2"], org["course"])).due_on > date.today()
    response = submit(client, page, f"{page}enrol", {"course": org["course"], "due_on": PAST, "confirm": "y"})
    assert response.status_code == 302
    assert status_row(app, org["d4"], org["course"])[0].isoformat() == PAST


def test_enrol_form_errors_are_shown_next_to_the_fields(client, org, coordinator, login):
    login(coordinator)
    page = f"/cohorts/{org['round2']}/"
    response = submit(client, page, f"{page}enrol", {"course": "99999", "due_on": "next week"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="course-error"' in html and 'id="due_on-error"' in html
    assert 'value="next week"' in html


def test_change_a_due_date_and_unenrol(app, client, org, coordinator, login):
    login(coordinator)
    page = f"/cohorts/{org['round2']}/"
    assert submit(client, page, f"{page}enrol", {"course": org["course"], "due_on": FUTURE}).status_code == 302
    assert status_row(app, org["d4"], org["course"])[0].isoformat() == FUTURE
    assert submit(client, page, f"{page}courses/{org['course']}/unenrol").status_code == 302
    assert status_row(app, org["d4"], org["course"]) is None
    assert status_row(app, org["d1"], org["course"]) is not None  # still in Round 1


def test_members_table_shows_each_persons_state_and_due_date(client, org, coordinator, login):
    login(coordinator)
    html = client.get(f"/cohorts/{org['round1']}/").get_data(as_text=True)
    assert "d1@example.org" in html and "d3@example.org" in html and "3 members" in html
    assert "state-completed" in html and "state-in-progress" in html and "state-not-started" in html


def test_add_people_picked_from_the_list(app, client, org, coordinator, login, make_user):
    newcomer = make_user("diplomat", email="new@example.org", name="Newcomer", mission="EMB-C")
    login(coordinator)
    page = f"/cohorts/{org['round2']}/"
    html = client.get(page + "?q=newcomer").get_data(as_text=True)
    assert "new@example.org" in html and "d2@example.org" not in html
    response = submit(client, page, f"/cohorts/{org['round2']}/members", {"people": [newcomer.id]})
    assert response.status_code == 302
    assert newcomer.id in members_of(app, org["round2"])
    assert status_row(app, newcomer.id, org["course"])[2] == "not started"
    response = submit(client, page, f"/cohorts/{org['round2']}/members", {})
    assert response.status_code == 422


def test_move_remove_and_extend_a_member(app, client, org, coordinator, login):
    login(coordinator)
    base = f"/cohorts/{org['round1']}/members/{org['d2']}"
    assert client.get(base).status_code == 200
    response = submit(client, base, f"{base}/extend", {"course": org["course"], "due_on": PAST})
    assert response.status_code == 422 and 'name="confirm"' in response.get_data(as_text=True)
    assert submit(client, base, f"{base}/extend", {"course": org["course"], "due_on": FUTURE}).status_code == 302
    assert status_row(app, org["d2"], org["course"])[:2] == (date.fromisoformat(FUTURE), True)
    with app.app_context():
        assert db.session.get(Extension, (org["d2"], org["course"])).granted_by_id == coordinator.id
    assert submit(client, base, f"{base}/move", {"target": org["round2"]}).status_code == 302
    assert org["d2"] not in members_of(app, org["round1"]) and org["d2"] in members_of(app, org["round2"])
    base = f"/cohorts/{org['round1']}/members/{org['d3']}"
    assert submit(client, base, f"{base}/remove").status_code == 302
    assert org["d3"] not in members_of(app, org["round1"])
    assert status_row(app, org["d3"], org["course"]) is None


def test_region_limited_coordinator_counts_and_sees_only_their_regions(client, org, africa_coordinator, login):
    login(africa_coordinator)
    html = client.get(f"/cohorts/{org['round1']}/").get_data(as_text=True)
    assert "d3@example.org" in html and "d1@example.org" not in html and "1 member in your regions" in html
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "<td>1</td>" in listing and "<td>0</td>" in listing and "<td>3</td>" not in listing


def test_region_limited_coordinator_gets_404_for_people_outside(app, client, org, africa_coordinator, login,
                                                                make_user):
    european = make_user("diplomat", email="eu@example.org", mission="EMB-A")
    login(africa_coordinator)
    page = f"/cohorts/{org['round1']}/"
    assert "eu@example.org" not in client.get(page).get_data(as_text=True)  # not offered
    base = f"{page}members/{org['d2']}"
    assert client.get(base).status_code == 404
    token = csrf_token(client.get(page).get_data(as_text=True))
    for url, data in [(f"{base}/extend", {"course": org["course"], "due_on": FUTURE}),
                      (f"{base}/move", {"target": org["round2"]}), (f"{base}/remove", {}),
                      (f"/cohorts/{org['round2']}/members", {"people": [european.id]})]:
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    assert org["d2"] in members_of(app, org["round1"]) and european.id not in members_of(app, org["round2"])
    with app.app_context():
        assert db.session.get(Extension, (org["d2"], org["course"])) is None
    # enrolling a cohort is allowed (cohorts are shared)
    assert submit(client, page, f"{page}enrol", {"course": org["course"], "due_on": FUTURE}).status_code == 302


def test_cohort_page_statements_do_not_grow_with_members(app, client, org, coordinator, login, make_user):
    login(coordinator)
    page = f"/cohorts/{org['round1']}/"
    client.get(page)
    with count_statements(app) as before:
        client.get(page)
    extra = [make_user("diplomat", email=f"x{i}@example.org", mission="EMB-B") for i in range(5)]
    with app.app_context():
        db.session.add_all(CohortMember(cohort_id=org["round1"], user_id=u.id) for u in extra)
        db.session.commit()
        from lms.enrolment import status
        status.refresh([u.id for u in extra])
        db.session.commit()
    with count_statements(app) as after:
        assert "x4@example.org" in client.get(page).get_data(as_text=True)
    assert len(after) == len(before)


def test_coordinators_land_on_the_dashboard(client, org, coordinator, make_user):
    from tests.helpers import sign_in
    response = sign_in(client, coordinator)
    assert response.headers["Location"] == "/reports/"
    assert client.get("/").headers["Location"] == "/reports/"
    admin_client = client.application.test_client()
    assert sign_in(admin_client, make_user("admin")).headers["Location"] == "/"


def test_users_fixture_is_consistent(app, org):
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "d1@example.org")) is not None
