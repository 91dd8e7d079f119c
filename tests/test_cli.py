"""The account commands and demo data."""
from datetime import date

import pytest
from sqlalchemy import func, select, text

from lms.extensions import db
from lms.models import Cohort, CohortMember, Course, Enrolment, Mission, User


def test_create_mission_and_user_with_piped_password(app, runner):
    result = runner.invoke(args=["create-mission", "emb-abc", "--name", "Embassy in Abc", "--country", "Abcland",
                                 "--region", "Europe"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-user", "Amina@Example.org", "--name", "Amina", "--role", "diplomat",
                                 "--role", "trainer", "--mission", "EMB-ABC"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "amina@example.org" and user.roles == {"diplomat", "trainer"}
        assert user.mission.code == "EMB-ABC" and user.check_password("a long enough password")
        assert "a long enough password" not in user.password_hash


def test_create_user_refuses_duplicates_short_passwords_and_unknown_missions(app, runner):
    ok = runner.invoke(args=["create-user", "a@example.org", "--name", "A", "--role", "diplomat"],
                       input="a long enough password\n")
    assert ok.exit_code == 0
    cases = [
        (["create-user", "A@EXAMPLE.ORG", "--name", "A", "--role", "diplomat"], "already exists"),
        (["create-user", "b@example.org", "--name", "B", "--role", "diplomat"], "at least 12"),
        (["create-user", "e@example.org", "--name", "E", "--role", "diplomat"], "too easy to guess"),
        (["create-user", "c@example.org", "--name", "C", "--role", "diplomat", "--mission", "NOPE"], "unknown mission"),
        (["create-user", "not-an-email", "--name", "D", "--role", "diplomat"], "invalid email"),
    ]
    for args, message in cases:
        password = {"b@": "short\n", "e@": "1234567890123\n"}.get(args[1][:2], "a long enough password\n")
        result = runner.invoke(args=args, input=password)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_user_rejects_unknown_role(runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--name", "A", "--role", "king"], input="x" * 20)
    assert result.exit_code != 0 and "king" in result.output


def test_seed_demo_creates_accounts_once(app, runner, tmp_path):
    app.instance_path = str(tmp_path)
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "password:" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "password:" not in second.output
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert {role for u in users for role in u.roles} == {"diplomat", "trainer", "coordinator", "admin"}
        assert db.session.scalar(select(func.count(Mission.id))) >= 3
    saved = (tmp_path / "demo-accounts.txt").read_text()
    for line in first.output.splitlines():
        if "password:" in line:
            email, password = line.split()[1], line.split()[-1]
            assert line.strip() in saved
            with app.app_context():
                assert db.session.scalar(select(User).where(User.email == email)).check_password(password)


def test_generate_org_leaves_postgresql_with_fresh_planner_statistics(app, runner, content):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("planner statistics are refreshed on PostgreSQL only")
    result = runner.invoke(args=["generate-org", "--diplomats", "30", "--missions", "3", "--regions", "2"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        analysed = db.session.scalar(text(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'cohort_member'"))
    assert analysed


def test_seed_demo_shows_a_live_round_the_demo_diplomat_is_in(app, runner, tmp_path, content):
    app.instance_path = str(tmp_path)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "Live round" in result.output, result.output
    with app.app_context():
        diplomat = db.session.scalar(select(User).where(User.email == "diplomat@example.org"))
        live = db.session.scalar(select(Cohort).where(Cohort.name.startswith("Live round")))
        due = {e.due_on for e in live.enrolments}
        assert len(due) == 1 and 14 <= (due.pop() - date.today()).days <= 28
        assert {e.course_id for e in live.enrolments} == set(db.session.scalars(select(Course.id)
                                                                              .where(Course.visible())))
        assert db.session.get(CohortMember, (live.id, diplomat.id)) is not None
        rows = db.session.scalars(select(Enrolment).where(Enrolment.user_id == diplomat.id)).all()
        assert rows and all(row.due_on >= date.today() for row in rows)
