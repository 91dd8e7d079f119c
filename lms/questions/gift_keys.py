"""Question keys for GIFT files, where Moodle allows several questions to share a name.

Attempts and reports find a question by its key, so a key must not move to another
question when a trainer edits or reorders the file. The rules, in order:

1. Moodle's ``// [id:…]`` line above a question gives its key. It survives any edit.
2. A ``::name::`` used by one question only is the key, exactly as before duplicates
   were allowed, so existing files keep their keys.
3. A name shared by several questions becomes ``name-`` plus six hex digits of a hash
   of the question's text. The hash depends on nothing but that question, so inserting,
   removing or reordering other questions never changes it; only editing this
   question's text does (give it an ``[id:…]`` to keep its key through such edits).
   Identical questions with the same name get ``-2``, ``-3`` … in file order.
4. A question without a name keeps its position, ``q1``, ``q2`` …, as in markdown files.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace

from .model import QuestionSpec


@dataclass(frozen=True)
class Draft:
    """A parsed question before its key is settled: the name and id as written."""

    spec: QuestionSpec
    name: str
    idnumber: str


def text_hash(text: str) -> str:
    """Six hex digits that change whenever ``text`` does."""
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def assign_keys(path: str, drafts: list[Draft]) -> tuple[list[QuestionSpec], list[str]]:
    """The questions with their final keys, and a note for each question renamed for sharing its name."""
    shared = Counter(d.name for d in drafts if d.name and not d.idnumber)
    taken: Counter[str] = Counter()
    questions, notes = [], []
    for position, draft in enumerate(drafts, start=1):
        if draft.idnumber:
            key = draft.idnumber
        elif not draft.name:
            key = f"q{position}"
        elif shared[draft.name] == 1:
            key = draft.name
        else:
            base = f"{draft.name}-{text_hash(draft.spec.prompt)}"
            taken[base] += 1
            key = base if taken[base] == 1 else f"{base}-{taken[base]}"
            notes.append(f"{path}:{draft.spec.line}: '{draft.name}' is shared by {shared[draft.name]} questions; "
                         f"this one has key '{key}'")
        questions.append(replace(draft.spec, key=key))
    return questions, notes
