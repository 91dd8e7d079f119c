"""Rendered course outlines are reused only for the same content and the same progress."""
from lms.learn import fragments
from tests.helpers import signed_in_client, submit

COURSE = "/courses/intro-course/"
FIRST = "/courses/intro-course/basics/first-steps"


def badge_of(page: str, title: str) -> str:
    """The state badge printed after a lesson's link in the outline."""
    row = page.split(f">{title}</a>", 1)[1].split("</li>", 1)[0]
    return row.split('class="state ', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_each_learner_sees_their_own_progress(app, content, make_user):
    ahead, behind = signed_in_client(app, make_user()), signed_in_client(app, make_user())
    assert badge_of(behind.get(COURSE).get_data(as_text=True), "First steps") == "not started"
    submit(ahead, FIRST, FIRST + "/complete")
    assert badge_of(ahead.get(COURSE).get_data(as_text=True), "First steps") == "completed"
    assert badge_of(behind.get(COURSE).get_data(as_text=True), "First steps") == "not started"


def test_the_outline_follows_the_learners_progress(app, content, make_user):
    learner = signed_in_client(app, make_user())
    before = learner.get(COURSE).get_data(as_text=True)
    assert "0 of 2 completed" in before  # the basics module: two lessons, no quiz
    submit(learner, FIRST, FIRST + "/complete")
    after = learner.get(COURSE).get_data(as_text=True)
    assert badge_of(after, "First steps") == "completed" and after != before


def test_learners_at_the_same_point_share_one_rendering(app, content, make_user):
    for _ in range(3):
        signed_in_client(app, make_user()).get(COURSE)
    outlines = [key for key in app.extensions["rendered_fragments"] if key[0] == "learn/_outline.html"]
    assert len(outlines) == 1


def test_the_store_stays_bounded(app, content, make_user, monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 2)
    for lesson in ("first-steps", "second-steps", None):
        learner = signed_in_client(app, make_user())
        if lesson:
            page = f"/courses/intro-course/basics/{lesson}"
            submit(learner, page, page + "/complete")
        learner.get(COURSE)
        assert len(app.extensions["rendered_fragments"]) <= 2
