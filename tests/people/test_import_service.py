"""The import service: every row checked, nothing written unless all are valid, existing accounts updated."""
from datetime import date

import pytest
from sqlalchemy import select

from lms.enrolment import create_cohort, enrol_cohort
from lms.extensions import db
from lms.models import Cohort, CohortMember, Course, Enrolment, User
from lms.people.permissions import REFUSED_ACCOUNT
from lms.people.plan import ImportPlan
from lms.people.services import ImportRefused, apply_plan, import_people, preview_import
from tests.people.helpers import HEADER, find_user


def run(app, text, actor=None, dry_run=False, commit=True):
    """Import ``text`` as ``actor`` (None: the CLI) and commit; returns the outcome."""
    with app.app_context():
        actor = db.session.get(User, actor.id) if actor is not None else None
        outcome = import_people(text, actor, dry_run=dry_run)
        if commit:
            db.session.commit()
        return outcome


BAD_ROWS = [
    ("not-an-email,A,EMB-NAI,,", "bad email 'not-an-email'"),
    (",A,EMB-NAI,,", "missing email"),
    ("a1@example.org,,EMB-NAI,,", "missing name"),
    ("a2@example.org,A,EMB-NOWHERE,,", "unknown mission code 'EMB-NOWHERE'"),
    ("a3@example.org,A,,,", "missing mission code"),
    ("a4@example.org,A,EMB-NAI,,king", "unknown role 'king'"),
    ("a5@example.org,A,EMB-NAI,,diplomat;queen", "unknown role 'queen'"),
    ("a6@example.org," + "N" * 201 + ",EMB-NAI,,", "name longer than 200 characters"),
    ('a7@example.org,"A\x00B",EMB-NAI,,', "name contains control characters"),
    ("a8@example.org,A,EMB-NAI," + "C" * 201 + ",", "cohort name longer than 200 characters"),
    ("a9@example.org,A,EMB-NAI,,,extra", "6 values but the header has 5 columns"),
    ("OK@example.org,Again,EMB-NAI,,", "duplicate email ok@example.org: already on row 2"),
]


def test_each_bad_row_is_reported_with_its_row_number_and_reason(app, missions):
    text = HEADER + "ok@example.org,Okay,EMB-NAI,,\n" + "".join(line + "\n" for line, _ in BAD_ROWS)
    plan = run(app, text).plan
    reported = [(problem.row, problem.message) for problem in plan.problems]
    assert len(reported) == len(BAD_ROWS), reported
    for row, ((_, reason), (got_row, message)) in enumerate(zip(BAD_ROWS, reported, strict=True), start=3):
        assert got_row == row and reason in message, (row, reason, got_row, message)


def test_every_problem_in_the_file_is_reported_in_one_run(app, missions):
    plan = run(app, HEADER + "bad,A,EMB-NAI,,\nb@example.org,,EMB-NOWHERE,,\n").plan
    assert [p.row for p in plan.problems] == [2, 3, 3]


def test_one_bad_row_imports_nothing(app, missions, counts):
    before = counts()
    text = HEADER + "a@example.org,A,EMB-NAI,New cohort,\nb@example.org,B,EMB-NAI,,\nc@example.org,C,NOPE,,\n"
    outcome = run(app, text)
    assert outcome.result is None and [p.row for p in outcome.plan.problems] == [4]
    assert counts() == before


def test_new_accounts_cohorts_and_default_role(app, missions):
    text = HEADER + ("Amina@Example.org,Amina Khan,emb-nai,Spring 2025,\n"
                     "bo@example.org,Bo,EMB-BER,spring 2025,trainer;Diplomat\n")
    outcome = run(app, text)
    assert [len(outcome.result.created), outcome.result.new_cohorts] == [2, ["Spring 2025"]]
    amina, bo = find_user(app, "amina@example.org"), find_user(app, "bo@example.org")
    assert (amina.email, amina.name, amina.mission.code) == ("amina@example.org", "Amina Khan", "EMB-NAI")
    assert amina.roles == {"diplomat"}
    assert bo.roles == {"diplomat", "trainer"} and amina.password_hash is None
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert cohort.name == "Spring 2025"
        assert set(db.session.scalars(select(CohortMember.user_id))) == {amina.id, bo.id}


def test_existing_users_are_updated_not_duplicated(app, missions, make_user, counts):
    existing = make_user("trainer", email="amina@example.org", name="Amina", mission="EMB-BER")
    run(app, HEADER + "AMINA@example.ORG,Amina Khan,EMB-NAI,Spring,diplomat\n")
    after_first = counts()
    assert after_first["User"] == 1 and after_first["CohortMember"] == 1
    user = find_user(app, "amina@example.org")
    assert (user.id, user.name, user.mission.code) == (existing.id, "Amina Khan", "EMB-NAI")
    assert user.roles == {"diplomat", "trainer"}
    assert user.check_password("correct horse battery staple")  # the password is not touched
    second = run(app, HEADER + "amina@example.org,Amina Khan,EMB-NAI,spring,diplomat\n")
    assert second.plan.counts()["unchanged"] == 1 and counts() == after_first  # no duplicate role or membership
    run(app, "email,name,mission\namina@example.org,Amina Khan,EMB-NAI\n")  # no role column: roles stay
    assert find_user(app, "amina@example.org").roles == {"diplomat", "trainer"}


