"""GIFT export: what it writes reads back to the same questions, keys, weights, feedback and grades."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.questions import parse_quiz
from lms.questions.gift import parse_gift
from lms.questions.gift_export import GiftExportError, export_gift, export_question
from lms.questions.model import (
    ANY_NUMBER,
    DESCRIPTION,
    Choice,
    NumberAnswer,
    Pair,
    QuestionSpec,
    QuizSpec,
    TextAnswer,
)

REPO = Path(__file__).resolve().parents[2]
QUIZ_FILES = sorted([*(REPO / "quizzes").rglob("*.md"), *(REPO / "quizzes").rglob("*.gift"),
                     *(REPO / "tests" / "data" / "quizzes").rglob("*.md"),
                     *(REPO / "tests" / "data" / "quiz-samples").iterdir()])


def as_gift_keeps(question: QuestionSpec) -> QuestionSpec:
    """The question as GIFT can carry it: GIFT has no points, so each imports as 1 (a description as 0)."""
    return replace(question, points=0.0 if question.type == DESCRIPTION else 1.0)


def round_trip(quiz: QuizSpec) -> tuple[QuestionSpec, ...]:
    return parse_gift("exported.gift", export_gift(quiz)).questions


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_every_quiz_file_round_trips(path):
    quiz = parse_quiz(str(path), path.read_text())
    assert round_trip(quiz) == tuple(as_gift_keeps(q) for q in quiz.questions)


def test_the_export_names_keys_weights_and_categories_as_moodle_writes_them():
    quiz = parse_gift("bank.gift", "$CATEGORY: top/Crisis\n\n::dup::A {=a ~%50%b#half}\n\n::dup::B {T}")
    text = export_gift(quiz)
    first = quiz.questions[0].key
    assert f"// [id:{first}]\n::{first}::[markdown]A {{\n  =a\n  ~%50%b#half\n}}" in text
    assert text.count("$CATEGORY: top/Crisis") == 1
    assert round_trip(quiz) == quiz.questions


def test_settings_go_in_comments_so_moodle_sees_no_stray_question():
    text = export_gift(QuizSpec("Crisis\nquiz", pass_mark=75, max_attempts=3,
                                questions=(QuestionSpec("k", "true_false", "P", truth=True),)))
    assert text.startswith("// Crisis quiz\n// pass mark 75%, attempts 3")
    assert "---" not in text


def test_texts_that_look_like_markers_or_use_special_characters_survive():
    question = QuestionSpec("k", "single", "[html] is not a format here: {a} = b # c ~ d \\n",
                            choices=(Choice("=x", 100.0, "#1"), Choice("[plain]y", 0.0)))
    assert round_trip(QuizSpec("T", questions=(question,))) == (question,)


def test_a_question_without_id_line_keeps_its_key_through_its_name():
    question = QuestionSpec("odd]key", "true_false", "P", truth=False)
    assert not export_question(question).startswith("// [id:")
    assert round_trip(QuizSpec("T", questions=(question,))) == (question,)


# --- property: any quiz GIFT can express comes back equal ------------------------------------------------------

ALPHABET = st.sampled_from(list("abcXYZ019 _*.,'\"!?()[]<>&|/\\:=~#{}%-\n\té€ü"))
TEXT = st.text(ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
# Plain answers cannot hold "->": GIFT would take the question for matching.
PLAIN = TEXT.filter(lambda text: "->" not in text)
# GIFT has no escape for '%': a left-hand side starting with one would read as a percentage.
LEFT = PLAIN.filter(lambda text: not text.startswith("%"))
FEEDBACK = st.one_of(st.just(""), TEXT)
PLAIN_FEEDBACK = st.one_of(st.just(""), PLAIN)  # a short answer's feedback: "->" there also reads as matching
WEIGHT = st.integers(-10_000_000, 9_999_999).map(lambda n: n / 100_000)
NUMBER = st.integers(-10**9, 10**9).map(lambda n: n / 1000)


@st.composite
def choices(draw, single: bool):
    weights = draw(st.lists(WEIGHT, min_size=1, max_size=4))
    if single:
        weights.insert(draw(st.integers(0, len(weights))), 100.0)
    else:
        weights += draw(st.sampled_from([[100.0], [50.0, 50.0], [33.33333, 33.33333, 33.33333], [25.0, 75.0]]))
    return tuple(Choice(draw(TEXT), weight, draw(FEEDBACK)) for weight in weights)


@st.composite
def numbers(draw):
    answers = []
    for weight in [100.0, *draw(st.lists(st.integers(0, 99).map(float), max_size=2))]:
        low, high = sorted((draw(NUMBER), draw(NUMBER)))
        centre, spread = draw(NUMBER), abs(draw(NUMBER))
        answers.append(draw(st.sampled_from([NumberAnswer(low, high, weight, draw(FEEDBACK)),
                                             NumberAnswer(centre - spread, centre + spread, weight, draw(FEEDBACK),
                                                          centre)])))
    if draw(st.booleans()):
        answers.append(NumberAnswer(-ANY_NUMBER, ANY_NUMBER, 0.0, draw(TEXT)))
    return tuple(answers)


@st.composite
def questions(draw, key: str):
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short_answer", "numerical", "matching",
                                 "essay", "description"]))
    fields = {"type": kind, "category": draw(st.sampled_from(["", "top", "top/Crisis talks"])),
              "general_feedback": "" if kind == DESCRIPTION else draw(FEEDBACK),
              "points": 0.0 if kind == DESCRIPTION else 1.0}
    if kind in ("single", "multiple"):
        fields["choices"] = draw(choices(kind == "single"))
    elif kind == "true_false":
        fields.update(truth=draw(st.booleans()), feedback_true=draw(FEEDBACK), feedback_false=draw(FEEDBACK))
    elif kind == "short_answer":
        weights = [100.0, *draw(st.lists(st.integers(0, 100).map(float), max_size=3))]
        fields["texts"] = tuple(TextAnswer(draw(PLAIN), w, draw(PLAIN_FEEDBACK)) for w in weights)
    elif kind == "numerical":
        fields["numbers"] = draw(numbers())
    elif kind == "matching":
        fields["pairs"] = tuple(Pair(draw(LEFT), draw(TEXT)) for _ in range(draw(st.integers(2, 4))))
        fields["distractors"] = tuple(draw(st.lists(TEXT, max_size=2)))
    return QuestionSpec(key=key, prompt=draw(TEXT), **fields)


@st.composite
def quizzes(draw):
    names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), min_size=1, max_size=5,
                          unique=True))
    return QuizSpec("Exported", questions=tuple(draw(questions(name)) for name in names))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quizzes())
def test_any_quiz_gift_can_express_round_trips(quiz):
    assert round_trip(quiz) == quiz.questions


def test_an_arrow_outside_matching_is_refused_naming_the_question():
    question = QuestionSpec(key="way", type="short_answer", prompt="Which way?",
                            texts=(TextAnswer("north", 100.0, "Think north -> south."),))
    with pytest.raises(GiftExportError, match="would not read these questions back as they are: way"):
        export_gift(QuizSpec("Arrows", questions=(question,)))
