"""Question pools: the front matter's ``draw:`` rules, their checks, and the draw made for each attempt.

A rule takes every question with its category (or its tag) and asks ``count`` of them, picked at
random when an attempt starts; questions no rule takes are asked in every attempt. Pure code: the
caller passes the random source, so tests can seed it.
"""
from __future__ import annotations

import random
from dataclasses import asdict
from typing import Any

from lms.documents.errors import Problem
from lms.documents.frontmatter import Document

from .model import PoolRule, QuestionSpec, QuizSpec
from .serialize import question_from_dict

RULE_KEYS = ("category", "count", "tag")
SHAPE = "write each rule like '- {category: crisis, count: 3}' or '- {tag: verified, count: 2}'"


def read_draw(doc: Document) -> tuple[PoolRule, ...]:
    """The ``draw:`` rules of the front matter; problems go to ``doc.problems`` at the 'draw:' line."""
    value, line = doc.meta.get("draw"), doc.line_of("draw")
    if value is None:
        return ()
    if not isinstance(value, list):
        doc.problems.append(Problem(doc.path, line, f"'draw' must be a list of rules: {SHAPE}"))
        return ()
    rules, messages, first = [], [], {}
    for number, item in enumerate(value, start=1):
        rule, message = _rule(item, line)
        if message:
            messages.append(f"draw rule {number}: {message}")
        elif (rule.category, rule.tag) in first:
            messages.append(f"draw rule {number} names the same pool as rule {first[rule.category, rule.tag]}")
        else:
            first[rule.category, rule.tag] = number
            rules.append(rule)
    doc.problems.extend(Problem(doc.path, line, message) for message in messages)
    return tuple(rules)


def _rule(item: Any, line: int) -> tuple[PoolRule | None, str]:
    """One rule from its YAML mapping, or None and what is wrong with it."""
    if not isinstance(item, dict):
        return None, SHAPE
    unknown = [str(key) for key in item if key not in RULE_KEYS]
    if unknown:
        return None, f"unknown key '{unknown[0]}' (known keys: {', '.join(RULE_KEYS)})"
    names = [key for key in ("category", "tag") if key in item]
    if len(names) != 1:
        return None, "give either 'category' or 'tag' (one of them)"
    name = _text(item[names[0]])
    if not name:
        return None, f"'{names[0]}' must be a name, not blank"
    count = item.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return None, "'count' must be a whole number of at least 1"
    return PoolRule(count=count, line=line, **{names[0]: name}), ""


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value).strip()


def describe(rule: PoolRule) -> str:
    """The rule's pool in words: "category 'crisis'" or "tag 'verified'"."""
    return f"category '{rule.category}'" if rule.category else f"tag '{rule.tag}'"


def takes(rule: PoolRule, question: QuestionSpec) -> bool:
    """Whether ``question`` is in the rule's pool."""
    return question.category == rule.category if rule.category else rule.tag in question.tags


def pool_of(question: QuestionSpec, rules: tuple[PoolRule, ...]) -> int | None:
    """The index of the first rule whose pool holds ``question``; None if it is always asked."""
    return next((index for index, rule in enumerate(rules) if takes(rule, question)), None)


def pool_problems(path: str, quiz: QuizSpec) -> list[Problem]:
    """Rules naming an empty pool or asking for more questions than it holds, and questions in two pools."""
    problems = []
    for number, rule in enumerate(quiz.draw, start=1):
        size = sum(takes(rule, question) for question in quiz.questions)
        if size == 0:
            message = f"draw rule {number}: no question has {describe(rule)} ({_known(quiz, rule)})"
            problems.append(Problem(path, rule.line, message))
        elif rule.count > size:
            message = (f"draw rule {number} asks for {rule.count} questions with {describe(rule)}, "
                       f"but the quiz has only {size}")
            problems.append(Problem(path, rule.line, message))
    for question in quiz.questions:
        pools = [describe(rule) for rule in quiz.draw if takes(rule, question)]
        if len(pools) > 1:
            message = (f"question '{question.key}' is in two pools ({' and '.join(pools[:2])}): "
                       "a question can be drawn by one rule only")
            problems.append(Problem(path, question.line, message))
    return problems


def _known(quiz: QuizSpec, rule: PoolRule) -> str:
    """The names a rule of this kind could use, so a typing mistake is easy to spot."""
    if rule.category:
        names, kind, plural = {q.category for q in quiz.questions if q.category}, "category", "categories"
    else:
        names, kind, plural = {tag for q in quiz.questions for tag in q.tags}, "tag", "tags"
    return f"{plural} in this quiz: {', '.join(sorted(names))}" if names else f"no question has any {kind}"


def drawn_indexes(quiz: QuizSpec, rng: random.Random) -> frozenset[int]:
    """Indexes into ``quiz.questions`` of the questions one attempt asks: each pool's draw and all the rest."""
    pools: dict[int | None, list[int]] = {}
    for index, question in enumerate(quiz.questions):
        pools.setdefault(pool_of(question, quiz.draw), []).append(index)
    asked = set(pools.pop(None, []))
    for number, members in pools.items():
        # A checked quiz never asks for more than a pool holds; min() keeps an unchecked one from failing.
        asked.update(rng.sample(members, min(quiz.draw[number].count, len(members))))
    return frozenset(asked)


def asked_count(quiz: QuizSpec) -> int:
    """How many questions every attempt asks."""
    always = sum(pool_of(question, quiz.draw) is None for question in quiz.questions)
    return always + sum(rule.count for rule in quiz.draw)


def stored_asked_count(questions: list[dict], draw: list[dict]) -> int:
    """``asked_count`` of a quiz as the database stores it."""
    if not draw:
        return len(questions)
    specs = tuple(question_from_dict(stored["spec"]) for stored in questions)
    return asked_count(QuizSpec(title="", questions=specs, draw=rules_from_json(draw)))


def rules_to_json(rules: tuple[PoolRule, ...]) -> list[dict]:
    """The rules as stored with a quiz."""
    return [asdict(rule) for rule in rules]


def rules_from_json(data: list[dict] | None) -> tuple[PoolRule, ...]:
    """Rebuild the rules ``rules_to_json`` stored."""
    return tuple(PoolRule(**item) for item in data or ())
