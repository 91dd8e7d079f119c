"""What a question type provides: every part of the app asks the registry rather than switching on type.

A type reads its answer from the posted answer sheet, grades it, gives the answer sheet what it may
show, and describes given and expected answers for the review page, the reports and the studio preview.
Grading and describing are pure: no request, no database.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any, Protocol

from markupsafe import Markup, escape

from ..model import QuestionSpec

# Stored HTML for one of a question's markdown texts (prompt, option, left side of a pair).
Html = Callable[[str], Markup]
Graded = tuple[float, tuple[str, ...]]  # share of the points before clamping, answer-specific feedback


class PostedForm(Protocol):
    """The posted answer sheet (a werkzeug MultiDict in the app, any such mapping in tests)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class ReviewPair:
    """One part of an answer on the review page: its item, the learner's match and the right one."""

    item: Markup
    given: Markup | None
    expected: Markup
    correct: bool


class QuestionType(ABC):
    """One kind of question: subclasses set the names, and override what differs from these defaults.

    ``grade``, ``expected`` and ``gift_answers`` have no default: a type without them cannot be created (every
    quiz can be taken to Moodle).
    """

    name = ""  # as written after ``type:`` in a quiz file and stored in the question spec
    label = ""  # for trainers, e.g. "short answer"
    sheet_template = ""  # the answer-sheet partial, under templates/
    options: tuple[str, ...] = ()  # per-question settings of this type in the markdown format, e.g. "ratio"
    needs_answers = True  # False: the quiz file gives no right answers (essays, descriptions)
    answerable = True  # False: text only, nothing to answer (descriptions)
    auto_graded = True  # False: the score neither counts its points nor its maximum (essays, descriptions)

    def problems(self, question: QuestionSpec) -> list[str]:
        """What is wrong with a parsed question of this type, as messages for trainers."""
        return []

    @abstractmethod
    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        """The share of the points ``answer`` earns and its feedback; garbage scores 0, never raises."""

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        """The learner's answer from the posted sheet, in the shape ``grade`` takes.

        ``shown`` is the question as stored in the attempt: its spec, its HTML and the display order
        of its options; the page posts options by their place on the page.
        """
        return (form.get(field) or "")[:MAX_TYPED]

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        """A message asking the learner to answer again before anything is graded, or None.

        Only for answers whose meaning is unclear or that cannot be read at all (an unclear number, a
        huge field, a choice the page never offered); a wrong answer is graded, never asked back.
        """
        return None

    def sheet(self, shown: dict, html: dict) -> dict:
        """What the answer sheet shows beyond the prompt; never weights, answers or feedback."""
        return {}

    def given(self, question: QuestionSpec, response: Any, html: Html) -> list[Markup]:
        """The learner's stored answer, for the review page (``response`` is not empty)."""
        return [escape(response)]

    @abstractmethod
    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        """The answers that earn credit, for the review page."""

    def describe(self, question: QuestionSpec, response: Any) -> str:
        """The learner's stored answer in plain words, for the reports (``response`` is not empty)."""
        return str(response)

    def example_answer(self, question: QuestionSpec, right: bool, rng: Random) -> Any:
        """A plausible stored answer, right or wrong, for demo data; None gives "no answer"."""
        return None

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        """Lines a trainer checks in the studio before saving: the options or answers and their worth."""
        return self.expected(question, html)

    def review_pairs(self, question: QuestionSpec, response: Any, html: Html) -> list[ReviewPair]:
        """For types answered in parts (matching), each part: what was given beside what was right."""
        return []

    @abstractmethod
    def gift_answers(self, question: QuestionSpec) -> str | None:
        """What goes between the braces of the question in GIFT; None writes no braces (a description)."""


def stored_html(rendered: dict) -> Html:
    """Look-ups into a question's stored HTML; a text without HTML is escaped, never shown as markup."""
    def html(text: str) -> Markup:
        return Markup(rendered[text]) if text in rendered else escape(text)
    return html


MAX_TYPED = 500  # longest typed answer kept; anything longer is cut


MAX_INDEX_DIGITS = 9  # int() refuses strings of over 4,300 digits; no sheet has a billion options


def _small_whole(text: str) -> int | None:
    """An index posted as plain ASCII digits, without asking int() to read a huge string."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_INDEX_DIGITS:
        return int(text)
    return None


def shown_to_file(order: list[int], raw: str | None) -> str | None:
    """Options are posted by their place on the page; grading wants their place in the file."""
    place = _small_whole(raw.strip()) if isinstance(raw, str) else None
    if place is None or place >= len(order):
        return None
    return str(order[place])


def offered(order: list[int], raw: str | None) -> bool:
    """Whether a posted option is nothing or one the page showed (anything else came from no real page)."""
    return raw in (None, "") or shown_to_file(order, raw) is not None


NOT_OFFERED = "That answer is not one of the options shown; please choose again."


def index_of(raw: Any, size: int) -> int | None:
    """A submitted index ("2" or 2) within ``range(size)``, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and (small := _small_whole(raw.strip())) is not None:
        value = small
    else:
        return None
    return value if 0 <= value < size else None


def worth(weight: float) -> Markup:
    """`` (50%)`` after a partly-right answer; nothing after a full one."""
    return escape(f" ({weight:g}%)") if weight < 100 else Markup("")
