# ruff: noqa: E501  (a table row is one line, as a writer types it)
"""A follow-up table that pairs each state's need with the support announced for it: "Participating State |
Need identified | Support offered". The row's state is who asked (the recipient), and the support cell names who
answers. Two blind batches written by different people (heldout37, heldout38) laid out OSCE reports this way, and
the rows were read with the asking state as the provider.

The tables here are written for the test (none is copied from a labelled set)."""

from __future__ import annotations

from needs_tracker.extract import extract
from offer_helpers import HEAD

NEED_TABLE = """Needs identified and follow-up

The table below records the needs raised by participating States and the support announced by partners.

Participating State | Need identified | Support offered / follow-up
Kyrgyzstan | The licensing authority has no electronic licensing system. | Norway will provide a licensing software package and train its users in 2027.
Tajikistan | Customs officers cannot identify dual-use goods at the border. | The European Union can deliver a commodity identification course once a request is received.
Uzbekistan | None raised. | –
"""


def _offers(body: str):
    return extract(HEAD + body).offers


def test_the_row_state_asks_and_the_support_cell_names_who_offers():
    offers = _offers(NEED_TABLE)
    providers = {o.provider_iso3 or o.provider for o in offers}
    assert providers == {"NOR", "EU"}
    by_provider = {o.provider_iso3 or o.provider: o for o in offers}
    assert by_provider["NOR"].recipients_iso3 == ("KGZ",)
    assert by_provider["EU"].recipients_iso3 == ("TJK",)


def test_a_row_with_no_support_offers_nothing():
    offers = _offers(NEED_TABLE)
    assert not any("UZB" in (o.provider_iso3 or "") for o in offers)


def test_a_member_state_column_is_who_asks_too():
    table = NEED_TABLE.replace("Participating State |", "Member State |")
    assert {o.provider_iso3 or o.provider for o in _offers(table)} == {"NOR", "EU"}


def test_an_offers_table_with_a_gap_column_and_beneficiaries_is_read_by_its_first_column():
    """"Country | Assistance offered | Gap addressed | Beneficiary": the first column's state offers (its
    offers are for the beneficiary column), even though a column names the gap each offer addresses
    (review8: read as a need table, every offer of such a table was lost)."""
    table = """Offers of assistance

Country | Assistance offered | Gap addressed | Beneficiary
Japan | Training of customs officers in the identification of dual-use goods | Customs capacity | Ghana
France | A legal expert to help draft export control legislation | Legislation | Togo
"""
    by_provider = {o.provider_iso3: o.recipients_iso3 for o in _offers(table)}
    assert by_provider == {"JPN": ("GHA",), "FRA": ("TGO",)}


def test_an_offer_column_before_the_need_column_is_what_the_first_column_offers():
    """"State | Offer | Needs addressed": the offer comes first, the need it meets after it; only an offer
    column that follows the need column is the partners' answer to the row's state."""
    table = """Offers of assistance

State | Offer | Needs addressed
Japan | Training of customs officers in the identification of dual-use goods | Ghana's customs capacity
"""
    assert {o.provider_iso3 for o in _offers(table)} == {"JPN"}


def test_a_support_cell_that_says_who_by_offers_to_the_rows_state():
    """"To be provided by Norway ...", "Offered by Japan: ...": the provider named after "by" answers the row's
    state (review8: read as a cell sentence of its own, the offer lost its recipient)."""
    table = """Needs identified and follow-up

Participating State | Need identified | Support offered
Ghana | Customs officers cannot identify dual-use goods at the border. | To be provided by Norway through a commodity identification course in 2027.
Togo | No export control law. | Offered by Japan: a legal expert to help draft the export control law.
"""
    by_provider = {o.provider_iso3: o.recipients_iso3 for o in _offers(table)}
    assert by_provider == {"NOR": ("GHA",), "JPN": ("TGO",)}
