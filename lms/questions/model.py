"""Frozen, hashable descriptions of a parsed quiz, shared by both file formats and by grading.

Every text field holds markdown source, except the two fields that learners' typed or
chosen answers are compared with (``TextAnswer.text`` and ``Pair.right``): those are plain
text and must be shown escaped, never rendered as markdown.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from .learner_numbers import DEFAULT_NUMBER_FORMAT
from .text_match import LENIENT

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"
NUMERICAL = "numerical"
MATCHING = "matching"
ESSAY = "essay"
DESCRIPTION = "description"

FULL = 100.0  # weights are percentages
# Moodle stores thirds as 33.33333%, so three of them must still count as a full 100%.
SLACK = 0.01
# Floats such as 0.1 + 0.2 land a hair outside a range (or a pass mark) they are meant to reach.
EPSILON = 1e-9
# The range of Moodle's "any other number" answer ({#=5 ~#feedback}): every finite float, and still valid JSON.
ANY_NUMBER = sys.float_info.max

REVEAL_CHOICES = ("after_each_attempt", "once_passed", "after_last_attempt")


@dataclass(frozen=True)
class Choice:
    """One option of a single- or multiple-choice question; ``weight`` is a percentage."""

    text: str
    weight: float
    feedback: str = ""


@dataclass(frozen=True)
class TextAnswer:
    """An accepted short answer (plain text) worth ``weight`` percent of the question."""

    text: str
    weight: float = 100.0
    feedback: str = ""


@dataclass(frozen=True)
class NumberAnswer:
    """A numeric answer range ``low..high`` (inclusive) worth ``weight`` percent.

    ``value`` is set when the author wrote ``value ± tolerance``, so the expected
    answer can be shown as the author wrote it; it is None for ``min..max`` ranges.
    """

    low: float
    high: float
    weight: float = 100.0
    feedback: str = ""
    value: float | None = None

    @property
    def any_other(self) -> bool:
        """Whether this is Moodle's catch-all answer, which gives feedback to any other number."""
        return self.low == -ANY_NUMBER and self.high == ANY_NUMBER

    def describe(self) -> str:
        """The answer as a trainer would write it, for review pages."""
        if self.any_other:
            return "any other number"
        if self.value is None:
            return f"{self.low:g}..{self.high:g}"
        tolerance = self.high - self.value
        if tolerance <= 0:
            return f"{self.value:g}"
        return f"{self.value:g} ± {tolerance:.12g}"


@dataclass(frozen=True)
class Pair:
    """One matching pair: ``left`` (markdown) must be matched with ``right`` (plain text)."""

    left: str
    right: str


@dataclass(frozen=True)
class QuestionSpec:
    """One question; only the fields belonging to ``type`` are filled in."""

    key: str
    type: str
    prompt: str
    points: float = 1.0
    general_feedback: str = ""
    choices: tuple[Choice, ...] = ()  # single, multiple
    truth: bool | None = None  # true_false: the correct answer
    feedback_true: str = ""  # true_false: shown to a learner who answered "true"
    feedback_false: str = ""  # true_false: shown to a learner who answered "false"
    texts: tuple[TextAnswer, ...] = ()  # short_answer
    numbers: tuple[NumberAnswer, ...] = ()  # numerical
    pairs: tuple[Pair, ...] = ()  # matching
    distractors: tuple[str, ...] = ()  # matching: right-hand texts (plain) that match no item, GIFT's "= -> text"
    category: str = ""  # GIFT's $CATEGORY, as written, or the markdown category: line; pools draw from it
    tags: tuple[str, ...] = ()  # pool rules draw questions by category or tag
    match: str = LENIENT  # short_answer: how typed words are compared (text_match.py)
    ratio: bool = False  # numerical: the answer is a ratio a:b, graded as the number a/b
    number_format: str = DEFAULT_NUMBER_FORMAT  # numerical: how the quiz writes numbers (learner_numbers.py)
    # Where the question starts in its file; formats differ, so equality ignores it.
    line: int = field(default=0, compare=False)

    def right_options(self) -> tuple[tuple[str, str], ...]:
        """Matching only: the distinct right-hand texts as (value to submit, text) pairs.

        The value is the index of the first pair with that text, so pairs sharing a
        right-hand text are offered once and either one counts as a correct match. A
        distractor that no pair has comes after them, valued past the pairs, and is never right.
        """
        seen: dict[str, int] = {}
        for index, pair in enumerate(self.pairs):
            seen.setdefault(pair.right, index)
        for index, text in enumerate(self.distractors, start=len(self.pairs)):
            seen.setdefault(text, index)
        return tuple((str(index), text) for text, index in seen.items())


@dataclass(frozen=True)
class PoolRule:
    """Draw ``count`` questions at random from those with this ``category`` or, if that is empty, this ``tag``."""

    count: int
    category: str = ""
    tag: str = ""
    line: int = field(default=0, compare=False)  # the front matter's 'draw:' line


@dataclass(frozen=True)
class QuizSpec:
    """A whole quiz file: its settings and its questions in file order."""

    title: str
    pass_mark: int = 80
    max_attempts: int | None = None  # None means unlimited
    shuffle_questions: bool = False
    shuffle_options: bool = False
    reveal: str = "after_each_attempt"
    questions: tuple[QuestionSpec, ...] = ()
    draw: tuple[PoolRule, ...] = ()  # questions no rule takes are always asked
    # Import notes such as keys given to questions that share a name; not part of the quiz itself.
    renamed: tuple[str, ...] = field(default=(), compare=False)


def choice_type(weights: list[float]) -> str:
    """Single choice when exactly one option is worth 100% and all others 0%, else multiple."""
    full = [w for w in weights if w >= FULL - SLACK]
    rest = [w for w in weights if w < FULL - SLACK]
    return SINGLE if len(full) == 1 and all(w == 0 for w in rest) else MULTIPLE
