"""Quiz requests stay cheap: few statements, nothing loaded the page does not show, one insert of the answers."""
from tests.helpers import count_statements, csrf_token
from tests.quizzes.helpers import QUIZ, answers, start

# The signed-in user and the content version take 2 statements between them (lms/auth, lms/learn/snapshot.py).
AROUND = 2


def quiz_page_statements(app, client) -> list[str]:
    client.get(QUIZ)  # the first page after a content change reloads the worker's content snapshot
    with count_statements(app) as statements:
        assert client.get(QUIZ).status_code == 200
    return statements


def submit_counted(app, client, right: bool) -> list[str]:
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    with count_statements(app) as statements:
        response = client.post(sheet, data={"csrf_token": csrf_token(html), **answers(html, right)})
    assert response.headers["Location"] == sheet + "/review"
    return statements


def test_quiz_page_reads_one_aggregate_and_no_attempt_snapshot(app, client, quiz_content, make_user, login):
    login(make_user())
    fresh = quiz_page_statements(app, client)
    assert len(fresh) <= AROUND + 1, fresh  # the standing; no attempts to list yet
    submit_counted(app, client, right=False)
    one = quiz_page_statements(app, client)
    submit_counted(app, client, right=False)
    submit_counted(app, client, right=False)
    three = quiz_page_statements(app, client)
    assert len(one) == len(three) <= AROUND + 2, three  # the standing and the list of attempts
    for statement in three:
        assert "attempt_answer" not in statement and "quiz_attempt.questions" not in statement, statement


def test_starting_writes_the_attempt_with_its_snapshot_in_one_insert(app, client, quiz_content, make_user, login):
    login(make_user())
    page = client.get(QUIZ).get_data(as_text=True)
    with count_statements(app) as statements:
        assert client.post(QUIZ + "/start", data={"csrf_token": csrf_token(page)}).status_code == 302
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE"))]
    # the attempt, the learner's activity in the course, and their enrolment's status row (if enrolled)
    assert [" ".join(w.split()[:3]).split("(")[0] for w in writes] == [
        "INSERT INTO quiz_attempt", "INSERT INTO course_activity", "UPDATE enrolment SET"]
    assert len(statements) <= AROUND + 4, statements


def test_submission_claims_and_grades_in_one_update_and_inserts_answers_at_once(app, client, quiz_content,
                                                                               make_user, login):
    login(make_user())
    statements = submit_counted(app, client, right=False)
    assert [s.split(" SET")[0] for s in statements if s.startswith("UPDATE")] == ["UPDATE quiz_attempt"]
    assert sum(s.startswith("INSERT INTO attempt_answer") for s in statements) == 1
    assert not any(s.startswith("SAVEPOINT") for s in statements)
    assert len(statements) <= AROUND + 3, statements


def test_a_passing_submission_stays_bounded(app, client, quiz_content, make_user, login):
    login(make_user())
    statements = submit_counted(app, client, right=True)  # passing also looks for module completion
    assert len(statements) <= AROUND + 8, statements
