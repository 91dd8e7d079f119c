"""Verification codes: 80 random bits in Crockford's base32, grouped for reading aloud and typing."""
from __future__ import annotations

import secrets

# Crockford's alphabet: no I, L, O or U, so a code read aloud or typed from paper has no look-alikes.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS = 80
LENGTH = BITS // 5  # 16 characters of 5 bits each
GROUP = 4
# What a person may type for a character the alphabet leaves out (Crockford's decoding rules).
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code of BITS random bits from ``secrets``, as LENGTH characters without dashes."""
    number = secrets.randbits(BITS)
    return "".join(ALPHABET[(number >> shift) & 31] for shift in range(BITS - 5, -1, -5))


def grouped(code: str) -> str:
    """``7KQ2M9XD...`` -> ``7KQ2-M9XD-...``, as shown on the page, the PDF and in the address."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """The stored form of a code as typed (any case, dashes or spaces, O for 0); None if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper().translate(LOOK_ALIKES)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code
