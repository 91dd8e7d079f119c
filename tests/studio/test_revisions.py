"""History, diffs and restore: every save is kept, compared safely, and can come back as a new revision."""
from lms.models import Lesson
from tests.helpers import submit
from tests.studio.helpers import BASICS, FIRST_STEPS, open_editor, revisions_of, row

EDIT = FIRST_STEPS + "edit"


def save(client, body: str, title: str = "First steps"):
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data={**hidden, "title": title, "minutes": "5", "body": body, "save": "Save"})
    assert response.status_code == 302
    return response


def test_history_lists_authors_times_and_notes(app, client, content, trainer):
    save(client, "Second version.")
    lesson = row(app, Lesson, "first-steps")
    page = client.get(f"/studio/lesson/{lesson.id}/history").get_data(as_text=True)
    revisions = revisions_of(app, "lesson", lesson.id)
    assert "Tess Trainer" in page and ">import<" in page
    assert "imported from file" in page and "edited" in page
    assert revisions[0].created_at.strftime("%Y-%m-%d %H:%M") in page
    assert f'name="a" value="{revisions[0].id}"' in page and f'name="b" value="{revisions[1].id}"' in page
    assert f"Restore revision {revisions[0].id}" in page and f"Restore revision {revisions[1].id}" not in page


def test_diff_marks_added_and_removed_lines_and_escapes_everything(app, client, content, trainer):
    save(client, "Kept line.\n\n<b>old</b> & gone")
    save(client, "Kept line.\n\n<script>alert('new')</script>")
    lesson = row(app, Lesson, "first-steps")
    _, second, third = revisions_of(app, "lesson", lesson.id)
    response = client.get(f"/studio/lesson/{lesson.id}/diff?a={second.id}&b={third.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<tr class="diff-removed">' in page and "− removed" in page
    assert '<tr class="diff-added">' in page and "+ added" in page
    assert "&lt;b&gt;old&lt;/b&gt; &amp; gone" in page
    assert "&lt;script&gt;alert(&#39;new&#39;)&lt;/script&gt;" in page and "<script>alert" not in page
    # Without a choice, the newest revision is compared with the one before.
    assert "&lt;b&gt;old&lt;/b&gt;" in client.get(f"/studio/lesson/{lesson.id}/diff").get_data(as_text=True)


def test_diff_of_revisions_of_another_page_is_not_found(app, client, content, trainer):
    lesson, other = row(app, Lesson, "first-steps"), row(app, Lesson, "second-steps")
    foreign = revisions_of(app, "lesson", other.id)[0]
    assert client.get(f"/studio/lesson/{lesson.id}/diff?a={foreign.id}").status_code == 404
    assert client.get(f"/studio/lesson/{lesson.id}/diff?a=nonsense").status_code == 404


def test_restore_makes_an_old_text_current_as_a_new_revision(app, client, content, trainer):
    original = row(app, Lesson, "first-steps")
    save(client, "Replaced.")
    first = revisions_of(app, "lesson", original.id)[0]
    history = f"/studio/lesson/{original.id}/history"
    response = submit(client, history, f"/studio/lesson/{original.id}/revisions/{first.id}/restore", {})
    assert response.status_code == 302 and response.headers["Location"] == history
    restored = row(app, Lesson, "first-steps")
    assert restored.source == original.source and restored.body_html == original.body_html
    notes = [r.note for r in revisions_of(app, "lesson", original.id)]
    assert notes == ["imported from file", "edited", f"restored revision {first.id}"]


def test_restore_keeps_the_publishing_state(app, client, content, trainer):
    submit(client, BASICS, BASICS + "lessons", {"slug": "later", "title": "Later", "minutes": "2", "body": "Draft."})
    lesson = row(app, Lesson, "later")
    draft_revision = revisions_of(app, "lesson", lesson.id)[0]
    assert submit(client, BASICS, f"/studio/lesson/{lesson.id}/publish", {"publish": "Publish"}).status_code == 302
    assert not row(app, Lesson, "later").draft
    submit(client, BASICS, f"/studio/lesson/{lesson.id}/revisions/{draft_revision.id}/restore", {})
    assert not row(app, Lesson, "later").draft  # the old text came back, the lesson stayed published


def test_restore_of_a_foreign_revision_is_refused(app, client, content, trainer):
    lesson, other = row(app, Lesson, "first-steps"), row(app, Lesson, "second-steps")
    foreign = revisions_of(app, "lesson", other.id)[0]
    response = submit(client, BASICS, f"/studio/lesson/{lesson.id}/revisions/{foreign.id}/restore", {})
    assert response.status_code == 404
    assert row(app, Lesson, "first-steps").source == lesson.source
