"""Stores for dashboard, export and CLI tests, written row by row (not through the extractor),
so a change to the extraction rules never changes what these tests see.

``build_store`` writes five workshops: two ordinary ones (2012 Ashgabat, 2018 Vienna), one
whose note gave no date, year, title or venue, one with only a year, and one naming no
state. One 2018 sentence is attributed to four states at once.
"""

from __future__ import annotations

from pathlib import Path

from needs_tracker.store import connect

BORDER = "Kazakhstan, Kyrgyzstan, Tajikistan and Turkmenistan reported gaps in border and export/import controls."
LICENSING = "Côte d'Ivoire noted the lack of a licensing system for <b>dual-use</b> goods."
HOSTILE = ("Kyrgyzstan still needs assistance with its licensing system <script>alert(1)</script> "
           "![t](http://evil.example/t.png) $x^2$.")
# (id, title, start, end, precision, year, city, country, text, states, needs)
# needs: (iso3, category, sentence, status)
WORKSHOPS = [
    (1, "Regional workshop, Ashgabat", "2012-05-15", "2012-05-17", "day", 2012, "Ashgabat", "Turkmenistan",
     ["KAZ", "KGZ", "TJK", "TKM"],
     [("KAZ", "border_customs_control", BORDER, "extracted"),
      ("KGZ", "border_customs_control", BORDER, "extracted"),
      ("TJK", "border_customs_control", BORDER, "confirmed"),
      ("TKM", "border_customs_control", BORDER, "extracted"),
      ("KAZ", "law_enforcement_capacity", "Kazakhstan asked for training of its law enforcement officers.",
       "extracted")]),
    (2, "Peer review, Vienna", "2018-03-19", "2018-03-21", "day", 2018, "Vienna", "Austria",
     ["KAZ", "KGZ", "TJK", "TKM", "UZB"],
     [("KAZ", "legal_regulatory_framework", "Kazakhstan is still drafting its export control law.", "extracted"),
      ("UZB", "dual_use_identification", "Uzbekistan needs help identifying dual-use items.", "extracted"),
      ("UZB", "licensing", "Uzbekistan requested assistance with licensing procedures.", "rejected")]),
    (3, None, None, None, None, None, None, None, ["KAZ", "CIV"],
     [("CIV", "licensing", LICENSING, "extracted"),
      ("KAZ", "control_lists", "Kazakhstan has no national control list yet.", "extracted")]),
    (4, "Outreach event", None, None, "year", 2015, None, None, ["KAZ"],
     [("KAZ", "border_customs_control", "Kazakhstan reported a lack of detection equipment at border "
       "crossings.", "extracted")]),
    (5, "Briefing without named states", "2016-01-10", None, "day", 2016, "Geneva", "Switzerland", [], []),
    (6, "Workshop on **Licensing** [click](http://evil.example) <b>bold</b>", "2016-06-10", "2016-06-11", "day",
     2016, "Bishkek", "Kyrgyzstan", ["KGZ"],
     [("KGZ", "licensing", HOSTILE, "extracted")]),
]


def build_store(path: str | Path) -> str:
    """Write the fixture store at ``path`` and return its location."""
    location = str(path)
    with connect(location) as con:
        for wid, title, start, end, precision, year, city, country, states, needs in WORKSHOPS:
            sentences = list(dict.fromkeys(s for _, _, s, _ in needs))
            text = (title or "Information note") + "\n\n" + "\n".join(sentences) + "\n"
            doc = f"doc{wid:02d}"
            con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', ?, ?)",
                        [doc, f"note_{wid}.txt", len(text.encode()), text])
            got = con.execute("""insert into workshops (document_id, title, start_date, end_date, date_precision, year,
                                 venue_city, venue_country) values (?, ?, ?, ?, ?, ?, ?, ?) returning id""",
                              [doc, title, start, end, precision, year, city, country]).fetchall()[0][0]
            assert got == wid, "the fixture needs a new store (its ids count from 1)"
            for iso3 in states:
                con.execute("insert into participation (workshop_id, state_iso3, role) values (?, ?, 'participant')",
                            [wid, iso3])
            con.execute("insert into workshop_organisations values (?, 'UNODA', 'organizer')", [wid])
            for iso3, category, sentence, status in needs:
                start_at = text.index(sentence)
                con.execute("""insert into needs (workshop_id, state_iso3, category, evidence, span_start,
                               span_end, rule, confidence, status) values (?, ?, ?, ?, ?, ?, 'fixture', 0.9, ?)""",
                            [wid, iso3, category, sentence, start_at, start_at + len(sentence), status])
        con.execute("insert into topics values (2, 'border_customs_control', 'border controls', 0, 5)")
    return location
