"""A training round end to end: a coordinator creates a cohort, enrols it, imports three people into it and
follows them on the dashboard; one completes the course; the certificate verifies publicly, signed out."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.accounts import create_mission
from lms.extensions import db
from lms.models import Lesson, Module, User
from tests.helpers import PASSWORD, sign_in_page

pytestmark = pytest.mark.browser
PEOPLE_CSV = """email,name,mission,cohort
amina.khan@example.gov,Amina Khan,EMB-NAI,August round
bilal.ahmed@example.gov,Bilal Ahmed,EMB-NAI,August round
sara.malik@example.gov,Sara Malik,EMB-LON,August round
"""


@pytest.fixture
def missions(app, content):
    with app.app_context():
        create_mission("EMB-NAI", "Embassy Nairobi", "Kenya", "Africa")
        create_mission("EMB-LON", "High Commission London", "United Kingdom", "Europe")
        db.session.commit()


def _figure(page, label: str):
    return page.locator(".figure", has=page.locator("dt", has_text=label)).locator("dd")


def test_a_round_from_cohort_to_verified_certificate(browser, app, live_server, missions, make_user, tmp_path,
                                                      screenshot_dir):
    coordinator = make_user("coordinator", name="Nadia Coordinator")
    due = date.today() + timedelta(days=30)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_page(page, live_server, coordinator.email, PASSWORD)
    expect(page.get_by_role("heading", name="Training dashboard")).to_be_visible()  # coordinators land here

    page.get_by_role("link", name="Cohorts").first.click()
    page.get_by_label("Cohort name").fill("August round")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="August round", level=1)).to_be_visible()
    page.get_by_label("Course", exact=True).select_option(label="Introduction course")
    page.get_by_label("Due date", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Save enrolment").click()
    expect(page.get_by_text(f"due {due.isoformat()}").first).to_be_visible()

    csv_file = tmp_path / "people.csv"
    csv_file.write_text(PEOPLE_CSV)
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("link", name="Import").first.click()
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Accounts to create")).to_be_visible()
    page.get_by_role("button", name="Confirm import").click()

    page.goto(f"{live_server}/reports/")
    page.get_by_label("Course", exact=True).select_option(label="Introduction course")
    page.get_by_label("Cohort", exact=True).select_option(label="August round")
    page.get_by_role("button", name="Apply filters").click()
    expect(_figure(page, "Not started")).to_have_text("3")
    expect(_figure(page, "Completed")).to_have_text("0")
    expect(page.get_by_text(f"due {due.isoformat()}")).to_be_visible()

    with app.app_context():  # Amina chose her password through her set-password link
        amina = db.session.scalar(select(User).where(User.email == "amina.khan@example.gov"))
        amina.set_password(PASSWORD)
        db.session.commit()
        lessons = [(lesson.module.course.slug, lesson.module.slug, lesson.slug) for lesson in db.session.scalars(
            select(Lesson).join(Module).order_by(Module.position, Lesson.position))]
    learner = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in_page(learner, live_server, "amina.khan@example.gov", PASSWORD)
    expect(learner.get_by_text(f"Due on {due.isoformat()}")).to_be_visible()
    for course, module, lesson in lessons:
        learner.goto(f"{live_server}/courses/{course}/{module}/{lesson}")
        learner.get_by_role("button", name="Mark as complete").click()
        expect(learner.get_by_text("You completed this lesson.")).to_be_visible()
    learner.goto(f"{live_server}/progress")
    expect(learner.get_by_role("link", name="Introduction course").last).to_be_visible()

    page.reload()
    expect(_figure(page, "Completed")).to_have_text("1")
    expect(_figure(page, "Not started")).to_have_text("2")
    page.screenshot(path=str(screenshot_dir / "round-dashboard.png"), full_page=True)
    page.get_by_role("link", name="Africa", exact=True).click()
    page.get_by_role("link", name="Embassy Nairobi").click()
    page.get_by_role("link", name="Amina Khan").first.click()
    verification = page.get_by_role("link", name="verification page").get_attribute("href")

    public = browser.new_context(viewport={"width": 360, "height": 740})  # nobody signed in
    anonymous = public.new_page()
    anonymous.goto(live_server + verification)
    main = anonymous.get_by_role("main")
    expect(main).to_contain_text("Amina Khan")
    expect(main).to_contain_text("Introduction course")
    expect(main).to_contain_text(date.today().isoformat())
    expect(main).to_contain_text(verification.rsplit("/", 1)[1])
    expect(main).not_to_contain_text("amina.khan@example.gov")
    expect(main).not_to_contain_text("Nairobi")
    anonymous.screenshot(path=str(screenshot_dir / "round-verification.png"), full_page=True)
    public.close()
    learner.close()
    page.close()