def test_existing_user_is_found_when_the_file_spells_the_domain_in_punycode(app, missions, make_user, counts):
    make_user("diplomat", email="amina@münchen.de", name="Amina", mission="EMB-NAI")
    before = counts()
    outcome = run(app, HEADER + "Amina@xn--mnchen-3ya.de,Amina Khan,EMB-NAI,,\n")
    assert outcome.plan.counts()["change"] == 1 and counts() == before
    assert find_user(app, "amina@münchen.de").name == "Amina Khan"


def test_existing_user_changes_are_listed_in_the_preview(app, missions, make_user):
    make_user("diplomat", email="bo@example.org", name="Bo", mission="EMB-BER")
    plan = run(app, HEADER + "bo@example.org,Bo Berg,EMB-NAI,Autumn,trainer\n", dry_run=True).plan
    [row] = plan.with_action("change")
    assert row.changes == ["name: Bo → Bo Berg", "mission: EMB-BER → EMB-NAI", "adds role trainer",
                           "joins cohort Autumn"]
    assert plan.new_cohorts == ["Autumn"]


def test_dry_run_writes_nothing(app, missions, make_user, counts):
    make_user("diplomat", email="bo@example.org", name="Bo", mission="EMB-BER")
    before = counts()
    outcome = run(app, HEADER + "a@example.org,A,EMB-NAI,New,\nbo@example.org,Bo Berg,EMB-NAI,,\n", dry_run=True)
    assert outcome.plan.ok and outcome.result is None
    assert outcome.plan.counts()["create"] == 1 and outcome.plan.counts()["change"] == 1
    assert counts() == before and find_user(app, "bo@example.org").name == "Bo"


def test_region_scoped_coordinator_may_import_only_into_their_regions(app, scoped_coordinator, counts):
    before = counts()
    text = HEADER + "a@example.org,A,EMB-NAI,,\nb@example.org,B,EMB-BER,,\n"
    plan = run(app, text, actor=scoped_coordinator).plan
    assert [(p.row, p.message) for p in plan.problems] == [
        (3, "mission EMB-BER is in Europe, outside your regions (Africa)")]
    assert counts() == before
    assert run(app, HEADER + "a@example.org,A,EMB-NAI,,\n", actor=scoped_coordinator).result is not None


def test_scoped_coordinator_cannot_move_someone_from_another_region(app, scoped_coordinator, make_user):
    make_user("diplomat", email="bo@example.org", name="Bo", mission="EMB-BER")
    plan = run(app, HEADER + "bo@example.org,Bo,EMB-NAI,,\n", actor=scoped_coordinator).plan
    assert [p.message for p in plan.problems] == [REFUSED_ACCOUNT]


def test_coordinator_cannot_give_manager_roles_or_change_manager_accounts(app, missions, make_user):
    coordinator = make_user("coordinator")
    make_user("coordinator", email="boss@example.org", name="Boss", mission="EMB-NAI")
    make_user("admin", email="root@example.org", name="Root", mission="EMB-NAI")
    text = HEADER + ("x@example.org,X,EMB-NAI,,coordinator\ny@example.org,Y,EMB-NAI,,admin\n"
                     "boss@example.org,Boss,EMB-NAI,,\nroot@example.org,Root,EMB-NAI,,\n")
    plan = run(app, text, actor=coordinator).plan
    assert [(p.row, p.message) for p in plan.problems] == [
        (2, "only an admin can give the role 'coordinator'"),
        (3, "only an admin can give the role 'admin'"),
        (4, REFUSED_ACCOUNT),
        (5, REFUSED_ACCOUNT)]


def test_admin_may_give_any_role(app, missions, make_user):
    admin = make_user("admin")
    assert run(app, HEADER + "x@example.org,X,PMI-NYC,,coordinator;admin\n", actor=admin).result is not None
    assert find_user(app, "x@example.org").roles == {"coordinator", "admin"}


def test_deactivated_account_is_updated_but_stays_deactivated(app, missions, make_user):
    user = make_user("diplomat", email="gone@example.org", name="Gone", mission="EMB-NAI")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    plan = run(app, HEADER + "gone@example.org,Gone Again,EMB-NAI,,\n").plan
    assert plan.with_action("change")[0].note == "deactivated account: stays deactivated"
    assert not find_user(app, "gone@example.org").active


def test_plan_fingerprint_changes_when_the_database_does(app, missions, make_user):
    text = HEADER + "a@example.org,A,EMB-NAI,,\n"
    with app.app_context():
        first = preview_import(text, None).digest()
        assert preview_import(text, None).digest() == first
    make_user("diplomat", email="a@example.org", name="Someone else", mission="EMB-NAI")
    with app.app_context():
        assert preview_import(text, None).digest() != first


def test_header_problem_gives_an_empty_plan_that_cannot_be_applied(app):
    with app.app_context():
        plan = preview_import("email,name,country\n", None)
        assert isinstance(plan, ImportPlan) and plan.rows == [] and {p.row for p in plan.problems} == {1}
        with pytest.raises(ImportRefused):
            apply_plan(plan)


def test_the_cohort_column_enrols_people_in_the_cohorts_courses(app, missions, content):
    with app.app_context():
        course = db.session.scalar(select(Course))
        enrol_cohort(create_cohort("Autumn"), course, date(2099, 1, 31))
        db.session.commit()
        course_id = course.id
    run(app, HEADER + "new@example.org,New,EMB-NAI,autumn,\n")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        row = db.session.get(Enrolment, (user.id, course_id))
        assert (row.due_on, row.state) == (date(2099, 1, 31), "not started")
