"""Hostile-but-allowed text shapes that once made extraction quadratic (or worse): each test counts
the work done (characters searched, tokens matched, blocks read) or compares the time at two sizes
measured in the same test, so it fails on the old behaviour by a wide margin and never on a slow
machine. The seconds themselves are printed by benchmarks/bench_hostile_extract.py."""

from __future__ import annotations

import re
import time

import pytest
import spacy

from needs_tracker.extract import extract, fields, needs
from needs_tracker.extract.fields import field_for_label
from needs_tracker.extract.participants import absent_states
from needs_tracker.extract.rules import Rules, load_rules
from needs_tracker.extract.text import MAX_WORD_CHARS, BoundedTokenizer, break_long_runs, lead_in, nlp, sentences

HEAD = "Workshop on export controls\n\nParticipants: Chad, Mali, Niger\n\n"


def _best_seconds(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _growth(fn, small, large, runs: int = 3) -> float:
    """How much longer ``fn`` takes on ``large`` than on ``small`` (best of ``runs`` each)."""
    fn(small)  # warm caches
    return _best_seconds(lambda: fn(large), runs) / max(_best_seconds(lambda: fn(small), runs), 1e-4)


# --- spaCy's tokenizer on runs of punctuation ---------------------------------------------------

@pytest.mark.parametrize("mark", [";", ":", "(", ")", "'", ";:(')"])
def test_a_run_of_marks_is_searched_for_affixes_in_linear_work(mark):
    # spaCy peels one mark at a time and searched the whole rest of the word each time:
    # 20,000 marks were 200 million characters searched (and 10 s for 10,000 ";").
    tokenizer = spacy.blank("en").tokenizer
    searched = {"chars": 0}
    for attr in ("suffix_search", "prefix_search"):
        search = getattr(tokenizer, attr)

        def counting(word, search=search):
            searched["chars"] += len(word)
            return search(word)

        setattr(tokenizer, attr, counting)
    bounded = BoundedTokenizer(tokenizer)
    text = mark * (20_000 // len(mark))
    doc = bounded(text)
    assert len(doc.text) == len(text)
    assert searched["chars"] < 100 * len(text)  # was about len(text) ** 2 / 2


def test_long_runs_are_read_as_words_without_moving_any_offset():
    run = ";" * 2_000
    text = "Chad lacks staff; " + run + " Mali " + "x" * (MAX_WORD_CHARS - 1)
    cut = break_long_runs(text)
    assert len(cut) == len(text)
    assert cut[:18] == text[:18] and cut[-(MAX_WORD_CHARS + 5):] == text[-(MAX_WORD_CHARS + 5):]  # words untouched
    assert set(cut[18:18 + len(run)]) == {"x", " "}  # 2,000 tokens of ";" become 5 words
    doc = nlp()(text)
    assert len(doc) < 15
    outside = [t for t in doc if not 18 <= t.idx < 18 + len(run)]
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in outside)


def test_a_note_of_punctuation_keeps_its_needs_and_true_spans():
    need = "Chad noted a lack of licensing staff."
    text = HEAD + ":" * 30_000 + "\n\n" + need + "\n"
    ex = extract(text, model="rules")
    found = [n for n in ex.needs if n.state_iso3 == "TCD"]
    assert found and all(text[n.start:n.end] == need for n in found)


# --- needs: a sentence's parts, many cues, many terms --------------------------------------------

SENTENCE_SHAPES = {
    "who came": "Who came: Chad; " * 1_250,
    "while": HEAD + "Chad lacks staff" + ", while Mali needs detection equipment" * 520,
    "semicolons": HEAD + "Chad lacks licensing staff; " * 700,
    "and that": HEAD + "Mali noted " + "and that Chad needs training " * 690,
}


@pytest.mark.parametrize("shape", SENTENCE_SHAPES)
def test_the_rules_read_each_token_a_bounded_number_of_times(monkeypatch, shape):
    # A sentence cut into parts ("...; ...", ", while ...", "and that ...") was matched whole once
    # per part: 20,000 parts of "Who came: Chad; " took 25 s (about 1,000 readings per token here).
    text = SENTENCE_SHAPES[shape]
    matched = {"tokens": 0}
    original = Rules._matches

    def counting(self, kind, doclike):
        matched["tokens"] += len(doclike)
        return original(self, kind, doclike)

    monkeypatch.setattr(Rules, "_matches", counting)
    extract(text, model="rules")
    assert matched["tokens"] < 40 * len(nlp()(text))  # about 15 now


class _CountedCues(list):
    """A cue list that counts how often it is read from the start."""

    reads = 0

    def __iter__(self):
        type(self).reads += 1
        return super().__iter__()


def test_absence_cues_read_the_cues_once_not_once_per_token():
    rules = load_rules()
    doc = nlp()("Chad has " + "lacks no " * 3_000 + "licensing system.")
    cues = _CountedCues(rules.cues(doc))
    assert len(cues) == 3_000
    _CountedCues.reads = 0
    found = needs._absence_cues(doc, rules, cues)
    assert _CountedCues.reads <= 2  # was one read per token: 6,000 here
    assert [m.start for m in found] == [len(doc) - 6, len(doc) - 4]  # the two "no" within 3 words of the term


def test_candidate_cues_are_compared_through_a_set(monkeypatch):
    # "Chad lacks lacks lacks ...": the cues were compared pairwise (22 million comparisons for 40 KB).
    compared = {"n": 0}
    original = needs.Match.__eq__

    def counting(self, other):
        compared["n"] += 1
        return original(self, other)

    monkeypatch.setattr(needs.Match, "__eq__", counting)
    text = HEAD + "Chad " + "lacks " * 3_000
    extract(text, model="rules")
    assert compared["n"] < 10 * 3_000  # was 3,000 ** 2 / 2 = 4.5 million


def test_categorising_a_sentence_of_many_cues_and_terms_grows_linearly():
    # Every cue was compared with every term: a sentence of n "lack of licensing" took n² steps.
    rules = load_rules()

    def categorize(n):
        doc = nlp()("Chad noted a " + "lack of licensing staff and " * n + "more.")
        needs.categorize(doc, rules, rules.cues(doc), set())

    assert _growth(categorize, 250, 2_000) < 24  # 8 when linear, 64 when quadratic


def test_many_concessions_before_a_need_are_read_once():
    rules = load_rules()

    def clause(n):
        doc = nlp()("Chad noted that " + "even if it had laws, " * n + "it lacks staff.")
        needs._clause_range(doc, rules, rules.cues(doc))

    # best of nine: the small size takes about a millisecond, and a best of three on a busy machine
    # (two test workers, other processes) once measured 26 where it measures 10-14 (9 of 10 runs)
    assert _growth(clause, 250, 2_000, runs=9) < 24
    doc = nlp()("Chad noted that even if it had laws, it lacks staff.")
    start, _end = needs._clause_range(doc, rules, rules.cues(doc))
    assert doc[start:].text == "it lacks staff."


def test_participants_as_objects_are_checked_near_each_mention():
    # "told participants told participants ... that they lack staff": the verb before each
    # "participants" was sought in the whole sentence before it.
    def extract_objects(n):
        extract(HEAD + "The chair " + "told participants " * n + "that they lack staff.", model="rules")

    assert _growth(extract_objects, 250, 4_000) < 48  # 16 when linear, 256 when quadratic
    ex = extract(HEAD + "Participants noted that they lack licensing staff.", model="rules")
    assert sorted({n.state_iso3 for n in ex.needs}) == ["MLI", "NER", "TCD"]
    ex = extract(HEAD + "The chair told participants that the secretariat lacks staff.", model="rules")
    assert ex.needs == []


def test_the_footnote_of_a_group_is_read_once_however_many_sentences_point_to_it(monkeypatch):
    from needs_tracker.extract import participants

    calls = {"n": 0}
    original = participants.footnote_participants

    def counting(text, fields):
        calls["n"] += 1
        return original(text, fields)

    monkeypatch.setattr(participants, "footnote_participants", counting)
    text = "Workshop\n\n" + "Officials from 26 States Parties* attended. " * 500 + "\n\n* Chad, Mali, Niger\n"
    assert sorted(p.iso3 for p in extract(text, model="rules").participants) == ["MLI", "NER", "TCD"]
    assert calls["n"] == 1  # was once per sentence: 500


def test_reported_letter_cues_are_checked_in_linear_time():
    from needs_tracker.extract import requests
    from needs_tracker.extract.assistance_records import load_assistance_rules

    rules = load_assistance_rules()
    assert _growth(lambda n: requests._letter("Letter\n\n" + "Chad would formally request help. " * n, rules),
                   250, 4_000) < 48  # 16 when linear, 256 when quadratic
    letter = ("Permanent Mission of Ghana to the United Nations\n\nNew York, 3 March 2021\n\n"
              "The Permanent Mission of Ghana has the honour to request assistance with its national control list.\n")
    assert [r.state_iso3 for r in requests._letter(letter, rules)] == ["GHA"]
    assert requests._letter(letter.replace("has the honour to request", "would formally request"), rules) == []


def test_a_sentence_of_many_submitted_by_cues_lists_each_state_once():
    # Each of n cues in one sentence listed every state of the sentence again: n² records
    # (a million for 1,000 cues), each a request stored for the note.
    from needs_tracker.extract import requests
    from needs_tracker.extract.assistance_records import load_assistance_rules

    text = "Register\n\nRequests were submitted by Chad, " + "requests were submitted by Mali, " * 2_000
    found = requests._submitted_by(text, load_assistance_rules())
    assert [r.state_iso3 for r in found] == ["TCD", "MLI"]
    assert {(r.start, r.end) for r in found} == {(10, len(text))}


def test_sentence_bounds_found_incrementally_are_those_found_from_scratch():
    import random

    from needs_tracker.extract.requests import _SentenceBounds

    pick = random.Random(1540)
    for _ in range(500):
        text = "".join(pick.choice(["a", " ", ". ", "\n", ".", "cue"]) for _ in range(pick.randint(0, 60)))
        bounds = _SentenceBounds(text)
        for m in re.finditer("cue", text):
            begin = max(text.rfind(". ", 0, m.start()) + 2, text.rfind("\n", 0, m.start()) + 1)
            stop = min(p for p in (text.find(". ", m.end()), text.find("\n", m.end()), len(text)) if p >= 0)
            assert bounds.around(m.start(), m.end()) == (begin, stop), (text, m.start())


# --- lead-in paragraphs ---------------------------------------------------------------------------

def test_a_paragraph_of_need_words_without_a_colon_is_read_in_linear_time():
    # "needs needs needs ..." with no colon: each "needs" re-read the rest of the paragraph.
    assert _growth(lambda n: lead_in("Chad needs " + "needs " * n), 2_000, 16_000) < 24
    (only,) = sentences(HEAD + "Chad " + "needs " * 5_000 + "\n")
    assert only.text.startswith("Chad needs needs") and not only.in_need_list


@pytest.mark.parametrize("text, expected", [
    ("The workshop aimed to:", (True, False)),
    ("The following needs were identified:", (False, True)),
    ("Needs: see the annex. Next steps:", (False, False)),  # the need word stands before an earlier colon
    ("The following needs were identified: ", (False, True)),
    ("The following needs were identified.", (False, False)),
    ("Its purpose, in short:", (True, False)),
])
def test_lead_in_paragraphs_are_read_as_before(text, expected):
    assert lead_in(text) == expected


# --- labels ---------------------------------------------------------------------------------------

def test_a_label_line_ends_the_list_above_it_so_labels_are_read_in_linear_work(monkeypatch):
    # 20,000 lines "Delegations: Chad": each label read every later line as part of its list.
    calls = {"n": 0}
    original = fields.lists_a_state

    def counting(line):
        calls["n"] += 1
        return original(line)

    monkeypatch.setattr(fields, "lists_a_state", counting)
    text = "Workshop\n\n" + "Delegations: Chad\n" * 2_000
    assert [p.iso3 for p in extract(text, model="rules").participants] == ["TCD"]
    assert calls["n"] < 3 * 2_000  # was about 2,000 ** 2 / 2 = 2 million


def test_a_labelled_list_keeps_its_own_label_and_role():
    text = ("Workshop on border controls\n\nParticipants:\nMember States: Ghana, Togo and Benin.\n"
            "Other States: Japan.\nObservers: Holy See.\n\nGhana noted a lack of licensing staff.\n")
    roles = {p.iso3: p.role for p in extract(text, model="rules").participants}
    assert roles == {"GHA": "participant", "TGO": "participant", "BEN": "participant", "JPN": "participant",
                     "VAT": "observer"}


# --- absentees listed under a label (tidy4's note) ------------------------------------------------

ABSENT_NOTE = (
    "Sub-regional workshop on export controls\n\n"
    "Participants: Ghana, Togo\n"
    "Delegations that did not attend: Benin, Burkina Faso\n\n"
    "Ghana noted a lack of licensing staff. Togo lacks detection equipment at its ports. "
    "Benin lacks a national control list.\n"
)


def test_a_label_naming_absentees_is_not_a_participants_list():
    assert field_for_label("delegations that did not attend") is None
    assert field_for_label("states not represented") is None
    assert field_for_label("non-participating states") is None
    assert field_for_label("participating delegations") == "participants"


def test_absentees_under_a_label_are_absent_and_the_line_above_is_not():
    assert absent_states(ABSENT_NOTE) == {"BEN", "BFA"}
    ex = extract(ABSENT_NOTE, model="rules")
    assert sorted(p.iso3 for p in ex.participants) == ["GHA", "TGO"]
    assert sorted({n.state_iso3 for n in ex.needs}) == ["GHA", "TGO"]


def test_absentees_listed_one_a_line_under_a_lead_end_at_a_blank_line():
    text = ("Workshop\n\nStates not represented:\nBenin\nBurkina Faso\n\n"
            "Officials from Ghana attended. Togo's delegation thanked the hosts.\n")
    assert absent_states(text) == {"BEN", "BFA"}


@pytest.mark.parametrize("text, absent", [
    ("Officials from Ghana attended; Benin, which did not attend, sent written comments: none.", {"BEN"}),
    ("Ghana and Togo were present. Absent: Benin; Niger.", {"BEN", "NER"}),
    ("Ghana attended. Benin was absent.", {"BEN"}),
])
def test_absent_words_after_a_state_still_name_it(text, absent):
    assert absent_states(text) == absent


# --- many short blocks ----------------------------------------------------------------------------

def test_thousands_of_short_lines_share_a_few_spacy_docs(monkeypatch):
    # One spaCy doc per block cost 4.5 KB each: 300 MB for 45,000 one-word lines.
    pipeline = nlp()
    made = {"docs": 0}
    original = pipeline.make_doc

    def counting(text):
        made["docs"] += 1
        return original(text)

    monkeypatch.setattr(pipeline, "make_doc", counting)
    text = "Workshop\n\nParticipants:\n" + "- Chad\n" * 5_000
    found = sentences(text)
    assert len(found) == 5_000 and {s.text for s in found} == {"- Chad"}
    assert made["docs"] <= 2  # 35,000 characters: one doc (was 5,000)


def test_each_block_starts_its_own_sentences_inside_a_shared_doc():
    text = ("Chad lacks licensing staff.\n(a) Mali needs detection equipment. Niger lacks a control list\n"
            "- and a national authority.\n\nTogo noted gaps.")
    assert [(s.text, text[s.start:s.end] == s.text) for s in sentences(text)] == [
        ("Chad lacks licensing staff.", True),
        ("(a) Mali needs detection equipment.", True),
        ("Niger lacks a control list", True),
        ("- and a national authority.", True),
        ("Togo noted gaps.", True),
    ]


def test_the_benchmark_prints_a_row_per_shape(capsys):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_hostile_extract

    assert bench_hostile_extract.main(["--sizes", "1000,4000", "--only", "who_came,colon_run"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| who_came")
            or line.startswith("| colon_run")]
    assert len(rows) == 2 and all(row.count("/") == 2 for row in rows)  # seconds / MB at both sizes
