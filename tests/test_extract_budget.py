"""Hostile shapes of text that once broke or stalled extraction (issue 13, items 3 and 12):
a paragraph longer than spaCy's max_length, a participants list of 20,000 names, a text that is
mostly whitespace. Each must extract the right result with spans that index the original text.
Durations are printed by benchmarks/bench_extract_budget.py; no test here asserts a time."""

from __future__ import annotations

from needs_tracker.extract import extract
from needs_tracker.extract.participants import absent_states
from needs_tracker.extract.text import CHUNK_CHARS, chunk_text, nlp, sentences


def test_a_paragraph_over_spacys_limit_is_read_in_pieces_with_true_spans():
    # One paragraph of 1.1 million characters (spaCy raises E088 past 1,000,000), with a
    # need at its very end: found, and its span points at the sentence in the whole text.
    filler = "The meeting reviewed the regional situation in general terms. " * 17_500
    need = "Kazakhstan noted a lack of trained licensing officers."
    text = "Workshop on export controls\n\nParticipants: Kazakhstan, Chad\n\n" + filler + need + "\n"
    assert len(filler) > nlp().max_length
    ex = extract(text)
    assert {p.iso3 for p in ex.participants} == {"KAZ", "TCD"}
    found = [n for n in ex.needs if n.state_iso3 == "KAZ"]
    assert found
    assert {(n.start, n.end) for n in found} == {(len(text) - len(need) - 1, len(text) - 1)}
    assert all(text[n.start:n.end] == n.evidence == need for n in found)


def test_pieces_cut_after_a_sentence_and_add_up_to_the_text():
    text = ("A short sentence here. " * 10_000) + "x" * 300
    pieces = chunk_text(text, CHUNK_CHARS)
    assert len(pieces) == 3
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= CHUNK_CHARS for _, piece in pieces)
    assert all(piece.endswith(".") for _, piece in pieces[:-1])  # no sentence cut in two
    assert [off for off, _ in pieces] == [0, len(pieces[0][1]), len(pieces[0][1]) + len(pieces[1][1])]


def test_a_run_without_spaces_is_cut_hard_and_still_adds_up():
    text = "x" * (2 * CHUNK_CHARS + 5)
    pieces = chunk_text(text, CHUNK_CHARS)
    assert [len(p) for _, p in pieces] == [CHUNK_CHARS, CHUNK_CHARS, 5]


def test_sentences_of_a_long_block_keep_their_offsets():
    text = "Intro.\n\n" + "Chad reported a gap in border control. " * 4_000
    found = sentences(text)
    assert len(found) == 4_001
    assert all(text[s.start:s.end] == s.text for s in found)


def test_a_list_of_twenty_thousand_names_is_read_in_linear_time():
    # 65 s before the list scan became one pass; it must give one participant, nothing absent.
    text = "Workshop\n\nParticipants: " + "Kazakhstan, " * 20_000 + "\n"
    ex = extract(text)
    assert [p.iso3 for p in ex.participants] == ["KAZ"]


def test_absent_list_still_covers_every_name_of_the_list():
    text = ("Officials from Chad attended. Myanmar, Brunei Darussalam and Nepal, which did not attend, "
            "were briefed later. Kenya took part.")
    assert absent_states(text) == {"MMR", "BRN", "NPL"}


def test_absent_words_after_a_long_run_of_spaces_name_nobody():
    text = "Chad" + " " * 200_000 + "and Mali, which did not attend."
    assert absent_states(text) == {"MLI"}


def test_a_text_that_is_mostly_whitespace_is_read_without_stalling():
    # A PDF of whitespace streams: 1.2 MB of blank lines (86 s before, in the dateline search).
    text = "Workshop on export controls\n\n" + (" " * 1000 + "\n") * 1200 + \
        "VIENNA, 26 September 2019 — Officials from Kenya took part in the workshop held on 24 and 25 September.\n"
    ex = extract(text)
    assert [p.iso3 for p in ex.participants] == ["KEN"]
    assert (ex.start_date.isoformat(), ex.end_date.isoformat()) == ("2019-09-24", "2019-09-25")


def test_many_dates_and_numbers_are_read_in_linear_time():
    # Each date once checked against every earlier one (20,000 dates: quadratic), and a run of
    # "12, 13, ..." once re-read from every number by the "4, 5 and 6 April" pattern.
    from needs_tracker.extract.dates import find_dates

    dates = find_dates("March 12, 2019; " * 20_000)
    assert len(dates) == 20_000 and {d.start.isoformat() for d in dates} == {"2019-03-12"}
    assert find_dates("12, 13, " * 30_000) == []


def test_a_long_run_of_names_joined_by_and_is_no_catastrophe():
    # "officials of A and B and C ..." once had 2^n readings (an "and" inside a name or between names).
    text = "Workshop\n\nOfficials of " + "Aa and " * 30 + "x attended, with officials from Chad.\n"
    assert [p.iso3 for p in extract(text).participants] == ["TCD"]
