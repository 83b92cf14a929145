"""Offers and formal requests added to the dashboard's fixture store (tests/fixture_store.py) by the
store's own ``merge_assistance`` (no extractor), for the brief, export, gap finder and state page
tests. What the matching table then says of the fixture (``NeedFilter()``, as of 2026):

- KAZ · Legal and regulatory framework: *offered* (Japan, 2018, to named states);
- KGZ · Licensing: *offered* (a provider named with a ``<script>`` tag, 2016, to all participants);
- UZB · Dual-use identification: *open*, formally requested on 2019-02-01;
- ALB · Licensing: *open*, a formal request (2016-05-04) and no need;
- KAZ · Law enforcement capacity: *open* since 2012;
- the four states' border and customs control: *taken up* by the 2018 Vienna peer review.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from needs_tracker import store
from needs_tracker.extract.assistance_records import OfferRecord, RequestRecord
from needs_tracker.store.assistance import merge_assistance

OFFER = "Japan stands ready to help Kazakhstan draft its export control law."
HOSTILE_PROVIDER = "<script>alert(2)</script> Trust"
HOSTILE_OFFER = "The <script>alert(2)</script> Trust offered all participants help with licensing."
REQUEST = "Uzbekistan requested assistance in identifying dual-use items."
LETTER = "Albania has the honour to request assistance with its licensing system."


def add_assistance(location: str) -> None:
    def work(con):
        def wid(title: str) -> int:
            return con.execute("select id from workshops where title = ?", [title]).fetchall()[0][0]

        merge_assistance(con, wid("Peer review, Vienna"), SimpleNamespace(
            offers=[OfferRecord("Japan", "JPN", "legal_regulatory_framework", ("KAZ",), "named", OFFER, 0,
                                len(OFFER), 0.9, "test")],
            requests=[RequestRecord("UZB", "dual_use_identification", date(2019, 2, 1), REQUEST, 0, len(REQUEST),
                                    0.9, "test")]))
        bishkek = con.execute("select id from workshops where venue_city = 'Bishkek'").fetchall()[0][0]
        merge_assistance(con, bishkek, SimpleNamespace(offers=[
            OfferRecord(HOSTILE_PROVIDER, None, "licensing", ("KGZ",), "all_participants", HOSTILE_OFFER, 0,
                        len(HOSTILE_OFFER), 0.8, "test")], requests=[]))
        merge_assistance(con, wid("Briefing without named states"), SimpleNamespace(offers=[], requests=[
            RequestRecord("ALB", "licensing", date(2016, 5, 4), LETTER, 0, len(LETTER), 0.9, "test")]))

    store.write(location, work)
