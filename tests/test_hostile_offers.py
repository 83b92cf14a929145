"""A sentence of many offer cues ("Japan stands ready to support Chad, " a thousand times, one
sentence) once took time quadratic in its cues: each cue walked the sentence's tokens from the
first one, rebuilt its text and searched it from its start (88 s for 1,000 cues). These tests
compare the time at two sizes measured in the same test (8x the cues: about 8x the time when
linear, 64x when quadratic), so they fail on the old code by a wide margin and never on a slow
machine; and they check the bounded look-backs answer exactly what reading the whole prefix did.
The seconds themselves are printed by benchmarks/bench_hostile_extract.py (``offers`` shapes)."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.offer_categories import QUOTE_END, first_quote_end
from needs_tracker.extract.offer_providers import (
    ANNOUNCED_PASSIVE,
    JOINTLY_WITH,
    RECIPIENT_BEFORE,
    RELATIVE_CLAUSE,
    _asides,
    _in_aside,
    ends_with,
)
from needs_tracker.extract.offers import AND_THEN
from test_hostile_extract import HEAD, _best_seconds  # one timer for both hostile files


@pytest.mark.parametrize("unit", ["Japan stands ready to support Chad, ", "Japan offered training to Chad; "])
def test_a_sentence_of_many_offer_cues_is_read_in_linear_time(unit):
    def offers(n):
        return extract(HEAD + unit * n, model="rules").offers

    found = offers(60)  # (warm the caches, and see the cues are read at all)
    assert "JPN" in {o.provider_iso3 for o in found}
    small = _best_seconds(lambda: offers(60))
    large = _best_seconds(lambda: offers(480))
    assert large / max(small, 1e-4) < 24  # 8 when linear, 64 when quadratic (the old code: over 40)


SENTENCES = [
    "The EU, which has supported Chad since 2015, and the OSCE, together with the UNODC, offered training to Mali.",
    "Sweden is continuing its programme with the Agency of Georgia and will support Armenia, and also offered kits.",
    "According to the IAEA, the workshop, speaking for Japan, was announced by Sweden and welcomed the offer.",
    "Japan" + " " * 300 + "and     also   " + " " * 200 + "offered kits, congratulating" + " " * 400 + "the EU.",
    "\"We stand ready to help,\" said the UNODA representative; \"we will,\" the Japanese ambassador added.",
    "brand x, with the UNODC, jointly with the EU, along with Canada, to the support of financing of the IAEA",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_bounded_look_backs_answer_what_reading_the_whole_prefix_did(sentence):
    for pattern in (RECIPIENT_BEFORE, JOINTLY_WITH, AND_THEN, ANNOUNCED_PASSIVE):
        for end in range(len(sentence) + 1):
            assert ends_with(pattern, sentence, end, window=24) == bool(pattern.search(sentence[:end])), (
                pattern.pattern, end)
    asides = _asides(sentence)
    for cue_start in range(len(sentence) + 1):
        whole = [m.span() for m in RELATIVE_CLAUSE.finditer(sentence[:cue_start])]
        assert [_in_aside(asides, at, cue_start) for at in range(cue_start)] == [
            any(a <= at < b for a, b in whole) for at in range(cue_start)]
        found = QUOTE_END.search(sentence, cue_start)
        assert first_quote_end(sentence, cue_start) == (found.start() if found else None)


def test_the_window_stops_short_only_of_whitespace_padded_matches():
    # a match longer than the window is all whitespace but for its few words: then the whole prefix is read
    text = "Norway, and" + " " * 500
    assert ends_with(AND_THEN, text, len(text), window=120)
    brand = "Norway, brand" + " " * 500
    assert not ends_with(AND_THEN, brand, len(brand), window=120)  # (no word boundary before "and")
    assert ends_with(AND_THEN, "x" * 200 + " and ", 205) and not ends_with(AND_THEN, "x" * 200 + " and ", 204)
