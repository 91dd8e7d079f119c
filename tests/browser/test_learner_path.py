"""A diplomat signs in, opens a module, reads a lesson and completes it, on desktop and phone."""
import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, sign_in_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
def test_diplomat_completes_a_lesson(browser, live_server, content, make_user, screenshot_dir, viewport):
    user = make_user("diplomat", name="Amina Khan")
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in_page(page, live_server, user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Amina Khan")).to_be_visible()

    page.get_by_role("link", name="Introduction course").click()
    basics = page.locator("#module-basics")
    expect(basics.locator("progress")).to_have_attribute("value", "0")
    basics.get_by_role("link", name="First steps").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("First steps")
    expect(page.get_by_text("Lesson 1 of 2")).to_be_visible()
    expect(page.get_by_role("img", name="A small square diagram")).to_be_visible()
    bar = page.get_by_label("Progress in Basics")
    expect(bar).to_have_attribute("value", "0")

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("You completed this lesson.")).to_be_visible()
    expect(bar).to_have_attribute("value", "1")
    expect(page.get_by_text("1 of 2 completed · 50%")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(screenshot_dir / f"lesson-completed-{viewport['width']}.png"), full_page=True)

    page.get_by_role("link", name="Introduction course").first.click()
    expect(page.locator("#module-basics progress")).to_have_attribute("value", "1")
    context.close()


def test_keyboard_only_sign_in_and_skip_link(browser, live_server, content, make_user):
    user = make_user("diplomat")
    page = browser.new_page()
    page.goto(f"{live_server}/login")
    expect(page.get_by_label("Email")).to_be_focused()  # autofocus: type straight away
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Tab")  # the first stop on every page skips the navigation
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Introduction course")).to_be_focused()
    page.close()
