"""Certificates: issued by completing the course through its pages, shown to their owner, verified by anyone,
revoked by an admin."""
from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms import certificates
from lms.accounts import create_mission
from lms.extensions import db
from lms.models import Certificate, Course, CourseCompletion, User
from tests.helpers import detached, signed_in_client, submit, table_rows
from tests.quizzes.helpers import start
from tests.quizzes.helpers import submit as submit_quiz

LESSONS = ["/courses/intro-course/basics/first-steps", "/courses/intro-course/basics/second-steps",
           "/courses/intro-course/practice/drill"]
NAME = "Ada Lovelace-Okafor"
CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def complete(client, urls=LESSONS) -> None:
    """Mark lessons complete through their pages, as a learner would."""
    for url in urls:
        response = submit(client, url, url + "/complete")
        assert response.status_code == 302


def certificates_in(app) -> list[Certificate]:
    with app.app_context():
        found = list(db.session.scalars(select(Certificate).order_by(Certificate.id)))
        db.session.expunge_all()
    return found


@pytest.fixture
def learner(app, make_user):
    with app.app_context():
        create_mission("EMB-LIS", "Embassy in Lisbon", "Portugal", "Europe")
        db.session.commit()
    return make_user("diplomat", email="ada@example.org", name=NAME, mission="EMB-LIS")


@pytest.fixture
def learner_client(app, learner):
    return signed_in_client(app, learner)


@pytest.fixture
def certified(app, content, learner, learner_client) -> str:
    """The learner has completed the test course through its pages; returns the certificate's grouped code."""
    complete(learner_client)
    [certificate] = certificates_in(app)
    return certificates.codes.grouped(certificate.code)


def test_completing_the_course_issues_one_certificate_with_the_facts_frozen(app, content, learner, learner_client):
    complete(learner_client, LESSONS[:2])
    assert certificates_in(app) == []  # the practice module is still to do
    complete(learner_client, LESSONS[2:])
    [certificate] = certificates_in(app)
    completion = detached(app, CourseCompletion, CourseCompletion.user_id == learner.id)
    assert certificate.user_id == learner.id and certificate.learner_name == NAME
    assert certificate.course_title == "Introduction course"
    assert certificate.module_titles == ["Basics", "Practice"]
    assert certificate.completed_on == completion.completed_at.date() == datetime.now(UTC).date()
    assert CODE_SHAPE.match(certificates.codes.grouped(certificate.code)) and certificate.revoked_at is None
    with app.app_context():  # later renames do not change what was certified
        db.session.scalar(select(Course)).title = "Renamed course"
        db.session.get(User, learner.id).name = "Someone Else"
        db.session.commit()
    assert certificates_in(app)[0].course_title == "Introduction course"
    assert certificates_in(app)[0].learner_name == NAME


def test_passing_the_quiz_last_issues_the_certificate(app, quiz_content, learner, learner_client):
    complete(learner_client)
    assert certificates_in(app) == []  # the Basics quiz is not passed yet
    submit_quiz(learner_client, start(learner_client), right=True)
    [certificate] = certificates_in(app)
    assert certificate.module_titles == ["Basics", "Practice"]


def test_issuing_is_idempotent(app, certified, learner, learner_client):
    complete(learner_client)  # completing again changes nothing
    assert len(certificates_in(app)) == 1
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
        assert certificates.issue(learner.id, course_id) == 0 and certificates.issue_missing() == 0
        db.session.add(Certificate(code=certificates.codes.new_code(), user_id=learner.id, course_id=course_id,
                                   learner_name="x", course_title="x", completed_on=datetime.now(UTC).date(),
                                   module_titles=[]))
        with pytest.raises(IntegrityError):  # and the database itself refuses a second one
            db.session.flush()
        db.session.rollback()


def test_the_command_certifies_completions_recorded_before_certificates(app, runner, content, learner):
    """As for the demo generator's bulk completions: the command issues what is missing, once."""
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
        db.session.add(CourseCompletion(user_id=learner.id, course_id=course_id,
                                        completed_at=datetime(2025, 3, 31, 23, 30, tzinfo=UTC)))
        db.session.commit()
    first = runner.invoke(args=["issue-certificates"])
    assert first.exit_code == 0 and "Issued 1 certificate." in first.output
    again = runner.invoke(args=["issue-certificates"])
    assert again.exit_code == 0 and "Issued 0 certificates." in again.output
    [certificate] = certificates_in(app)
    assert str(certificate.completed_on) == "2025-03-31" and certificate.module_titles == ["Basics", "Practice"]


def test_the_completion_day_is_the_day_in_the_timezone(app, content, learner):
    app.config["TIMEZONE"] = "Pacific/Auckland"
    with app.app_context():
        db.session.add(CourseCompletion(user_id=learner.id, course_id=db.session.scalar(select(Course.id)),
                                        completed_at=datetime(2025, 3, 31, 23, 30, tzinfo=UTC)))
        certificates.issue_missing()
        db.session.commit()
    assert str(certificates_in(app)[0].completed_on) == "2025-04-01"


