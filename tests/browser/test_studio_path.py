"""A trainer builds a module in the browser and publishes it; a diplomat then reads it and passes its quiz."""
import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, sign_in_page

pytestmark = pytest.mark.browser
QUIZ = """---
title: Crisis check
pass_mark: 100
---

## What comes first in a crisis?

- [x] A holding statement
- [ ] The annual report
"""


def add_lesson(page, slug: str, title: str, body: str) -> None:
    """Fill in the module page's 'New lesson' form with the keyboard's help, as a trainer would."""
    form = page.locator("form", has=page.get_by_role("button", name="Create lesson"))
    form.get_by_label("Short name (slug)").fill(slug)
    form.get_by_label("Title").fill(title)
    form.get_by_label("Reading time in minutes").fill("4")
    form.get_by_label("Lesson text").fill(body)
    form.get_by_role("button", name="Create lesson").click()
    expect(page.get_by_text(f"Lesson “{title}” created as a draft.")).to_be_visible()


def test_trainer_builds_and_publishes_a_module_a_diplomat_passes_it(browser, live_server, content, make_user,
                                                                   screenshot_dir):
    trainer, diplomat = make_user("trainer", name="Tess Trainer"), make_user("diplomat", name="Amina Khan")
    studio = browser.new_context(viewport={"width": 360, "height": 740})
    page = studio.new_page()
    sign_in_page(page, live_server, trainer.email, PASSWORD)

    page.get_by_role("link", name="Studio").click()
    page.get_by_role("link", name="Introduction course").click()
    page.get_by_label("Short name (slug)").fill("crisis")
    page.get_by_label("Title").fill("Crisis communication")
    page.get_by_label("Summary (one or two sentences, shown in lists)").fill("The first hours of a crisis.")
    page.get_by_role("button", name="Create module").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Crisis communication")

    add_lesson(page, "first-hour", "The first hour", "## Act fast\n\nPause **scheduled** posts.")
    add_lesson(page, "holding-statement", "Holding statement",
               "Written after [the first hour](01-first-hour.md).")

    # Preview an edit: rendered under the form, nothing saved.
    page.get_by_role("link", name="Holding statement", exact=True).click()
    page.get_by_label("Lesson text").fill("## Preview me\n\nBack to [the first hour](01-first-hour.md).")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading", name="Preview me")).to_be_visible()
    expect(page.get_by_label("Lesson text")).to_have_value(
        "## Preview me\n\nBack to [the first hour](01-first-hour.md).")
    page.screenshot(path=str(screenshot_dir / "studio-preview-360.png"), full_page=True)
    page.get_by_role("link", name="Crisis communication").click()

    page.get_by_role("link", name="Create a quiz").click()
    page.get_by_label("Quiz file: settings between the --- lines, then the questions").fill(QUIZ)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the quiz “Crisis check”.")).to_be_visible()

    page.get_by_role("link", name="Crisis communication").click()
    page.get_by_role("button", name="Publish module: Crisis communication").click()
    expect(page.get_by_text("“Crisis communication” is now published")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("published")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "studio-module-published-360.png"), full_page=True)
    studio.close()

    learner = browser.new_context(viewport={"width": 360, "height": 740})
    page = learner.new_page()
    sign_in_page(page, live_server, diplomat.email, PASSWORD)
    page.goto(f"{live_server}/courses/intro-course/")
    module = page.locator("#module-crisis")
    expect(module.get_by_role("heading", name="Crisis communication")).to_be_visible()
    module.get_by_role("link", name="The first hour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The first hour")
    expect(page.get_by_role("heading", name="Act fast")).to_be_visible()
    page.get_by_role("link", name="Holding statement").click()
    expect(page.get_by_text("Written after")).to_be_visible()  # the saved text, not the unsaved preview
    page.get_by_role("link", name="Module quiz: Crisis check").click()
    page.get_by_role("button", name="Start attempt 1").click()
    page.get_by_label("A holding statement").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "studio-module-quiz-passed-360.png"), full_page=True)
    learner.close()
