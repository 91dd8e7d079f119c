"""Question pools: reading 'draw:' rules, checking them with path:line, and drawing questions."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.documents.frontmatter import Document
from lms.questions.gift import parse_gift
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.model import PoolRule, QuestionSpec, QuizSpec
from lms.questions.pools import asked_count, drawn_indexes, pool_of, read_draw, stored_asked_count
from lms.questions.serialize import question_from_dict, question_to_dict

from .helpers import problems

OPTIONS = "- [x] Right\n- [ ] Wrong\n"


def quiz_text(draw: str, *questions: str) -> str:
    """A markdown quiz with ``draw`` as its front matter's draw setting and one question per settings block."""
    front = f"---\ntitle: Pools\n{draw}---\n"
    return front + "".join(f"\n## Question {n}\n{lines}\n{OPTIONS}" for n, lines in enumerate(questions, 1))


CRISIS_AND_VERIFIED = quiz_text(
    "draw:\n  - {category: crisis, count: 2}\n  - tag: verified\n    count: 1\n",
    "category: crisis\n", "category: crisis\ntags: hard\n", "category: crisis\n",
    "tags: verified, hard\n", "tags: verified\n", "",
)


def test_rules_and_question_pools_are_read():
    quiz = parse_markdown_quiz("quiz.md", CRISIS_AND_VERIFIED)
    assert quiz.draw == (PoolRule(count=2, category="crisis"), PoolRule(count=1, tag="verified"))
    assert [q.category for q in quiz.questions] == ["crisis", "crisis", "crisis", "", "", ""]
    assert [q.tags for q in quiz.questions] == [(), ("hard",), (), ("verified", "hard"), ("verified",), ()]
    assert [pool_of(q, quiz.draw) for q in quiz.questions] == [0, 0, 0, 1, 1, None]
    assert asked_count(quiz) == 4


def test_flow_style_rules_read_the_same():
    text = CRISIS_AND_VERIFIED.replace(
        "draw:\n  - {category: crisis, count: 2}\n  - tag: verified\n    count: 1\n",
        "draw: [{category: crisis, count: 2}, {tag: verified, count: 1}]\n")
    assert parse_markdown_quiz("quiz.md", text).draw == parse_markdown_quiz("quiz.md", CRISIS_AND_VERIFIED).draw


def test_tags_are_trimmed_and_kept_once_in_order():
    quiz = parse_markdown_quiz("quiz.md", quiz_text("", "tags: b ,a, b,,c\n"))
    assert quiz.questions[0].tags == ("b", "a", "c")


def test_a_quiz_without_rules_asks_every_question():
    quiz = parse_markdown_quiz("quiz.md", quiz_text("", "category: crisis\n", "tags: x\n", ""))
    assert quiz.draw == () and asked_count(quiz) == 3
    assert drawn_indexes(quiz, random.Random(0)) == {0, 1, 2}


RULE_LINE = 3  # "draw:" stands on line 3, under the title


@pytest.mark.parametrize("draw, expected", [
    ("draw: 3\n", "'draw' must be a list of rules: write each rule like '- {category: crisis, count: 3}' "
                  "or '- {tag: verified, count: 2}'"),
    ("draw: [crisis]\n", "draw rule 1: write each rule like '- {category: crisis, count: 3}' "
                         "or '- {tag: verified, count: 2}'"),
    ("draw: [{category: crisis, count: 0}]\n", "draw rule 1: 'count' must be a whole number of at least 1"),
    ("draw: [{category: crisis, count: -2}]\n", "draw rule 1: 'count' must be a whole number of at least 1"),
    ("draw: [{category: crisis, count: 1.5}]\n", "draw rule 1: 'count' must be a whole number of at least 1"),
    ("draw: [{category: crisis}]\n", "draw rule 1: 'count' must be a whole number of at least 1"),
    ("draw: [{count: 1}]\n", "draw rule 1: give either 'category' or 'tag' (one of them)"),
    ("draw: [{category: crisis, tag: hard, count: 1}]\n", "draw rule 1: give either 'category' or 'tag' (one of them)"),
    ("draw: [{category: ' ', count: 1}]\n", "draw rule 1: 'category' must be a name, not blank"),
    ("draw: [{tag: hard, count: 1, from: 2}]\n", "draw rule 1: unknown key 'from' (known keys: category, count, tag)"),
    ("draw: [{tag: hard, count: 1}, {tag: hard, count: 2}]\n", "draw rule 2 names the same pool as rule 1"),
    ("draw: [{category: crises, count: 1}]\n", "draw rule 1: no question has category 'crises' "
                                               "(categories in this quiz: crisis)"),
    ("draw: [{tag: verifed, count: 1}]\n", "draw rule 1: no question has tag 'verifed' (tags in this quiz: hard)"),
    ("draw: [{category: crisis, count: 3}]\n", "draw rule 1 asks for 3 questions with category 'crisis', "
                                               "but the quiz has only 2"),
])
def test_bad_rules_are_reported_at_the_draw_line(draw, expected):
    text = quiz_text(draw, "category: crisis\n", "category: crisis\ntags: hard\n", "")
    assert problems(parse_markdown_quiz, text) == [(RULE_LINE, expected)]


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["category", "tag", "count", "from"]) | st.text(max_size=4), inner, max_size=3),
    max_leaves=8)


@given(value=YAML_VALUES)
def test_any_draw_value_gives_rules_or_problems_at_the_draw_line(value):
    doc = Document("quiz.md", {"draw": value}, {"draw": 5}, "", 7)
    rules = read_draw(doc)
    assert all(problem.line == 5 for problem in doc.problems)
    assert all(rule.count >= 1 and bool(rule.category) != bool(rule.tag) for rule in rules)
    if value is not None and not doc.problems:
        assert len(rules) == len(value)


