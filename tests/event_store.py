"""A store where one event has two sources, written row by row (not through the extractor), for
the event-counting and workshop-page tests.

1. The information note of a 2018 Vienna peer review (KAZ and UZB report needs) and
2. a press release of the same review (UZB repeats its need; the EU offers help), linked to 1
   as the automatic same-event score would, with a title that tries markdown and HTML;
3. a 2012 Ashgabat seminar (KGZ reports a need), an event of its own;
4. a 2018 Nairobi briefing (no needs), an event of its own, the same year as 1;
5. a register of formal requests (kind ``assistance_requests``) with one dated request.
"""

from __future__ import annotations

from pathlib import Path

from needs_tracker.store import connect

UZB_NEED = "Uzbekistan needs help identifying dual-use items."
KAZ_NEED = "Kazakhstan is still drafting its export control law."
KGZ_NEED = "Kyrgyzstan reported a lack of detection equipment at border crossings."
EU_OFFER = "The European Union stands ready to support Uzbekistan in identifying dual-use items."
REQUEST = "(Date of Request: 18 January 2019) Kenya requests assistance with interagency coordination."
PRESS_TITLE = "Press release: peer review **Vienna** [x](http://evil.example) <b>bold</b>"
REASONS = "dates overlap; same city; participants 100% alike"

# (id, file, title, kind, start, end, year, city, country, states, needs: (iso3, category, sentence, status))
WORKSHOPS = [
    (1, "vienna_information_note.txt", "Peer review, Vienna", "workshop", "2018-03-19", "2018-03-21", 2018,
     "Vienna", "Austria", ["KAZ", "UZB"],
     [("KAZ", "legal_regulatory_framework", KAZ_NEED, "extracted"),
      ("UZB", "dual_use_identification", UZB_NEED, "confirmed")]),
    (2, "vienna_press_release.txt", PRESS_TITLE, "workshop", "2018-03-19", "2018-03-21", 2018, "Vienna", "Austria",
     ["KAZ", "UZB"], [("UZB", "dual_use_identification", UZB_NEED, "extracted")]),
    (3, "ashgabat_seminar.txt", "Seminar, Ashgabat", "workshop", "2012-06-05", "2012-06-05", 2012, "Ashgabat",
     "Turkmenistan", ["KGZ", "TKM"], [("KGZ", "detection_equipment", KGZ_NEED, "extracted")]),
    (4, "nairobi_briefing.txt", "Briefing, Nairobi", "workshop", "2018-10-02", "2018-10-02", 2018, "Nairobi",
     "Kenya", ["KEN"], []),
    (5, "register_of_requests.txt", "Register of assistance requests", "assistance_requests", None, None, None,
     None, None, [], []),
]


def build_event_store(path: str | Path) -> str:
    """Write the store at ``path`` and return its location."""
    location = str(path)
    with connect(location) as con:
        for wid, file_name, title, kind, start, end, year, city, country, states, needs in WORKSHOPS:
            lines = [title, *dict.fromkeys(s for _, _, s, _ in needs)]
            if wid == 2:
                lines.append(EU_OFFER)
            if wid == 5:
                lines.append(REQUEST)
            text = "\n\n".join(lines) + "\n"
            doc = f"doc{wid:02d}"
            con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', ?, ?)",
                        [doc, file_name, len(text.encode()), text])
            got = con.execute(
                "insert into workshops (document_id, title, kind, start_date, end_date, date_precision, year, "
                "venue_city, venue_country) values (?, ?, ?, ?, ?, 'day', ?, ?, ?) returning id",
                [doc, title, kind, start, end, year, city, country]).fetchall()[0][0]
            assert got == wid, "the fixture needs a new store (its ids count from 1)"
            for iso3 in states:
                con.execute("insert into participation (workshop_id, state_iso3, role) values (?, ?, 'participant')",
                            [wid, iso3])
            con.execute("insert into workshop_organisations values (?, 'UNODA', 'organizer')", [wid])
            for iso3, category, sentence, status in needs:
                at = text.index(sentence)
                con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, "
                            "rule, confidence, status) values (?, ?, ?, ?, ?, ?, 'fixture', 0.9, ?)",
                            [wid, iso3, category, sentence, at, at + len(sentence), status])
            if wid == 2:
                at = text.index(EU_OFFER)
                con.execute("insert into offers (workshop_id, provider, category, recipients_iso3, recipients_kind, "
                            "evidence, span_start, span_end, rule, confidence) values "
                            "(2, 'European Union', 'dual_use_identification', ['UZB'], 'named', ?, ?, ?, 'fixture', "
                            "0.8)", [EU_OFFER, at, at + len(EU_OFFER)])
            if wid == 5:
                at = text.index(REQUEST)
                con.execute("insert into requests (workshop_id, state_iso3, category, requested_on, evidence, "
                            "span_start, span_end, rule, confidence) values "
                            "(5, 'KEN', 'interagency_cooperation', date '2019-01-18', ?, ?, ?, 'fixture', 0.9)",
                            [REQUEST, at, at + len(REQUEST)])
        con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, score, reasons) values "
                    "(1, 1, 'extracted', null, 'the event''s record'), (2, 1, 'extracted', 0.93, ?)", [REASONS])
    return location
