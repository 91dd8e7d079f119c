"""The markdown quiz format: settings, syntax details, and every error with its line."""
from __future__ import annotations

import pytest

from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.model import MULTIPLE, NUMERICAL, SHORT_ANSWER, SINGLE

from .helpers import md, md_problems, md_question, problems

TWO_OPTIONS = "- [x] a\n- [ ] b\n"


def test_defaults_when_only_a_title_is_given():
    quiz = md("## Q\n" + TWO_OPTIONS)
    assert (quiz.title, quiz.pass_mark, quiz.max_attempts) == ("Test quiz", 80, None)
    assert (quiz.shuffle_questions, quiz.shuffle_options, quiz.reveal) == (False, False, "after_each_attempt")


def test_all_settings_are_read():
    front = "title: T\npass_mark: 60\nattempts: 2\nshuffle: true\nreveal: after_last_attempt\n"
    text = "---\n" + front + "---\n## Q\n" + TWO_OPTIONS
    quiz = parse_markdown_quiz("q.md", text)
    assert (quiz.pass_mark, quiz.max_attempts, quiz.shuffle_questions, quiz.shuffle_options) == (60, 2, True, True)
    assert quiz.reveal == "after_last_attempt"


def test_attempts_may_be_the_word_unlimited():
    quiz = parse_markdown_quiz("q.md", "---\ntitle: T\nattempts: unlimited\n---\n## Q\n" + TWO_OPTIONS)
    assert quiz.max_attempts is None


def test_prompt_is_heading_plus_following_paragraphs():
    question = md_question("## Read this.\n\nFirst paragraph.\n\nSecond *one*.\n\n" + TWO_OPTIONS)
    assert question.prompt == "Read this.\n\nFirst paragraph.\n\nSecond *one*."


def test_prompt_can_start_under_an_empty_heading():
    question = md_question("##\nkey: k\npoints: 2.5\nA prompt\non two lines\n" + TWO_OPTIONS)
    assert (question.prompt, question.key, question.points) == ("A prompt\non two lines", "k", 2.5)


def test_closing_hashes_are_not_part_of_the_prompt():
    assert md_question("## Is this it? ##\n" + TWO_OPTIONS).prompt == "Is this it?"


def test_code_fences_keep_headings_and_options_as_prompt_text():
    question = md_question("## Q\n```\n## not a question\n- [x] not an option\n```\n" + TWO_OPTIONS)
    assert question.prompt == "Q\n\n```\n## not a question\n- [x] not an option\n```"
    assert len(question.choices) == 2


def test_h1_title_and_comments_before_the_first_question_are_allowed():
    quiz = md("# Big title\n<!-- note to self -->\n\n## Q\n" + TWO_OPTIONS)
    assert len(quiz.questions) == 1


def test_option_feedback_and_continuation_lines():
    question = md_question("## Q\n* [X] first line\n  second line\n  > feedback one\n  > feedback two\n- [] b\n")
    assert question.choices[0].text == "first line\nsecond line"
    assert question.choices[0].feedback == "feedback one\nfeedback two"
    assert question.choices[1].text == "b"


def test_one_ticked_option_is_single_choice_and_several_share_100_percent():
    assert md_question("## Q\n" + TWO_OPTIONS).type == SINGLE
    question = md_question("## Q\n- [x] a\n- [x] b\n- [x] c\n- [ ] d\n")
    assert question.type == MULTIPLE
    assert sum(c.weight for c in question.choices) == pytest.approx(100.0)


def test_type_line_forces_multiple_choice_with_one_right_option():
    question = md_question("## Q\ntype: Multiple\n" + TWO_OPTIONS)
    assert question.type == MULTIPLE


def test_answer_lines_are_numerical_only_when_every_value_is_a_number():
    assert md_question("## Q\nAnswer: 42\n").type == NUMERICAL
    assert md_question("## Q\nAnswer: 42 | forty-two\n").type == SHORT_ANSWER
    assert md_question("## Q\ntype: short answer\nAnswer: 007\n").type == SHORT_ANSWER


def test_numerical_accepts_plus_minus_spellings_and_negative_ranges():
    question = md_question("## Q\nAnswer: -5 +/- 1 | -10..-8 | 3e2\n")
    assert [(n.low, n.high, n.value) for n in question.numbers] == [(-6, -4, -5), (-10, -8, None), (300, 300, 300)]


def test_escaped_bar_stays_in_a_short_answer():
    assert md_question("## Q\nAnswer: a \\| b\n").texts[0].text == "a | b"


