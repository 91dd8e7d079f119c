"""The password rule: long enough, not the person's own name or email, and hard to guess by zxcvbn's estimate."""
from __future__ import annotations

import re

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's scale runs 0-4; 3 means about 10^8 guesses or more ("safely unguessable" against offline guessing of
# a slow hash, which PASSWORD_HASH_METHOD is).
MIN_SCORE = 3
# zxcvbn's own cap: its matching costs grow faster than the length. A weak start makes the whole password weak.
ESTIMATED_CHARS = 72
NOT_LETTERS = re.compile(r"[\W\d_]+")
WORDS = re.compile(r"[^\W\d_]+")
DEFAULT_HINT = "A phrase of several unrelated words works well."


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable; the message says what would make it stronger."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    letters = _letters(password)
    if any(len(own) >= 4 and own in letters for own in (_letters(email.split("@")[0]), _letters(name))):
        return "Do not use your name or email address in your password."
    from zxcvbn import zxcvbn  # its word lists cost ~90 ms and ~13 MB: loaded only by a process that sets a password

    estimate = zxcvbn(password[:ESTIMATED_CHARS], user_inputs=_personal_words(email, name))
    if estimate["score"] >= MIN_SCORE:
        return None
    feedback = estimate["feedback"]
    hints = " ".join(hint for hint in [feedback["warning"], *feedback["suggestions"]] if hint)
    return f"This password is too easy to guess. {hints or DEFAULT_HINT}"


def _letters(text: str) -> str:
    return NOT_LETTERS.sub("", text.lower())


def _personal_words(email: str, name: str) -> list[str]:
    """What zxcvbn should treat as known to a guesser: the email, its parts and the name's words."""
    return [email.lower(), *WORDS.findall(email.lower()), name.lower(), *WORDS.findall(name.lower())]
