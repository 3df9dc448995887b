"""Tests for personal-data detection and hashing, on real questions and generated text."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy import (
    DATE_OF_BIRTH,
    NAME_AND_POSTCODE,
    NHS_NUMBER,
    NI_NUMBER,
    digest,
    find_personal_data,
    valid_nhs_number,
)
from tests.conftest import REPO


def _check_digit(nine: str) -> int:
    check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


@pytest.mark.parametrize("text", ["NHS no 943 476 5919", "nhs: 9434765919.", "943-476-5919 is the child's number"])
def test_nhs_number_with_a_valid_check_digit_is_found(text):
    """A ten-digit NHS number, plain or spaced 3-3-4, with a correct modulus-11 check digit is found."""
    assert find_personal_data(text) == (NHS_NUMBER,)


@pytest.mark.parametrize("text", ["943 476 5918", "94347659190", "call 0123 456 7890", "943 476-5919", "1234567890"])
def test_numbers_that_are_not_nhs_numbers_are_ignored(text):
    """A wrong check digit, eleven digits, a phone number or mixed separators is not an NHS number."""
    assert NHS_NUMBER not in find_personal_data(text)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", " ", "-"]))
def test_every_valid_nhs_number_is_found(nine, sep):
    """Any nine digits with their check digit (when one exists) are found, in any of the written forms."""
    check = _check_digit(nine)
    digits = nine + str(check)
    assert valid_nhs_number(digits) == (check != 10)
    if check != 10:
        assert NHS_NUMBER in find_personal_data(f"number {digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]} here")


@pytest.mark.parametrize("text", ["NI AB123456C", "ni number ab 12 34 56 d", "JG 10 37 21 A please"])
def test_national_insurance_numbers_are_found(text):
    """Two allowed letters, six digits and a suffix A–D, spaced or not, in either case."""
    assert find_personal_data(text) == (NI_NUMBER,)


@pytest.mark.parametrize("prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "DA", "FA", "IA", "QA", "UA", "VA", "AO"])
def test_never_issued_ni_prefixes_are_ignored(prefix):
    """Prefixes HMRC never issues, and letters never used in the prefix, are not NI numbers."""
    assert find_personal_data(f"{prefix}123456C") == ()


def test_ni_number_needs_a_suffix_a_to_d():
    """A suffix other than A–D is not an NI number."""
    assert find_personal_data("AB123456E") == ()


@pytest.mark.parametrize("text", [
    "DOB 12/03/2015", "d.o.b: 12.03.2015", "date of birth 12-03-2015", "born 12 March 2015", "born on 3rd Sept 2019",
    "12/03/15 (DOB)",
])
def test_dates_with_a_birth_cue_are_found(text):
    """A full date next to DOB, date of birth or born is a date of birth."""
    assert find_personal_data(text) == (DATE_OF_BIRTH,)


@pytest.mark.parametrize("text", [
    "What did the 09/05/2025 report say?", "inspection on 17 March 2025", "DOB 31/02/2015", "born in 2015",
])
def test_other_dates_are_not_dates_of_birth(text):
    """Dates without a birth cue, impossible dates and bare years are not dates of birth."""
    assert find_personal_data(text) == ()


@pytest.mark.parametrize("text", ["Jane Smith, DT1 1XJ", "Dear Jane Smith lives at sw1a 1aa", "M1 1AE Tom O'Brien"])
def test_full_name_next_to_a_postcode_is_found(text):
    """Two capitalised words within a few words of a UK postcode are a name and address."""
    assert find_personal_data(text) == (NAME_AND_POSTCODE,)


@pytest.mark.parametrize("text", [
    "Dorset Council, DT1 1XJ", "the DT1 1XJ area", "Jane Smith said hello", "County Hall DT1 1XJ",
])
def test_postcode_or_name_alone_is_not_personal_data(text):
    """A postcode without a name, a council's address, or a name without a postcode is not flagged."""
    assert find_personal_data(text) == ()


def test_no_false_positive_on_real_staff_questions():
    """None of the evaluation questions, written like staff questions, looks like personal data."""
    questions = [json.loads(line)["question"] for line in
                 (REPO / "eval/dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(questions) > 50
    assert [q for q in questions if find_personal_data(q)] == []


@settings(max_examples=300)
@given(st.sampled_from(["Dorset", "Essex", "Kingston upon Thames", "Stoke-on-Trent", "North Tyneside"]),
       st.sampled_from(["supervision", "care leavers", "the front door", "return home interviews", "leadership"]),
       st.integers(2010, 2030))
def test_plain_questions_are_never_flagged(la, topic, year):
    """Questions naming a council, a topic and a year are never mistaken for personal data."""
    for text in (f"How did {la} do in {year}?", f"What did Ofsted say about {topic} in {la} since {year}?",
                 f"{la} {topic} {year}", f"Is {topic} in {la} better than in {year}? Thanks!"):
        assert find_personal_data(text) == ()


@settings(max_examples=500)
@given(st.text())
def test_detection_never_raises(text):
    """Any text at all returns a tuple of known kinds."""
    assert set(find_personal_data(text)) <= {NHS_NUMBER, NI_NUMBER, DATE_OF_BIRTH, NAME_AND_POSTCODE}


def test_digest_is_a_stable_short_hash():
    """The same value always gives the same 12 hex characters, and different values differ."""
    assert digest("U0ASKER") == digest("U0ASKER") and len(digest("U0ASKER")) == 12
    assert digest("U0ASKER") != digest("U0ASKES") and "U0ASKER" not in digest("U0ASKER")