def test_feedback_section_runs_to_the_next_question():
    quiz = md("## Q1\n" + TWO_OPTIONS + "Feedback: one\n\n- a list\n\n## Q2\n" + TWO_OPTIONS)
    assert quiz.questions[0].general_feedback == "one\n\n- a list"
    assert quiz.questions[1].general_feedback == ""


def test_matching_accepts_unicode_arrow_and_keeps_right_side_plain():
    question = md_question("## Q\n- *Term* → Definition\n- B -> C\n")
    assert [(p.left, p.right) for p in question.pairs] == [("*Term*", "Definition"), ("B", "C")]


@pytest.mark.parametrize("body, expected", [
    ("## Q\n- [ ] a\n- [ ] b\n", [(4, "no correct answer: mark at least one option as correct")]),
    ("## Q\n- [x] (40%) a\n- [x] (40%) b\n- [ ] c\n",
     [(4, "the correct options add up to 80%: the percentages cannot reach 100%")]),
    ("## Q\n- a -> b\n", [(4, "a matching question needs at least two pairs, found 1")]),
    ("## Q\ntype: numerical\nAnswer: abc\n",
     [(6, "numerical answer 'abc' is not a number (write 42, 42 ± 0.5 or 40..45)")]),
    ("## Q\nAnswer: 4x ± 1\n", [(5, "numerical answer '4x ± 1' is not a number (write 42, 42 ± 0.5 or 40..45)")]),
    ("## Q\nAnswer: 5..1\n", [(5, "range '5..1' starts above where it ends")]),
    ("##\n" + TWO_OPTIONS, [(4, "question has no prompt")]),
    ("## Q\ntype: essay\n" + TWO_OPTIONS,
     [(6, "essay questions take no answers: remove the answer lines")]),
    ("## Q\ntype: poll\n" + TWO_OPTIONS, [(5, "unknown type 'poll' (known types: single, multiple, true_false, "
                                                "short_answer, numerical, matching, essay, description)")]),
    ("## Q\n" + TWO_OPTIONS + "stray text\n",
     [(7, "unexpected text after the answers: move it above the answers (prompt) or below a 'Feedback:' line")]),
    ("intro\n## Q\n" + TWO_OPTIONS, [(4, "text before the first question: start each question with a '## ' heading")]),
    ("## Q\n- [x] a\nAnswer: b\n", [(5, "question mixes options, 'Answer:' lines and '->' pairs; use one kind")]),
    ("## Q\nJust a prompt.\n",
     [(4, "question has no answers: add options ('- [x] …'), 'Answer:' lines or pairs ('- left -> right')")]),
    ("## Q\n- [x] (abc%) a\n- [ ] b\n", [(5, "'abc%' is not a percentage (write it like 50% or -25%)")]),
    ("## Q\n- [x] (150%) a\n- [ ] b\n", [(5, "percentage 150% must be between -100% and 100%")]),
    ("## Q\n- [x] (-5%) a\n- [x] b\n", [(5, "a ticked option [x] needs a positive percentage")]),
    ("## Q\n- [x] a\n- [ ] (5%) b\n",
     [(6, "an unticked option [ ] cannot have a positive percentage: tick it with [x]")]),
    ("## Q\n- [x] (50%) a\n- [x] b\n",
     [(6, "give every correct option a percentage, or none of them (then they share 100%)")]),
    ("## Q\npoints: none\n" + TWO_OPTIONS, [(5, "points must be a positive number, not 'none'")]),
    ("## Q\nkey: a\nkey: b\n" + TWO_OPTIONS, [(6, "'key:' is given twice")]),
    ("## Q\nkey:\n" + TWO_OPTIONS, [(5, "'key:' needs a value")]),
    ("## Q\nSome prompt.\nPoints: 2\n" + TWO_OPTIONS, [(6, "put 'points:' directly under the question heading")]),
    ("## Q\ntype: single\n- [x] a\n- [x] b\n",
     [(4, "a single-choice question needs an option worth 100%")]),
    ("## Q\ntype: matching\n" + TWO_OPTIONS,
     [(4, "type 'matching' does not fit these answers: matching uses pairs written '- left -> right'")]),
    ("## Q\n- [x] a\n", [(4, "a choice question needs at least two options")]),
    ("## Q\n- [x]\n- [ ] b\n", [(4, "an option has no text")]),
    ("## Q\n- a -> b\n  > why\n- c -> d\n",
     [(6, "matching pairs cannot have their own feedback; use 'Feedback:' for the question")]),
    ("## Q\n- -> b\n- c -> d\n", [(4, "a matching pair needs text on both sides of '->'")]),
    ("## Q\nAnswer:\n", [(5, "an 'Answer:' line is empty")]),
    ("## Q\nAnswer: a || b\n", [(5, "an 'Answer:' line has an empty alternative between '|' signs")]),
    ("## Q\nAnswer: (50%) a\n", [(4, "no correct answer: at least one answer must be worth 100%")]),
    ("## Q\nAnswer: a\nAnswer: (-50%) b\n", [(4, "short-answer answers cannot have negative percentages")]),
    ("## Q\n- [x] True\n- [x] False\n",
     [(4, "a true/false question needs exactly the options '- [x] True' and '- [ ] False' (tick the right one)")]),
    ("## Q\nAnswer: true\n",
     [(4, "a true/false question needs exactly the options '- [x] True' and '- [ ] False' (tick the right one), "
          "not 'Answer: true' (add 'type: short_answer' if you mean a typed word)")]),
    ("## Q\nkey: same\n" + TWO_OPTIONS + "\n## R\nkey: same\n" + TWO_OPTIONS,
     [(9, "duplicate question key 'same' (first used on line 4)")]),
    ("", [(4, "the quiz has no questions: start each question with a '## ' heading")]),
])
def test_errors_carry_their_line(body, expected):
    assert md_problems(body) == expected


