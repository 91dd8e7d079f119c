"""The page editors: preview without saving, line-numbered problems, revisions, conflicts, unsafe markdown."""
from lms.models import Course, Lesson, Module
from tests.studio.helpers import BASICS, COURSE, FIRST_STEPS, base_hash, open_editor, revisions_of, row, textarea

EDIT = FIRST_STEPS + "edit"


def lesson_form(hidden: dict, body: str, button: str = "save", title: str = "First steps", minutes: str = "5") -> dict:
    return {**hidden, "title": title, "minutes": minutes, "body": body, button: button.title()}


def test_editor_shows_fields_from_the_text(client, content, trainer):
    html, hidden = open_editor(client, EDIT)
    assert 'value="First steps"' in html and 'value="5"' in html
    assert textarea(html).startswith("**By the end of this lesson** you can take a first step.")
    assert "title:" not in textarea(html)  # front matter is edited in its own fields
    assert len(hidden["base_hash"]) == 64


def test_preview_renders_the_text_and_saves_nothing(app, client, content, trainer):
    before = row(app, Lesson, "first-steps")
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "## A new heading\n\nSee [second](02-second-steps.md).",
                                                  "preview", title="Changed title"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview (not saved)" in page and "<h2>A new heading</h2>" in page
    assert 'href="/studio/courses/intro-course/modules/basics/lessons/second-steps/preview"' in page
    assert textarea(page) == "## A new heading\n\nSee [second](02-second-steps.md)."
    after = row(app, Lesson, "first-steps")
    assert (after.source, after.title, after.body_html) == (before.source, before.title, before.body_html)
    assert len(revisions_of(app, "lesson", after.id)) == 1


def test_save_keeps_a_revision_and_the_old_text(app, client, content, trainer):
    old = row(app, Lesson, "first-steps")
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "New **text**.", title='Steps: "one"', minutes="9"))
    assert response.status_code == 302 and response.headers["Location"] == EDIT
    lesson = row(app, Lesson, "first-steps")
    assert lesson.title == 'Steps: "one"' and lesson.minutes == 9
    assert lesson.body_html == "<p>New <strong>text</strong>.</p>"
    revisions = revisions_of(app, "lesson", lesson.id)
    assert [r.note for r in revisions] == ["imported from file", "edited"]
    assert revisions[0].source == old.source and revisions[1].source == lesson.source
    assert revisions[1].author_id == trainer.id
    assert "Saved" in client.get(EDIT).get_data(as_text=True)


def test_saving_unchanged_text_adds_no_revision(app, client, content, trainer):
    client.post(EDIT, data=lesson_form(open_editor(client, EDIT)[1], "Once."))
    lesson = row(app, Lesson, "first-steps")
    html, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, textarea(html)))
    assert response.status_code == 302
    assert len(revisions_of(app, "lesson", lesson.id)) == 2
    assert row(app, Lesson, "first-steps").source == lesson.source


def test_broken_link_is_shown_with_its_body_line_and_nothing_is_saved(app, client, content, trainer):
    before = row(app, Lesson, "first-steps")
    _, hidden = open_editor(client, EDIT)
    body = "Line one.\n\nLine three.\n\nSee [x](x.md) here."
    response = client.post(EDIT, data=lesson_form(hidden, body))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Line 5 of the text box (line 9 of the composed file, after 4 lines of front matter).
    assert "line 5: broken link: &#39;x.md&#39; does not exist" in page
    assert textarea(page) == body
    assert row(app, Lesson, "first-steps").source == before.source
    assert len(revisions_of(app, "lesson", before.id)) == 1


def test_preview_of_invalid_text_shows_the_problem(client, content, trainer):
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "![](square.svg)", "preview"))
    assert response.status_code == 422
    assert "line 1: image &#39;square.svg&#39; needs alt text" in response.get_data(as_text=True)
    assert "Preview (not saved)" not in response.get_data(as_text=True)


def test_minutes_and_title_are_checked_by_their_fields(app, client, content, trainer):
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "Body.", title="", minutes="0"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give a title." in page and "Between 1 and 600 minutes." in page
    assert row(app, Lesson, "first-steps").title == "First steps"


