"""The leave-one-set-out harness and the wider offer candidates it measures.

The harness re-decides stored candidates instead of re-reading documents; it is only honest if
that gives the offers ``extract`` gives, which the first test checks on a labelled set. The wider
candidates (``extract/offer_wide.py``) are off in the product (no LOSO gain); their switches must
change nothing when off and, when on, propose a sentence only for the model, never as a rule offer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from needs_tracker.assistance_eval import evaluate_assistance
from needs_tracker.extract import offer_wide
from needs_tracker.extract.fields import extract_fields
from needs_tracker.extract.offer_wide import frame_tokens, wide_cues
from needs_tracker.extract.offers import offer_candidates
from needs_tracker.extract.text import sentences, split_blocks
from needs_tracker.learn.offer_loso import gather, score
from needs_tracker.learn.offer_runtime import current

SET = Path("tests/corpus/assistance/heldout29")
NOTE = ("Workshop on export controls\n\nJapan announced a new programme for Ghana's customs.\n\n"
        "The project trains forty customs officers in the detection of radioactive material.\n")


@pytest.fixture
def switches():
    saved = (offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME)
    yield offer_wide
    offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = saved


def _candidates(text: str) -> list:
    blocks = split_blocks(text)
    sents = sentences(text, blocks)
    fields = extract_fields(text, blocks, sents)
    return offer_candidates(blocks, sents, {}, set(), text, fields.title)[1]


def test_re_deciding_stored_candidates_scores_as_extract_does():
    report = evaluate_assistance(SET / "labels.json", SET)
    mine = score(gather(SET), current())
    assert (mine.offers.tp, mine.offers.fp, mine.offers.fn) == (report.offers.tp, report.offers.fp, report.offers.fn)
    assert mine.taken == report.not_offers_taken


def test_the_shipped_candidates_have_the_wide_switches_off():
    assert (offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME) == (False, False, False)
    texts = [c.sentence.text for c in _candidates(NOTE)]
    assert not any(t.startswith("The project") for t in texts)


def test_a_wide_candidate_takes_the_last_named_provider_and_is_never_a_rule_offer(switches):
    switches.WIDE, switches.CONTEXT, switches.FRAME = True, True, True
    wide = [c for c in _candidates(NOTE) if c.sentence.text.startswith("The project")]
    assert len(wide) == 1
    assert wide[0].rule_offers == []
    assert {o.provider_iso3 for o in wide[0].proposals} == {"JPN"}
    assert {"cue:wide", "prov:context", "t:present"} <= set(wide[0].features.split())


def test_without_context_a_wide_sentence_naming_nobody_is_no_candidate(switches):
    switches.WIDE, switches.CONTEXT, switches.FRAME = True, False, True
    assert not any(c.sentence.text.startswith("The project") for c in _candidates(NOTE))


def test_wide_cue_is_the_first_assistance_word_and_frames_say_the_tense():
    assert [c[3] for c in wide_cues("Norway signed a grant to fund detectors.")] == ["wide"]
    assert wide_cues("Norway signed a grant")[0][:2] == (16, 21)
    assert wide_cues("The meeting closed at noon.") == []
    assert "t:past" in frame_tokens("The equipment was delivered in 2019.", 5, False)
    assert {"t:future", "pos:first", "money"} <= set(frame_tokens("Canada will give $5 million.", 0, False))
    assert "pos:heading" in frame_tokens("Support to customs", 4, True)
