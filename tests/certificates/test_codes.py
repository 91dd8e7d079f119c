"""Verification codes: pure functions, no app."""
from collections import Counter

from lms.certificates import codes


def test_a_code_is_16_characters_of_crockford_base32_carrying_80_bits():
    code = codes.new_code()
    assert len(code) == 16 and set(code) <= set(codes.ALPHABET)
    assert len(codes.ALPHABET) == 32 and codes.LENGTH * 5 == codes.BITS >= 80
    assert not set("ILOU") & set(codes.ALPHABET)


def test_codes_use_every_character_evenly_and_never_repeat():
    drawn = [codes.new_code() for _ in range(4000)]
    assert len(set(drawn)) == len(drawn)
    counts = Counter("".join(drawn))  # 64,000 characters: 2,000 of each expected
    assert set(counts) == set(codes.ALPHABET)
    assert all(1700 < n < 2300 for n in counts.values()), counts
    first = Counter(code[0] for code in drawn)  # the top bits are random too (no leading-zero bias)
    assert len(first) == 32


def test_grouped_in_fours():
    assert codes.grouped("7KQ2M9XD4T1B8WZC") == "7KQ2-M9XD-4T1B-8WZC"


def test_typed_codes_normalise_case_dashes_spaces_and_look_alikes():
    for typed in ("7kq2-m9xd-4t1b-8wzc", "7KQ2M9XD4T1B8WZC", " 7KQ2 M9XD 4T1B 8WZC ", "7KQ2-M9XD-4TIB-8WZC",
                  "7KQ2-M9XD-4TlB-8WZC"):
        assert codes.normalise(typed) == "7KQ2M9XD4T1B8WZC", typed
    assert codes.normalise("O000-0000-0000-0000") == "0" * 16


def test_what_cannot_be_a_code_is_none():
    for typed in ("", "7KQ2-M9XD", "7KQ2-M9XD-4T1B-8WZC-0000", "7KQ2-M9XD-4T1B-8WZU", "EMB-BER", "<script>"):
        assert codes.normalise(typed) is None, typed
