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
    # a counted or named group announcing its members: colon, parentheses, dashes, "particularly"
    ("The course was attended by representatives from 3 States Parties: Benin, Chad and Mali.",
     {"BEN", "TCD", "MLI"}),
    ("Twenty participants from four States Parties (Ghana, Togo (host), Chad and Niger) attended the workshop.",
     {"GHA", "TGO", "TCD", "NER"}),
    ("Officials of three Member States —Belize, Grenada and Jamaica— attended the course.", {"BLZ", "GRD", "JAM"}),
    ("The seminar was attended by experts from the region, particularly Armenia, Georgia and Jordan.",
     {"ARM", "GEO", "JOR"}),
    ("The course gathered legal officers from 3 Member States in Africa: Angola, Botswana and Malawi.",
     {"AGO", "BWA", "MWI"}),
    ("The following States Parties were represented at the Forum: Chile, Kenya and Nepal.", {"CHL", "KEN", "NPL"}),
    ("States that have not yet adopted a law - including Bhutan, Samoa and Nepal - provided updates.",
     {"BTN", "WSM", "NPL"}),
    ("Burundi, Kenya and Zambia all had representatives present at the training course.", {"BDI", "KEN", "ZMB"}),
    # a run of demonyms (a state's name may stand in it) before a people noun
    ("Some 40 Cambodian, Laotian, Myanmar, Thai, and Vietnamese experts attended.", {"KHM", "LAO", "MMR", "THA",
                                                                                     "VNM"}),
    ("The Minister of Foreign Affairs of Trinidad and Tobago participated in the Forum.", {"TTO"}),
    # points of contact from a state; a state that will send a delegation; a state's department
    ("A National Point of Contact from Chile also took part.", {"CHL"}),
    ("It is expected that Kyrgyzstan and Tajikistan will send a joint delegation.", {"KGZ", "TJK"}),
    ("UNLIREC accompanied a delegation from the South African Department of Trade and Industry.", {"ZAF"}),
    # a person's name, then their state in parentheses
    ("The session opened with addresses by Carlos López (Spain) on behalf of the Chair.", {"ESP"}),
    # a host in an announcement; a state that briefed the meeting
    ("Saudi Arabia will host the workshop in Riyadh.", {"SAU"}),
    ("The Committee received a briefing from the Republic of Mozambique on the course.", {"MOZ"}),
    # a page that shows nobody taking part is about the state it keeps naming
    ("Kenya launched its plan. Kenya faces challenges at its ports. The plan will make Kenya safer.", {"KEN"}),
]

FOOTNOTED = ("Regional meeting\n\nThe meeting gathered 30 participants from 4 States Parties* and one observer.\n\n"
             "* Argentina, Bahamas, Columbia, Trinidad and Tobago, Peru\n")


def test_an_asterisked_footnote_lists_the_states_it_counts():
    # four in five items are states: a misspelt one ("Columbia") does not stop the list
    assert {p.iso3 for p in extract(FOOTNOTED).participants} == {"ARG", "BHS", "TTO", "PER"}
    # a footnote that is not a list of states names no participant
    assert {p.iso3 for p in extract(FOOTNOTED.replace("* Argentina", "* Source: Argentina press, UN, OAS, "
                                                                      "Argentina")).participants} == set()

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
    # Addis Ababa seats the African Union and UNECA: a course there is not hosted by Ethiopia
    ("The course was held at the UN Conference Centre in Addis Ababa, Ethiopia. Officials from Peru attended.",
     {"PER"}),
    ("The experience of Kenya, Uganda and Tanzania was presented by officials from Peru.", {"PER"}),
    # a counted group whose list is no attendance ("challenges of three countries: ...")
    ("The report described the challenges of three countries (Chad, Mali and Niger). Officials from Peru attended.",
     {"PER"}),
    ("Spanish experts wrote the guide. Officials from Peru attended.", {"PER"}),  # a demonym with no people noun
    # a place in parentheses is no person's state
    ("Officials from Peru met in Lima (Peru) and in Santa Cruz (Bolivia).", {"PER"}),
    # named twice only, or as a funder: no subject
    ("The workshop was funded by Norway, Norway and Norway. Kenya was named twice: Kenya.", set()),
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