def test_a_rule_naming_a_kind_no_question_has_says_so():
    text = quiz_text("draw: [{tag: hard, count: 1}]\n", "category: crisis\n")
    expected = "draw rule 1: no question has tag 'hard' (no question has any tag)"
    assert problems(parse_markdown_quiz, text) == [(3, expected)]


def test_a_question_in_two_pools_is_reported_at_its_heading():
    text = quiz_text("draw: [{category: crisis, count: 1}, {tag: hard, count: 1}]\n",
                     "category: crisis\n", "category: crisis\ntags: hard\n", "tags: hard\n")
    expected = ("question 'q2' is in two pools (category 'crisis' and tag 'hard'): "
                "a question can be drawn by one rule only")
    assert problems(parse_markdown_quiz, text) == [(12, expected)]


@pytest.mark.parametrize("lines, expected", [
    ("category:\n", (6, "'category:' needs a value")),
    ("tags: , ,\n", (6, "'tags:' needs at least one name")),
    ("category: a\ncategory: b\n", (7, "'category:' is given twice")),
])
def test_bad_category_and_tags_lines_are_reported(lines, expected):
    assert problems(parse_markdown_quiz, quiz_text("", lines)) == [expected]


def test_pools_are_checked_once_the_questions_are_sound():
    # A broken question is reported alone: its pool's size would only repeat the same mistake.
    text = quiz_text("draw: [{category: crisis, count: 2}]\n", "category: crisis\n", "category: crisis\ntype: nope\n")
    assert problems(parse_markdown_quiz, text) == [(14, "unknown type 'nope' (known types: single, multiple, "
                                                        "true_false, short_answer, numerical, matching, essay, "
                                                        "description)")]


def test_gift_front_matter_rules_are_checked_too():
    text = "---\ndraw: [{category: crisis, count: 1}]\n---\nEmbassies are inviolable. {T}\n"
    assert problems(parse_gift, text, "quiz.gift") == [
        (2, "draw rule 1: no question has category 'crisis' (no question has any category)")]


def test_category_and_tags_survive_storage():
    question = parse_markdown_quiz("quiz.md", CRISIS_AND_VERIFIED).questions[3]
    stored = question_to_dict(question)
    stored["tags"] = list(stored["tags"])  # as JSON gives them back
    assert question_from_dict(stored) == question
    legacy = {key: value for key, value in question_to_dict(question).items() if key not in ("category", "tags")}
    assert question_from_dict(legacy).tags == () and question_from_dict(legacy).category == ""


def test_stored_count_matches_the_spec():
    quiz = parse_markdown_quiz("quiz.md", CRISIS_AND_VERIFIED)
    stored = [{"spec": question_to_dict(question)} for question in quiz.questions]
    rules = [{"count": rule.count, "category": rule.category, "tag": rule.tag} for rule in quiz.draw]
    assert stored_asked_count(stored, rules) == asked_count(quiz) == 4
    assert stored_asked_count(stored, []) == 6


# Drawing, on quizzes built directly: pool sizes, counts and unpooled questions vary.

def pooled_quiz(sizes: list[int], counts: list[int], unpooled: int) -> QuizSpec:
    """Pool i holds sizes[i] questions tagged p<i> and asks counts[i]; ``unpooled`` questions have no tag."""
    questions = [QuestionSpec(key=f"p{pool}-{n}", type="true_false", prompt="?", truth=True, tags=(f"p{pool}",))
                 for pool, size in enumerate(sizes) for n in range(size)]
    questions += [QuestionSpec(key=f"always-{n}", type="true_false", prompt="?", truth=True) for n in range(unpooled)]
    rules = tuple(PoolRule(count=count, tag=f"p{pool}") for pool, count in enumerate(counts))
    return QuizSpec(title="Pools", questions=tuple(questions), draw=rules)


@st.composite
def pools(draw) -> QuizSpec:
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))
    counts = [draw(st.integers(1, size)) for size in sizes]
    return pooled_quiz(sizes, counts, draw(st.integers(0, 3)))


@given(quiz=pools(), seed=st.integers())
def test_each_pool_gives_its_count_and_every_other_question_is_asked(quiz, seed):
    asked = drawn_indexes(quiz, random.Random(seed))
    keys = [quiz.questions[index].key for index in asked]
    per_pool = Counter(key.split("-")[0] for key in keys)
    assert {tag: per_pool[tag] for tag in (rule.tag for rule in quiz.draw)} == {r.tag: r.count for r in quiz.draw}
    unpooled = {q.key for q in quiz.questions if not q.tags}
    assert unpooled <= set(keys)
    assert len(asked) == len(set(keys)) == asked_count(quiz)


@given(quiz=pools(), seed=st.integers())
def test_the_same_seed_draws_the_same_questions(quiz, seed):
    assert drawn_indexes(quiz, random.Random(seed)) == drawn_indexes(quiz, random.Random(seed))


def test_every_question_of_a_pool_is_reachable_and_draws_differ():
    quiz = pooled_quiz([5, 3], [2, 1], 1)
    draws = [drawn_indexes(quiz, random.Random(seed)) for seed in range(200)]
    assert set().union(*draws) == set(range(len(quiz.questions)))
    assert len(set(draws)) > 1


def test_a_draw_is_not_biased_towards_file_order():
    quiz = pooled_quiz([4], [1], 0)
    picks = Counter(next(iter(drawn_indexes(quiz, random.Random(seed)))) for seed in range(2000))
    assert all(400 < picks[index] < 600 for index in range(4)), picks
