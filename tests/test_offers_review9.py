"""Review of round 15's offer rules: a giver named late in a report's passive, a promise after a programme's
presentation, and reported prose under a heading made of column words. Every note is written for its test."""

from __future__ import annotations

from needs_tracker.extract import extract
from offer_helpers import HEAD, offer_pairs

IAEA_HEAD = ("International Atomic Energy Agency\nDivision of Nuclear Security\n"
             "Regional Meeting on Border Monitoring, Amman, 12-14 March 2024\n\n"
             "Participants from Jordan, Lebanon, Iraq and Yemen attended the meeting.\n\n")


def _issuer_offers(body: str) -> set[tuple[str, str]]:
    return {(o.provider, o.evidence) for o in extract(IAEA_HEAD + body + "\n").offers}


def test_a_giver_named_after_the_recipient_is_not_the_reports_organisation():
    body = ("Radiation portal monitors will be supplied to Lebanon by the host government.\n"
            "Training on border detection will be delivered to Yemen by its national authorities in 2025.\n")
    assert _issuer_offers(body) == set()


def test_by_a_time_still_leaves_the_reports_organisation_as_giver():
    sentence = "Hand-held radiation detection instruments will be supplied to Lebanon by the end of 2025."
    assert ("IAEA", sentence) in _issuer_offers(sentence)


def test_a_promise_announced_after_a_programme_presented_stays_an_offer():
    sentence = ("Japan presented its border security programme, which provides training to customs officers, and "
                "announced a new grant for radiation detection equipment to Ghana.")
    assert ("JPN", "detection_equipment") in offer_pairs(sentence)


def test_reported_prose_under_a_heading_of_column_words_is_no_table_of_offers():
    body = ("Partners and activities\n"
            "EU experts visited Ghana in 2019 to review its strategic trade control\n"
            "legislation, and customs officers from Togo were trained in Brussels\n"
            "Ghana described its national control list and the licensing process in detail.\n"
            "Spain participated as an observer\n")
    offers = extract(HEAD + body + "\n").offers
    assert [o.rule for o in offers if o.rule.startswith("offer/flat-table")] == []


FOLLOW_UP = """Participants from Ghana, Togo and Benin attended.

Follow-up actions agreed
| State | Follow-up action | Responsible | Timing |
|---|---|---|---|
| Ghana | Draft a national control list of dual-use goods | Ministry of Trade of Ghana | 2027 |
| Togo | Train customs officers in detecting radioactive material | Togo Revenue Authority | 2027 |
| Benin | Review the draft export control law | VERTIC | 2027 |
"""


def test_a_responsible_column_naming_the_rows_own_state_is_its_own_action():
    offers = {(o.provider_iso3 or o.provider, o.category, o.recipients_iso3) for o in extract(HEAD + FOLLOW_UP).offers}
    assert ("VERTIC", "legal_regulatory_framework", ("BEN",)) in offers
    assert offers == {("VERTIC", "legal_regulatory_framework", ("BEN",))}  # not Ghana's nor Togo's own actions
