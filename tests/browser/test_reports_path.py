"""A coordinator filters the dashboard by cohort, drills down to a mission and downloads its CSV."""
import csv

import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, sign_in_page

pytestmark = pytest.mark.browser


def test_filter_drill_down_and_download(browser, live_server, org, coordinator, screenshot_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_page(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Cohort", exact=True).select_option(label="Round 1")
    page.get_by_role("button", name="Apply filters").click()
    by_course = page.get_by_role("table", name="Completion by course")
    expect(by_course.get_by_role("row", name="Introduction course")).to_contain_text("3")

    page.get_by_role("link", name="Europe", exact=True).click()
    expect(page.get_by_role("heading", name="Europe: missions")).to_be_visible()
    # The filter follows the drill-down.
    expect(page.get_by_label("Cohort", exact=True)).to_have_value(str(org["round1"]))
    page.get_by_role("link", name="Embassy A").click()
    expect(page.get_by_role("heading", name="Embassy A")).to_be_visible()
    expect(page.get_by_text("d2@example.org")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "reports-mission.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Name", "Email", "Course", "Status"]
    assert {row[1] for row in rows[1:]} == {"d1@example.org", "d2@example.org"}
    page.close()
