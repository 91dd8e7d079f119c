"""Line differences between two texts, for revision diffs and edit conflicts (difflib; no HTML here)."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

ADDED, REMOVED, SAME, GAP = "added", "removed", "same", "gap"


@dataclass(frozen=True)
class DiffLine:
    """One row of a diff: the change, the line's number in the old and the new text, and the line."""

    change: str  # ADDED, REMOVED, SAME, or GAP for unchanged lines left out
    old: int | None
    new: int | None
    text: str


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """The changed lines of ``new`` against ``old`` with ``context`` unchanged lines around them; [] when equal."""
    a, b = old.splitlines(), new.splitlines()
    if a == b:
        return []
    rows: list[DiffLine] = []
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        first = group[0]
        if first[1] > 0 or first[3] > 0:
            rows.append(DiffLine(GAP, None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffLine(SAME, i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
                continue
            rows += [DiffLine(REMOVED, i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [DiffLine(ADDED, None, j + 1, b[j]) for j in range(j1, j2)]
    last = group[-1]
    if last[2] < len(a) or last[4] < len(b):
        rows.append(DiffLine(GAP, None, None, ""))
    return rows