def test_my_progress_links_to_the_certificate_page(certified, learner_client):
    progress = learner_client.get("/progress").get_data(as_text=True)
    assert f'href="/certificates/{certified}"' in progress and "Certificates" in progress
    page = learner_client.get(f"/certificates/{certified}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for fact in (NAME, "Introduction course", "Basics", "Practice", certified, datetime.now(UTC).date().isoformat()):
        assert fact in html, fact
    assert f'href="http://localhost/verify/{certified}"' in html  # no PUBLIC_URL: this request's host
    assert re.search(r'<svg viewBox="[\d ]+" class="qr"><title>QR code of the verification address</title>', html)
    assert f'href="/certificates/{certified}/certificate.pdf"' in html


def test_the_verification_address_uses_public_url_when_set(app, certified, learner_client):
    app.config["PUBLIC_URL"] = "https://academy.example.gov/lms"
    html = learner_client.get(f"/certificates/{certified}").get_data(as_text=True)
    assert f'href="https://academy.example.gov/lms/verify/{certified}"' in html


@pytest.mark.parametrize("who", ["another diplomat", "admin"])
def test_only_the_owner_opens_the_certificate_page(app, certified, make_user, who):
    other = signed_in_client(app, make_user(*(["admin"] if who == "admin" else ["diplomat"])))
    assert other.get(f"/certificates/{certified}").status_code == 404
    assert other.get(f"/certificates/{certified}/certificate.pdf").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, certified):
    response = client.get(f"/certificates/{certified}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_anyone_can_verify_the_facts_and_nothing_else(client, certified):
    page = client.get(f"/verify/{certified}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for fact in (NAME, "Introduction course", "Basics", "Practice", certified, datetime.now(UTC).date().isoformat(),
                 "Certificate verified"):
        assert fact in html, fact
    for private in ("ada@example.org", "EMB-LIS", "Lisbon", "Portugal", "Europe", "diplomat"):
        assert private not in html, private


def test_codes_are_looked_up_in_any_case_with_or_without_dashes(client, certified):
    for typed in (certified.lower(), certified.replace("-", ""), certified.replace("-", "").lower()):
        assert client.get(f"/verify/{typed}").status_code == 200, typed
    typed = client.get("/verify/", query_string={"code": f" {certified.lower()} "})
    assert typed.status_code == 302 and typed.headers["Location"].endswith(certified.lower())


@pytest.mark.parametrize("code", ["0000-0000-0000-0000", "not-a-code", "<b>x"])
def test_an_unknown_code_gives_a_clear_404(client, certified, code):
    response = client.get(f"/verify/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "No certificate has this code" in html and NAME not in html


def test_an_empty_lookup_asks_for_the_code(client):
    assert client.get("/verify/").status_code == 200
    empty = client.get("/verify/", query_string={"code": ""})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.get_data(as_text=True)


def test_an_admin_revokes_from_the_user_page_with_who_and_when(app, client, certified, learner, learner_client,
                                                               make_user):
    admin = make_user("admin")
    admin_client = signed_in_client(app, admin)
    page = admin_client.get(f"/admin/users/{learner.id}").get_data(as_text=True)
    assert f'action="/certificates/{certified}/revoke"' in page and "Introduction course" in page
    response = submit(admin_client, f"/admin/users/{learner.id}", f"/certificates/{certified}/revoke")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{learner.id}"
    [certificate] = certificates_in(app)
    assert certificate.revoked_by_id == admin.id and certificate.revoked_at is not None
    verified = client.get(f"/verify/{certified}").get_data(as_text=True)
    assert "Revoked certificate" in verified and "revoked" in verified and NAME in verified
    assert "revoked" in learner_client.get(f"/certificates/{certified}").get_data(as_text=True)
    assert "revoked" in learner_client.get("/progress").get_data(as_text=True)
    again = submit(admin_client, f"/admin/users/{learner.id}", f"/certificates/{certified}/revoke")
    assert again.status_code == 302 and certificates_in(app)[0].revoked_at == certificate.revoked_at


@pytest.mark.parametrize("roles", [["diplomat"], ["coordinator"], ["trainer"]])
def test_only_admins_revoke(app, certified, learner, learner_client, make_user, roles):
    before = table_rows(app)
    for client in (learner_client, signed_in_client(app, make_user(*roles))):
        assert submit(client, "/", f"/certificates/{certified}/revoke").status_code == 403
    assert table_rows(app)["certificate"] == before["certificate"]


def test_revoking_needs_the_csrf_token(app, certified, make_user):
    admin_client = signed_in_client(app, make_user("admin"))
    assert admin_client.post(f"/certificates/{certified}/revoke").status_code == 400
    assert certificates_in(app)[0].revoked_at is None


def test_the_pdf_states_the_facts(certified, learner_client):
    response = learner_client.get(f"/certificates/{certified}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="certificate-{certified}.pdf"'
    assert response.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for fact in (NAME, "Introduction course", "Basics", "Practice", certified):
        assert fact in text, fact
    assert f"http://localhost/verify/{certified}" in "".join(text.split())  # the address may wrap


def test_without_a_pdf_engine_the_page_says_the_pdf_is_unavailable(monkeypatch, certified, learner_client):
    """The one stand-in: WeasyPrint made unimportable, as on a server without it (or without Pango)."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    html = learner_client.get(f"/certificates/{certified}").get_data(as_text=True)
    assert "The PDF is unavailable" in html and "certificate.pdf" not in html and NAME in html
    response = learner_client.get(f"/certificates/{certified}/certificate.pdf")
    assert response.status_code == 302 and response.headers["Location"] == f"/certificates/{certified}"
    assert "The PDF is unavailable" in learner_client.get(response.headers["Location"]).get_data(as_text=True)


def test_certificates_of_lists_a_learners_certificates(app, certified, learner):
    with app.app_context():
        [certificate] = certificates.certificates_of(learner.id)
        assert certificates.codes.grouped(certificate.code) == certified
        assert certificates.find(certified.lower()) is certificate and certificates.find("nope") is None
        assert db.session.scalar(select(func.count(Certificate.id))) == 1
