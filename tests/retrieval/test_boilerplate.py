"""Tests for finding stock sentences from the corpus itself."""

from bot.retrieval.boilerplate import signature, stock_shares

LETTER = "This letter summarises the findings of the focused visit to {} children’s services on {} March 2025."


def test_signature_drops_names_dates_and_numbers():
    """Copies of a stock sentence about different councils and dates share one signature."""
    a = signature(LETTER.format("Barking and Dagenham", "3 and 4"))
    b = signature(LETTER.format("Kingston upon Thames", "26 and 27"))
    assert a and a == b
    assert signature("Yours sincerely") == ""  # too short to tell


def test_a_sentence_repeated_across_many_reports_of_a_kind_is_stock():
    """A sentence in most focused visits is stock; a finding in two reports is not."""
    kinds = {f"fv-{i}": "focused_visit" for i in range(30)}
    sentences = [(rid, "focused_visit", LETTER.format(f"Council{i}", "1")) for i, rid in enumerate(kinds)]
    finding = "Too many children wait too long for an assessment of their needs by a social worker."
    sentences += [("fv-0", "focused_visit", finding), ("fv-1", "focused_visit", finding)]
    shares = stock_shares(sentences, kinds)
    assert shares[signature(LETTER.format("X", "1"))] == 1.0
    assert signature(finding) not in shares


def test_nothing_is_stock_in_a_handful_of_reports():
    """With fewer reports than the minimum, even an identical sentence is not called stock."""
    kinds = {f"r{i}": "ilacs_inspection" for i in range(4)}
    text = "Inspectors considered the quality of work and the difference adults make to the lives of children."
    assert stock_shares([(rid, "ilacs_inspection", text) for rid in kinds], kinds) == {}
