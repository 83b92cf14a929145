"""A store for the offer and request review tests: the dashboard fixture (tests/fixture_store.py)
plus a workshop whose note makes three offers (one of them full of markup) and a register with
two formal requests, written row by row through the store's own write function
(``merge_assistance``), not by the extractor, so a rule change never changes what the tests see.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from fixture_store import build_store
from needs_tracker.extract.assistance_records import OfferRecord, RequestRecord
from needs_tracker.store import connect
from needs_tracker.store.assistance import merge_assistance

OFFERS_NOTE = ("Workshop on assistance, Almaty\n\nParticipants: Kazakhstan and Kyrgyzstan.\n\n"
               "Japan offered to provide radiation detection equipment to Kazakhstan.\n"
               "The OSCE stands ready to support all participating States in drafting national action plans.\n"
               "The European Union could help with <b>licensing</b> **training** [x](http://evil.example).\n\n"
               "The workshop was funded by Norway.\n")
REGISTER = ("Assistance requests received\n\nKENYA (Date of Request: 18 January 2019)\n\n"
            "1. Assistance in establishing an interagency coordination mechanism.\n"
            "2. Review of the draft Strategic Trade Control Bill.\n")
# (provider, iso3, category, recipients, kind, sentence, confidence)
OFFERS = [("Japan", "JPN", "detection_equipment", ("KAZ",), "named",
           "Japan offered to provide radiation detection equipment to Kazakhstan.", 0.9),
          ("OSCE", None, "national_action_plan", ("KAZ", "KGZ"), "all_participants",
           "The OSCE stands ready to support all participating States in drafting national action plans.", 0.6),
          ("EU", None, "licensing", ("KAZ", "KGZ"), "all_participants",
           "The European Union could help with <b>licensing</b> **training** [x](http://evil.example).", 0.4)]
# (iso3, category, date, sentence, confidence)
REQUESTS = [("KEN", "interagency_cooperation", date(2019, 1, 18),
             "1. Assistance in establishing an interagency coordination mechanism.", 0.7),
            ("KEN", "legal_regulatory_framework", date(2019, 1, 18),
             "2. Review of the draft Strategic Trade Control Bill.", 0.5)]


def _add_note(con, doc: str, file_name: str, title: str, kind: str, text: str, states: list[str]) -> int:
    con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', ?, ?)",
                [doc, file_name, len(text.encode()), text])
    wid = con.execute("insert into workshops (document_id, title, year, kind) values (?, ?, 2019, ?) returning id",
                      [doc, title, kind]).fetchall()[0][0]
    for iso3 in states:
        con.execute("insert into participation (workshop_id, state_iso3, role) values (?, ?, 'participant')",
                    [wid, iso3])
    return wid


def build_assistance_store(path: Path) -> str:
    location = build_store(path)
    with connect(location) as con:
        con.execute("begin")
        wid = _add_note(con, "doc_offers", "almaty_offers.txt", "Workshop on assistance, Almaty", "workshop",
                        OFFERS_NOTE, ["KAZ", "KGZ"])
        offers = [OfferRecord(p, iso3, cat, rec, kind, s, OFFERS_NOTE.index(s), OFFERS_NOTE.index(s) + len(s), conf,
                              "fixture") for p, iso3, cat, rec, kind, s, conf in OFFERS]
        merge_assistance(con, wid, SimpleNamespace(offers=offers, requests=[]), text=OFFERS_NOTE)
        rid = _add_note(con, "doc_register", "register.txt", "Assistance requests received", "assistance_requests",
                        REGISTER, [])
        requests = [RequestRecord(iso3, cat, day, s, REGISTER.index(s), REGISTER.index(s) + len(s), conf, "fixture")
                    for iso3, cat, day, s, conf in REQUESTS]
        merge_assistance(con, rid, SimpleNamespace(offers=[], requests=requests), text=REGISTER)
        con.execute("commit")
    return location
