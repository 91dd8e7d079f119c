"""Write a quiz as Moodle GIFT text that imports back (here or in Moodle) to the same questions and grades.

Every question gets a ``// [id:key]`` line, so its key survives the trip, and its texts are
marked ``[markdown]``, the form they are stored in. Each question type writes its own answer
block (``QuestionType.gift_answers``). The quiz settings go in comment lines: GIFT has no
syntax for them (nor for points per question), and a front matter block would reach Moodle
as a stray description.
"""
from __future__ import annotations

from lms.documents.errors import ContentError

from .gift import parse_gift
from .gift_write import escape_gift
from .model import QuestionSpec, QuizSpec
from .types import question_type


class GiftExportError(ValueError):
    """Questions GIFT cannot express; the message names them and says what to change."""


def export_gift(quiz: QuizSpec) -> str:
    """The whole quiz as GIFT text; raises GiftExportError naming the questions GIFT would misread."""
    unsayable = [question.key for question in quiz.questions if not _reads_back(question)]
    if unsayable:
        raise GiftExportError(
            f"GIFT would not read these questions back as they are: {', '.join(unsayable)}. The usual cause is "
            f"'->' in an answer or its feedback, which GIFT takes for a matching pair: reword it before exporting.")
    parts = [_header(quiz)]
    category = ""
    for question in quiz.questions:
        if question.category != category:
            category = question.category
            parts.append(f"$CATEGORY: {category}".rstrip())
        parts.append(export_question(question))
    return "\n\n".join(parts) + "\n"


def _header(quiz: QuizSpec) -> str:
    attempts = "unlimited" if quiz.max_attempts is None else str(quiz.max_attempts)
    lines = [quiz.title, f"pass mark {quiz.pass_mark}%, attempts {attempts}, answers shown {quiz.reveal}",
             "GIFT has no points per question: each question imports as 1 point (a description as 0)."]
    return "\n".join("// " + " ".join(line.split()) for line in lines)


def export_question(question: QuestionSpec) -> str:
    """One question: its id line, then ``::key::[markdown]prompt`` and its answer block."""
    prompt = escape_gift(question.prompt)
    marker = "" if prompt.startswith("[markdown]") else "[markdown]"  # escape_gift may have added it already
    head = f"::{escape_gift(question.key)}::{marker}{prompt}"
    id_line = f"// [id:{question.key}]\n" if _fits_id_line(question.key) else ""
    answers = question_type(question.type).gift_answers(question)
    if answers is None:
        return id_line + head
    general = f"\n  ####{escape_gift(question.general_feedback)}" if question.general_feedback else ""
    return f"{id_line}{head} {{{answers}{general}\n}}"


def _reads_back(question: QuestionSpec) -> bool:
    """Whether the question's GIFT imports as the same type: Moodle, like this importer, takes an answer
    block of '=' answers holding '->' for matching, and GIFT has no escape for it."""
    try:
        (read,) = parse_gift("export.gift", export_question(question)).questions
    except (ContentError, ValueError):
        return False
    return read.type == question.type


def _fits_id_line(key: str) -> bool:
    return "]" not in key and "\n" not in key and key == key.strip()
