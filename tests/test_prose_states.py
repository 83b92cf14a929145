"""Participating states in prose (issue 10, item 2): what real documents do that notes don't.

Each row is a short document without a participants list and the states that took part in it.
The negative rows are states named in passing (a funder, a chair, an example, a place), which
must not become participants."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.participants import organiser_state

TOOK_PART = [
    # adjectives and demonyms
    ("Kenyan and Ugandan officials met to discuss border controls.", {"KEN", "UGA"}),
    ("The Icelandic delegation and Luxembourger experts reviewed the plan.", {"ISL", "LUX"}),
    ("Kenyan police officers and Ugandan customs officials met in the workshop.", {"KEN", "UGA"}),
    # former and other names
    ("Officials from Zaire and Upper Volta attended the seminar.", {"COD", "BFA"}),
    ("The delegation of Swaziland took part.", {"SWZ"}),
    # lists after "the governments of", "officials from", "delegations of", "representatives of"
    ("The seminar brought together the governments of Chad, Niger and Mali.", {"TCD", "NER", "MLI"}),
    ("Delegations of Ghana and Togo took part in the discussion.", {"GHA", "TGO"}),
    ("Representatives of Brazil, Chile and Peru attended.", {"BRA", "CHL", "PER"}),
    ("Kenya, Uganda and Tanzania participated in the workshop.", {"KEN", "UGA", "TZA"}),
    ("Participating countries included Benin, Togo and Ghana.", {"BEN", "TGO", "GHA"}),
    ("Countries represented were Chad and Mali.", {"TCD", "MLI"}),
    ("The workshop was attended by Chad, Mali and Niger.", {"TCD", "MLI", "NER"}),
    ("The workshop was attended by officials from the Ministry of Foreign Affairs, the Customs Service and the "
     "Police of Ghana.", {"GHA"}),
    # a list whose other items are not states
    ("More than 45 participants from South-East Asian States and Timor-Leste met to discuss the resolution.",
     {"TLS"}),
    ("Participants included representatives from ten States, as well as from the co-sponsors including the "
     "European Union, France, and the United States.", {"FRA", "USA"}),
    # people of a state in a sentence about an offer
    ("Representatives from partner States, including Japan, presented the programmes on offer.", {"JPN"}),
    # a register of requests; officers who took part for their government
    ("Formal requests were submitted to the Committee by Armenia, Iraq and Serbia.", {"ARM", "IRQ", "SRB"}),
    ("Two Department officers participated for the USG.", {"USA"}),
    # the funder's clause ends at its comma
    ("This package, currently funded by the United States Department of State, targets five countries: "
     "Belize, Grenada and Jamaica.", {"BLZ", "GRD", "JAM"}),
    # a co-organising ministry or agency is a host
    ("The workshop was co-organized by UNODA and the Ministry of Foreign Affairs of Kenya.", {"KEN"}),
    ("The round table was organized by the Kyrgyz Ministry of Economy and the OSCE.", {"KGZ"}),
    # a host named through its capital
    ("The national round table was held in Dushanbe.", {"TJK"}),
    ("Officials from Tashkent and Bishkek attended the course.", {"UZB", "KGZ"}),
    ("A delegation from Astana attended.", {"KAZ"}),  # GeoNames lists the capital as Nur-Sultan
]

IN_PASSING = [
    ("The 1540 Committee, chaired by the Permanent Representative of Bolivia, sent two experts to the meeting. "
     "Officials from Peru attended.", {"PER"}),
    ("The workshop was funded by Norway. Officials from Peru attended.", {"PER"}),
    ("Experts from the region discussed the experience of Germany in licensing. Officials from Peru attended.",
     {"PER"}),
    ("With the support of the Government of Japan, UNODA organised a course for officials from Kenya.", {"KEN"}),
    ("Japan offered to provide detection equipment to the participants. Officials from Kenya attended.", {"KEN"}),
    ("The meeting in Istanbul brought together representatives of Kazakhstan, Kyrgyzstan and Tajikistan.",
     {"KAZ", "KGZ", "TJK"}),
    ("Officials from Mexico attended; the laws of France were cited as a model.", {"MEX"}),
    ("States were encouraged to adopt laws like those of Chad. Officials from Peru attended.", {"PER"}),
    ("With financial support from the Government of Canada, the workshop brought together officials from Mongolia.",
     {"MNG"}),
    ("Ukraine's delegation described the situation in Russia.", {"UKR"}),
    ("Experts from Vienna and officials from Lima attended.", {"PER"}),  # Vienna seats the IAEA and UNODC
    ("The experience of Kenya, Uganda and Tanzania was presented by officials from Peru.", {"PER"}),
]


@pytest.mark.parametrize(("text", "states"), TOOK_PART + IN_PASSING)
def test_states_that_took_part(text, states):
    ex = extract("Workshop on resolution 1540\n\n" + text + "\n")
    assert {p.iso3 for p in ex.participants} == states


def test_a_co_organising_government_is_a_host_and_a_funder_is_not():
    ex = extract("Workshop\n\nThe workshop was jointly organized by UNRCPD and the Government of Thailand, with "
                 "financial support from the Governments of Australia and Austria. Officials from Laos attended.\n")
    roles = {p.iso3: p.role for p in ex.participants}
    assert roles == {"THA": "host", "LAO": "participant"}


@pytest.mark.parametrize(
    ("organiser", "expected"),
    [
        ("Government of Thailand", ("THA", "Thailand")),
        ("the government of Botswana", ("BWA", "Botswana")),
        ("Ministry of Economy and Commerce of the Kyrgyz Republic", ("KGZ", "Kyrgyz Republic")),
        ("Kenya's National Police Service", ("KEN", "Kenya")),
        ("State Customs Committee of Azerbaijan", ("AZE", "Azerbaijan")),
        ("Kazakhstan", ("KAZ", "Kazakhstan")),
        ("OSCE Programme Office in Tajikistan", None),
        ("UNRCPD in Lome, Togo", None),
        ("Organization of American States", None),
        ("United Nations Office for Disarmament Affairs", None),
    ],
)
def test_organiser_state(organiser, expected):
    assert organiser_state(organiser) == expected
