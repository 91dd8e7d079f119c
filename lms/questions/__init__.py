"""Quiz files (markdown and GIFT) and their grading; pure Python, no Flask or database."""
from .files import parse_quiz
from .gift import parse_gift
from .grading import AttemptScore, Result, grade, score_attempt
from .markdown_format import parse_markdown_quiz
from .model import Choice, NumberAnswer, Pair, QuestionSpec, QuizSpec, TextAnswer

__all__ = [
    "AttemptScore", "Choice", "NumberAnswer", "Pair", "QuestionSpec", "QuizSpec", "Result",
    "TextAnswer", "grade", "parse_gift", "parse_markdown_quiz", "parse_quiz", "score_attempt",
]
