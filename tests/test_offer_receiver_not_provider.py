"""A state that "will receive" help is its recipient, never the provider (qa10 list, fix10b): "Ghana will
receive radiation detectors with the support of a donor yet to be identified" gave an offer with Ghana as
provider. With no giver known there is no offer; a giver named after "from" offers; receiving visitors is
hosting them, the host's offer. Read by the real extractor on a small note."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract

NOTE = """Information Note

Event: Regional Workshop on the Implementation of Resolution 1540 (2004) for West African States

Organizers: United Nations Office for Disarmament Affairs (UNODA).

Date and Venue: 14-16 May 2019, Accra, Ghana

Participants: States: Ghana, Nigeria, Togo and Benin.

{sentence}
"""


def _offers(sentence: str) -> list[tuple[str, str]]:
    return [(o.provider, o.category) for o in extract(NOTE.format(sentence=sentence)).offers]


@pytest.mark.parametrize("sentence", [
    "Ghana will receive radiation detectors with the support of a donor yet to be identified.",
    "Ghana will receive radiation detectors.",
])
def test_a_state_that_will_receive_help_offers_nothing(sentence):
    assert _offers(sentence) == []


def test_the_giver_after_from_is_the_provider():
    assert _offers("Ghana will receive radiation detectors from Japan.") == [("Japan", "detection_equipment")]


def test_receiving_visitors_is_the_host_s_offer():
    providers = {p for p, _ in _offers("Nigeria will receive ten customs officers of Ghana and Togo for a "
                                       "two-week training course on border controls.")}
    assert providers == {"Nigeria"}