def test_edit_conflict_keeps_both_texts(app, client, second_trainer, content, trainer):
    _, mine = open_editor(client, EDIT)
    _, theirs = open_editor(second_trainer, EDIT)
    assert second_trainer.post(EDIT, data=lesson_form(theirs, "Their text.")).status_code == 302

    response = client.post(EDIT, data=lesson_form(mine, "My text."))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed by someone else since you opened it" in page
    assert "Their text." in page and textarea(page) == "My text."
    assert "+ added" in page and "− removed" in page
    assert row(app, Lesson, "first-steps").body_html == "<p>Their text.</p>"  # nothing overwritten

    # Saving again from the conflict page is a deliberate overwrite: it carries the new base_hash.
    _, now = open_editor(second_trainer, EDIT)
    assert base_hash(page) == now["base_hash"]
    again = client.post(EDIT, data=lesson_form({"csrf_token": mine["csrf_token"], "base_hash": base_hash(page)},
                                               textarea(page)))
    assert again.status_code == 302
    lesson = row(app, Lesson, "first-steps")
    assert lesson.body_html == "<p>My text.</p>"
    assert [r.note for r in revisions_of(app, "lesson", lesson.id)] == ["imported from file", "edited", "edited"]


def test_a_missing_base_hash_is_a_conflict_not_an_overwrite(app, client, content, trainer):
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form({**hidden, "base_hash": ""}, "Sneaky."))
    assert response.status_code == 409
    assert "Sneaky" not in row(app, Lesson, "first-steps").source


def test_unsafe_markdown_never_reaches_a_page(app, client, content, trainer, make_user):
    _, hidden = open_editor(client, EDIT)
    body = ("<script>alert('s')</script>\n\n<img src=\"square.svg\" alt=\"sq\" onerror=\"alert('e')\">\n\n"
            "<a href=\"square.svg\" onclick=\"alert('c')\">x</a> </textarea><script>alert('t')</script>")
    preview = client.post(EDIT, data=lesson_form(hidden, body, "preview")).get_data(as_text=True)
    assert "<script>alert" not in preview and "onerror" not in preview.split("Preview (not saved)")[1]
    assert client.post(EDIT, data=lesson_form(hidden, body)).status_code == 302
    stored = row(app, Lesson, "first-steps").body_html
    assert "<script" not in stored and "onerror" not in stored and "onclick" not in stored and "alert" not in stored
    for url in (FIRST_STEPS + "preview", EDIT):
        assert "<script>alert" not in client.get(url).get_data(as_text=True)


def test_javascript_links_are_refused_with_their_line(app, client, content, trainer):
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "Hello.\n\n[click](javascript:alert(1))"))
    assert response.status_code == 422
    assert "line 3: &#39;javascript:&#39; links are not allowed" in response.get_data(as_text=True)
    assert "javascript" not in row(app, Lesson, "first-steps").source


def test_course_and_module_editors_save_summary_and_introduction(app, client, content, trainer):
    for url, model, slug in ((COURSE + "edit", Course, "intro-course"), (BASICS + "edit", Module, "basics")):
        html, hidden = open_editor(client, url)
        assert 'name="summary"' in html and 'name="minutes"' not in html
        response = client.post(url, data={**hidden, "title": "Renamed", "summary": "New\r\nsummary.",
                                          "body": "An *introduction*.", "save": "Save"})
        assert response.status_code == 302
        saved = row(app, model, slug)
        assert saved.title == "Renamed" and saved.summary == "New summary."
        assert saved.intro_html == "<p>An <em>introduction</em>.</p>" and not saved.draft


def test_editing_keeps_the_draft_state(app, client, content, trainer):
    client.post(BASICS + "lessons", data={"csrf_token": open_editor(client, EDIT)[1]["csrf_token"],
                                          "slug": "extra", "title": "Extra", "minutes": "2", "body": "x"})
    url = BASICS + "lessons/extra/edit"
    _, hidden = open_editor(client, url)
    client.post(url, data=lesson_form(hidden, "Changed.", title="Extra"))
    assert row(app, Lesson, "extra").draft and row(app, Lesson, "extra").body_html == "<p>Changed.</p>"
