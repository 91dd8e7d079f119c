"""150 diplomats taking the course: sign in, open the course, read lessons, mark some complete,
take and submit module quizzes and read the review.

Each simulated user is a distinct account (diplomat-001@load.example.org ... created by load/server.py).
Every request checks its status (and, for writes, where the redirect leads); a page that does not answer
as expected is a failure in Locust's stats. What the server acknowledged is recorded per user and written
as JSON to $LOAD_RESULTS when Locust quits, for load/run.py to compare with the database:

- a lesson completion is acknowledged by a 302 back to the lesson, whose page then shows it completed;
- a quiz submission is acknowledged by a 302 to the attempt's review page.

Writes that got no acknowledgement (an error status, a dropped connection, a redirect elsewhere) are
recorded too, with their times, as "unacknowledged": the chaos run may find some of those in the database
(the server committed, the answer was lost), the plain load run must not.

    locust -f load/locustfile.py --headless -u 150 -r 25 -t 60s --host http://127.0.0.1:PORT
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

EMAIL_PATTERN = "diplomat-{:03d}@load.example.org"
PASSWORD = "harbour lantern quietly sings"
USERS = int(os.environ.get("LOAD_USERS", "150"))
COMPLETE_SHARE = float(os.environ.get("LOAD_COMPLETE_SHARE", "0.6"))  # lessons read that get marked complete

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
COURSE_LINK = re.compile(r'href="(/courses/[\w-]+/)"')
LESSON_LINK = re.compile(r'href="(/courses/[\w-]+/[\w-]+/(?!quiz")[\w-]+)"')
QUIZ_LINK = re.compile(r'href="(/courses/[\w-]+/[\w-]+/quiz)"')
ATTEMPT_PATH = re.compile(r"^/quiz/attempts/(\d+)$")
CONTINUE_LINK = re.compile(r'href="(/quiz/attempts/\d+)">Continue your attempt')
FORM_ENCODED = {"Content-Type": "application/x-www-form-urlencoded"}

_numbers = itertools.count(1)
_lock = threading.Lock()
RESULTS: dict[str, dict] = {}
FAILURES: list[dict] = []
TIMELINE: dict[int, list[int]] = {}  # second -> [requests, failures], every request including the stop phase


def _csrf(html: str) -> str | None:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else None


def _path(location: str | None) -> str:
    return urlsplit(location or "").path


class AnswerSheet(HTMLParser):
    """The answer sheet's fields: radio and checkbox groups, text inputs, and matching drop-downs."""

    def __init__(self, html: str):
        super().__init__()
        self.questions = 0
        self.choices: dict[str, tuple[str, list[str]]] = {}  # name -> (radio|checkbox, values)
        self.texts: dict[str, bool] = {}  # name -> numerical?
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset" and "question" in (a.get("class") or "").split():
            self.questions += 1
        elif tag == "input" and re.fullmatch(r"q\d+", a.get("name") or ""):
            kind = a.get("type")
            if kind in ("radio", "checkbox"):
                self.choices.setdefault(a["name"], (kind, []))[1].append(a.get("value", ""))
            elif kind == "text":
                self.texts[a["name"]] = a.get("inputmode") == "decimal"
        elif tag == "select" and re.fullmatch(r"q\d+-\d+", a.get("name") or ""):
            self._select = a["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def fields(self) -> set[str]:
        return set(self.choices) | set(self.texts) | {name.split("-")[0] for name in self.selects}

    def answers(self, rng: random.Random) -> list[tuple[str, str]]:
        """An answer to every question, as the test helpers post them.

        One field per question, and q<N>-<i> for each left-hand item of a matching question.
        """
        data = []
        for name, (kind, values) in self.choices.items():
            if kind == "radio":
                data.append((name, rng.choice(values)))
            else:
                data.extend((name, v) for v in rng.sample(values, rng.randint(1, len(values))))
        for name, numerical in self.texts.items():
            data.append((name, str(rng.choice([42, 60.4, 7])) if numerical else rng.choice(["alt text", "a caption"])))
        for name, values in self.selects.items():
            data.append((name, rng.choice(values)))
        return data


class Diplomat(FastHttpUser):
    wait_time = between(float(os.environ.get("LOAD_WAIT_MIN", "0.5")), float(os.environ.get("LOAD_WAIT_MAX", "2")))

    def on_start(self):
        number = next(_numbers)
        if number > USERS:
            raise StopUser()  # never two simulated users on one account
        self.email = EMAIL_PATTERN.format(number)
        self.rng = random.Random(number)
        self.record = RESULTS.setdefault(self.email, {"completed": [], "submitted": [], "unacknowledged": [],
                                                      "logins": 0, "attempts_started": 0})
        self.signed_in = False
        self.lessons: list[str] = []
        self.quizzes: list[str] = []
        self.exhausted: set[str] = set()
        self.next_lesson = 0
        self.sign_in()

    # -- helpers -------------------------------------------------------------------------------------------

    def get(self, path: str, name: str, must_contain: str | None = None) -> str | None:
        """GET a page that must answer 200 (and contain ``must_contain``); returns its HTML or None."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"GET {name}: {response.status_code} {response.headers.get('Location', '')}")
                if response.status_code == 302 and _path(response.headers.get("Location")) == "/login":
                    self.signed_in = False
                return None
            html = response.text or ""
            if must_contain and must_contain not in html:
                response.failure(f"GET {name}: page lacks {must_contain!r}")
                return None
            return html

    def post(self, path: str, name: str, data: list[tuple[str, str]] | dict):
        """POST a form without following the redirect; the caller checks the answer. Returns (response, t0, t1)."""
        t0 = time.time()
        response = self.client.post(path, name=name, data=urlencode(data, doseq=True), headers=FORM_ENCODED,
                                    allow_redirects=False, catch_response=True)
        return response, t0, time.time()

    def unacknowledged(self, kind: str, what, response, t0: float, t1: float, reason: str) -> None:
        self.record["unacknowledged"].append({"kind": kind, "what": what, "status": response.status_code,
                                              "reason": reason[:300], "t0": t0, "t1": t1})

    # -- the journey ---------------------------------------------------------------------------------------

    def sign_in(self) -> None:
        html = self.get("/login", "/login")
        token = html and _csrf(html)
        if not token:
            return
        response, _, _ = self.post("/login", "/login [POST]", {"email": self.email, "password": PASSWORD,
                                                               "csrf_token": token, "next": ""})
        with response:
            if response.status_code == 302 and _path(response.headers.get("Location")) == "/":
                self.signed_in = True
                self.record["logins"] += 1
            else:
                response.failure(f"sign-in: {response.status_code} {response.headers.get('Location', '')}")

    def discover(self) -> bool:
        """Open the catalogue and the course; remember its lessons and quizzes."""
        if self.lessons:
            return True
        catalogue = self.get("/courses/", "/courses/")
        courses = COURSE_LINK.findall(catalogue or "")
        if not courses:
            return False
        course = self.get(courses[0], "/courses/[course]/")
        if not course:
            return False
        self.lessons = list(dict.fromkeys(LESSON_LINK.findall(course)))
        self.quizzes = list(dict.fromkeys(QUIZ_LINK.findall(course)))
        return bool(self.lessons)

    def ready(self) -> bool:
        if not self.signed_in:
            self.sign_in()
        return self.signed_in and self.discover()

    @task(6)
    def read_lesson(self):
        """Read the next lesson (sometimes a random one) and mark most of them complete."""
        if not self.ready():
            return
        if self.rng.random() < 0.8:
            lesson = self.lessons[self.next_lesson % len(self.lessons)]
            self.next_lesson += 1
        else:
            lesson = self.rng.choice(self.lessons)
        html = self.get(lesson, "/courses/[course]/[module]/[lesson]", must_contain="<h1>")
        if not html or "/complete" not in html or self.rng.random() > COMPLETE_SHARE:
            return
        token = _csrf(html[html.index("/complete"):])
        response, t0, t1 = self.post(lesson + "/complete", "/courses/[course]/[module]/[lesson]/complete",
                                     {"csrf_token": token})
        with response:
            location = _path(response.headers.get("Location"))
            if response.status_code != 302 or location != lesson:
                reason = f"complete: {response.status_code} {location}"
                response.failure(reason)
                self.unacknowledged("complete", lesson, response, t0, t1, reason)
                return
            self.record["completed"].append(lesson)  # acknowledged: back to the lesson
        self.get(lesson, "/courses/[course]/[module]/[lesson] (after complete)",
                 must_contain="You completed this lesson")

    @task(2)
    def take_quiz(self):
        """Start (or continue) a module quiz, answer every question, submit once, read the review."""
        if not self.ready():
            return
        open_quizzes = [q for q in self.quizzes if q not in self.exhausted]
        if not open_quizzes:
            return
        quiz = self.rng.choice(open_quizzes)
        page = self.get(quiz, "/courses/[course]/[module]/quiz")
        if page is None:
            return
        resume = CONTINUE_LINK.search(page)
        if resume:
            sheet_url = resume.group(1)
        elif "/quiz/start" in page:
            response, t0, t1 = self.post(quiz + "/start", "/courses/[course]/[module]/quiz/start",
                                         {"csrf_token": _csrf(page)})
            with response:
                location = _path(response.headers.get("Location"))
                if response.status_code != 302 or not ATTEMPT_PATH.match(location):
                    response.failure(f"start: {response.status_code} {location}")
                    return
            sheet_url = location
            self.record["attempts_started"] += 1
        else:  # "You have used all your attempts at this quiz."
            self.exhausted.add(quiz)
            return
        attempt_id = int(ATTEMPT_PATH.match(sheet_url).group(1))
        sheet_html = self.get(sheet_url, "/quiz/attempts/[id]", must_contain="Submit answers")
        if not sheet_html:
            return
        sheet = AnswerSheet(sheet_html)
        if sheet.questions == 0 or sheet.fields() != {f"q{i}" for i in range(sheet.questions)}:
            self.environment.events.request.fire(
                request_type="CHECK", name="answer sheet fields", response_time=0, response_length=0,
                exception=AssertionError(f"{sheet.questions} questions but fields {sorted(sheet.fields())}"))
            return
        data = [("csrf_token", _csrf(sheet_html)), *sheet.answers(self.rng)]
        response, t0, t1 = self.post(sheet_url, "/quiz/attempts/[id] [POST]", data)
        review = f"{sheet_url}/review"
        with response:
            location = _path(response.headers.get("Location"))
            if response.status_code != 302 or location != review:
                reason = f"submit: {response.status_code} {location}"
                response.failure(reason)
                self.unacknowledged("submit", attempt_id, response, t0, t1, reason)
                return
            self.record["submitted"].append(attempt_id)  # acknowledged: sent to the review
        self.get(review, "/quiz/attempts/[id]/review", must_contain="<h1>")

    @task(1)
    def course_page(self):
        if self.ready():
            self.get(self.rng.choice(["/", "/courses/"]) if self.rng.random() < 0.5 else "/progress",
                     "home, catalogue or progress")


@events.request.add_listener
def _note_request(request_type, name, response_time, exception=None, start_time=None, **_kw):
    start = start_time or (time.time() - (response_time or 0) / 1000)
    with _lock:
        second = TIMELINE.setdefault(int(start), [0, 0])
        second[0] += 1
        second[1] += exception is not None
    if exception is not None:
        with _lock:
            FAILURES.append({"type": request_type, "name": name, "t0": start, "t1": start + response_time / 1000,
                             "error": str(exception)[:300]})


def _write_results(**_kw):
    path = os.environ.get("LOAD_RESULTS")
    if path:
        with _lock, open(path, "w") as out:
            json.dump({"users": RESULTS, "failures": FAILURES, "timeline": TIMELINE, "written_at": time.time()}, out)


events.test_stop.add_listener(_write_results)
events.quitting.add_listener(_write_results)
