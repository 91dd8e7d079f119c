"""Quiz posts from many browsers at once: reads hold no lock, writes wait their turn, one attempt has one grade."""
import http.cookiejar
import threading
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AttemptAnswer, QuizAttempt
from tests.helpers import PASSWORD, csrf_token, signed_in_client
from tests.quizzes.helpers import QUIZ, answers, start, submit


def run_together(jobs) -> list:
    """Run the callables in threads released at the same moment; returns what each returned or raised."""
    barrier, results = threading.Barrier(len(jobs)), []

    def run(job):
        barrier.wait()
        try:
            results.append(job())
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_the_same_sheet_posted_from_two_browsers_at_once_is_graded_once(app, quiz_content, make_user):
    user = make_user()
    browsers = [signed_in_client(app, user), signed_in_client(app, user)]
    sheet = start(browsers[0])
    posts = []
    for browser, right in zip(browsers, (False, True), strict=True):
        html = browser.get(sheet).get_data(as_text=True)
        form = {"csrf_token": csrf_token(html), **answers(html, right)}
        posts.append(lambda browser=browser, form=form: browser.post(sheet, data=form).headers["Location"])
    assert run_together(posts) == [sheet + "/review"] * 2
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 6
        assert db.session.scalar(select(QuizAttempt.percent)) in (0, 100)


def test_many_learners_starting_and_submitting_at_once_all_succeed(app, quiz_content, make_user):
    browsers = [signed_in_client(app, make_user()) for _ in range(8)]

    def take_three_attempts(browser):
        return [submit(browser, start(browser), right=bool(n % 2)).status_code for n in range(3)]

    results = run_together([lambda browser=browser: take_three_attempts(browser) for browser in browsers])
    assert results == [[302, 302, 302]] * 8
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.passed.is_not(None))) == 24
        assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 24 * 6


class HttpBrowser:
    """A client over real HTTP with its own cookies; follows redirects like a browser."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, form: dict) -> str:
        """POST the form; returns the path of the page it ends on."""
        body = urllib.parse.urlencode(form, doseq=True).encode()
        with self.opener.open(self.base_url + path, data=body, timeout=30) as response:
            return urllib.parse.urlparse(response.url).path

    def sign_in(self, email: str) -> None:
        page = self.get("/login")
        assert self.post("/login", {"csrf_token": csrf_token(page), "email": email, "password": PASSWORD}) == "/"


def test_two_posts_of_one_sheet_and_a_replay_over_http_grade_once(app, live_server, quiz_content, make_user):
    user = make_user()
    browser = HttpBrowser(live_server)
    browser.sign_in(user.email)
    sheet = browser.post(QUIZ + "/start", {"csrf_token": csrf_token(browser.get(QUIZ))})
    html = browser.get(sheet)
    forms = [{"csrf_token": csrf_token(html), **answers(html, right)} for right in (False, True)]
    ends = run_together([lambda form=form: browser.post(sheet, form) for form in forms])
    ends.append(browser.post(sheet, forms[0]))  # the browser's back button and "send again"
    assert ends == [sheet + "/review"] * 3
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
        assert db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.submitted_at.is_not(None))) == 1
        assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 6
