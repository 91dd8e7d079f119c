"""Answering the test quiz (tests/data/quizzes/intro-course/basics.md) through its pages."""
import re

from tests.helpers import csrf_token

QUIZ = "/courses/intro-course/basics/quiz"
SECRETS = [
    "SECRET-FEEDBACK-SINGLE-RIGHT", "SECRET-FEEDBACK-SINGLE-WRONG", "SECRET-FEEDBACK-PENALTY",
    "SECRET-FEEDBACK-TRUE", "SECRET-FEEDBACK-FALSE", "SECRET-FEEDBACK-SHORT", "SECRET-FEEDBACK-NUMBER",
    "SECRET-GENERAL-FEEDBACK",
]
MATCHES = {"Before": "Shot list", "During": "Live posting", "After": "Recap post"}


def start(client) -> str:
    """Start (or resume) an attempt; returns the answer sheet's URL."""
    page = client.get(QUIZ).get_data(as_text=True)
    response = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def option_value(html: str, text: str) -> str:
    """The value a matching drop-down posts for a right-hand text."""
    match = re.search(r'<option value="(\d+)">' + re.escape(text) + "</option>", html)
    assert match, text
    return match.group(1)


def answers(html: str, right: bool) -> dict:
    """Form data answering every question right, or every question wrong."""
    lefts = re.findall(r'<label for="(q5-\d)">(\w+)</label>', html)
    assert len(lefts) == 3
    data = {
        "q0": "0" if right else "1",
        "q1": ["0", "1"] if right else ["2"],
        "q2": "true" if right else "false",
        "q3": "  Alt TEXT " if right else "caption",
        "q4": "60.4" if right else "61",
    }
    wrong = {"Before": "Live posting", "During": "Recap post", "After": "Shot list"}
    for field, left in lefts:
        data[field] = option_value(html, (MATCHES if right else wrong)[left])
    return data


def submit(client, sheet_url: str, right: bool = True):
    """Answer the sheet and submit it; returns the response."""
    html = client.get(sheet_url).get_data(as_text=True)
    return client.post(sheet_url, data={"csrf_token": csrf_token(html), **answers(html, right)})
