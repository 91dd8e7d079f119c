"""The password rule: long enough, and not a common password dressed up with digits and symbols."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_FILE = Path(__file__).parent / "data" / "common-passwords.txt"
DRESSING = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and stems, lower-case."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    stem = DRESSING.sub("", lowered)
    if lowered in common_passwords() or stem in common_passwords() or len(set(lowered)) < 4:
        return "This password is too common or too easy to guess: choose a phrase of several unrelated words."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in lowered:
        return "Do not use your email address in your password."
    return None