def test_duplicate_position_key_collides_with_explicit_key():
    found = md_problems("## Q\n" + TWO_OPTIONS + "## R\nkey: q1\n" + TWO_OPTIONS)
    assert found == [(7, "duplicate question key 'q1' (first used on line 4)")]


def test_all_problems_in_a_file_are_reported_together():
    found = md_problems("## A\n- [ ] a\n- [ ] b\n## B\ntype: nope\n" + TWO_OPTIONS + "##\n" + TWO_OPTIONS)
    assert [line for line, _ in found] == [4, 8, 11]


@pytest.mark.parametrize("front, expected", [
    ("colour: red\n",
     (3, "unknown key 'colour' (known keys: attempts, draw, number_format, pass_mark, reveal, shuffle, title)")),
    ("pass_mark: 120\n", (3, "'pass_mark' must be a percentage from 0 to 100")),
    ("pass_mark: high\n", (3, "'pass_mark' must be a whole number")),
    ("attempts: 0\n", (3, "'attempts' must be a whole number of at least 1, or 'unlimited'")),
    ("attempts: lots\n", (3, "'attempts' must be a whole number of at least 1, or 'unlimited'")),
    ("shuffle: maybe\n", (3, "'shuffle' must be true or false")),
    ("reveal: never\n", (3, "'reveal' must be one of: after_each_attempt, once_passed, after_last_attempt")),
    ("when: 2020-02-30\n", (3, "bad value in front matter: day is out of range for month")),
])
def test_front_matter_errors(front, expected):
    text = "---\ntitle: T\n" + front + "---\n## Q\n" + TWO_OPTIONS
    assert expected in problems(parse_markdown_quiz, text)


def test_title_must_not_be_blank():
    text = "---\npass_mark: 50\ntitle: '  '\n---\n## Q\n" + TWO_OPTIONS
    assert problems(parse_markdown_quiz, text) == [(3, "'title' must not be blank")]


def test_title_is_required():
    text = "---\npass_mark: 50\n---\n## Q\n" + TWO_OPTIONS
    assert problems(parse_markdown_quiz, text) == [(1, "missing required key 'title' in front matter")]


def test_missing_front_matter_is_reported_on_line_one():
    found = problems(parse_markdown_quiz, "## Q\n" + TWO_OPTIONS)
    assert found == [(1, "file must start with front matter between '---' lines")]


def test_escaped_bracket_keeps_a_percentage_in_the_option_text():
    question = md_question("## Q\n- [x] \\(50%) of the budget\n- [ ] none\n")
    assert (question.type, question.choices[0].text) == (SINGLE, "\\(50%) of the budget")


def test_specs_are_frozen_and_hashable():
    quiz = md("## Q\n" + TWO_OPTIONS)
    assert quiz in {quiz}
    with pytest.raises(AttributeError):
        quiz.questions[0].prompt = "changed"


def test_comments_spanning_several_lines_are_ignored_and_keep_line_numbers():
    text = "---\ntitle: T\n---\n<!-- a note\nfor trainers -->\n## Q\n- [x] a\n- [ ] b\n\n## \n- [x] c\n- [ ] d\n"
    assert [line for line, _ in problems(parse_markdown_quiz, text)] == [10]  # the empty prompt, line kept
    quiz = parse_markdown_quiz("q.md", text.replace("## \n", "## R\n"))
    assert [q.prompt for q in quiz.questions] == ["Q", "R"]
