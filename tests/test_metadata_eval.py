"""The metadata scorer: token F1 for titles and organisers, exact dates and places, over a labelled set
built here (two notes and their labels), and its command line."""

from __future__ import annotations

import json

import pytest

from needs_tracker.metadata_eval import agreement, main, organiser_names_f1, organisers_f1, score_set, token_f1


@pytest.mark.parametrize("got, gold, expected", [
    ("Workshop on Export Control.", "workshop on export control", 1.0),
    (None, None, 1.0),
    ("Representativ", "Peer review meeting", 0.0),
    (None, "Peer review meeting", 0.0),
    (["UNODA", "Government of Peru"], ["Government of Peru"], 0.8),  # 2 of 3 words back, all 2 found
])
def test_token_f1(got, gold, expected):
    assert token_f1(got, gold) == pytest.approx(expected)


@pytest.mark.parametrize("name, got, gold, expected", [
    ("venue_country", "Kyrgyz Republic", "Kyrgyzstan", 1.0),
    ("venue_city", "Bogotá", "bogota", 1.0),
    ("venue_city", None, "Lima", 0.0),
    ("start_date", "2019-11-18", "2019-11-18", 1.0),
    ("end_date", None, None, 1.0),
])
def test_agreement_of_dates_and_places(name, got, gold, expected):
    assert agreement(name, got, gold) == expected


NOTE_A = """Regional Workshop on Export Control for Central Asian States

Dates: 12-14 March 2018
Venue: Almaty, Kazakhstan
Organizers: OSCE, UNODA
Participating States: Kazakhstan, Kyrgyzstan, Tajikistan
"""
NOTE_B = """Skip to main content

On 2 May 2019, the Government of Peru hosted a national round table on border security in Lima, Peru.
"""


def test_score_set(tmp_path):
    (tmp_path / "a.txt").write_text(NOTE_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(NOTE_B, encoding="utf-8")
    gold = [
        {"file": "a.txt", "title": "Regional Workshop on Export Control for Central Asian States",
         "start_date": "2018-03-12", "end_date": "2018-03-14", "venue_city": "Almaty",
         "venue_country": "Kazakhstan", "organizers": ["OSCE", "UNODA"]},
        {"file": "b.txt", "title": "National round table on border security", "start_date": "2019-05-02",
         "end_date": "2019-05-02", "venue_city": "Lima", "venue_country": "Peru",
         "organizers": ["Government of Peru", "UNODA"]},
    ]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    report = score_set("t", tmp_path / "gold.json", tmp_path)
    assert report.documents == 2
    assert report.mean("title") == 1.0
    assert report.mean("start_date") == report.mean("end_date") == 1.0
    assert report.mean("venue_city") == report.mean("venue_country") == 1.0
    # b: "Government of Peru" found (one name: one key), UNODA not: recall 1/2, precision 1 -> F1 2/3
    assert report.mean("organizers") == pytest.approx((1.0 + 2 / 3) / 2)
    assert report.mean("organiser_names") == pytest.approx((1.0 + 2 / 3) / 2)
    assert [(e["file"], e["field"]) for e in report.errors] == [("b.txt", "organizers"), ("b.txt", "organiser_names")]


def test_command_line_names_a_missing_folder(tmp_path, capsys):
    (tmp_path / "gold.json").write_text("[]", encoding="utf-8")
    assert main([str(tmp_path / "gold.json"), str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "nowhere: no such folder" in err
    assert "\n" not in err


@pytest.mark.parametrize("got, gold, expected", [
    (["United Nations Office for Disarmament Affairs (UNODA)"], ["UNODA"], 1.0),
    (["United Nations Office for Disarmament Affairs"], ["UNODA"], 1.0),
    (["OSCE"], ["Organization for Security and Co-operation in Europe (OSCE)"], 1.0),
    (["Government of Peru"], ["UNODA"], 0.0),
])
def test_organisers_match_acronyms(got, gold, expected):
    assert organisers_f1(got, gold) == pytest.approx(expected)


def test_a_government_counts_as_its_state():
    assert organisers_f1(["Ministry of Foreign Affairs of the Lao PDR", "UNODA"], ["Laos", "UNODA"]) == 1.0
    assert organisers_f1(["Arab Atomic Energy Agency"], ["Arab Atomic Energy Agency (AAEA)"]) == 1.0


def test_an_acronym_inside_a_longer_name_is_no_key():
    got = ["United Nations Office on Drugs and Crime (UNODC)", "Terrorism Prevention Branch", "INTERPOL"]
    gold = ["United Nations Office on Drugs and Crime (UNODC), Terrorism Prevention Branch", "INTERPOL"]
    assert organisers_f1(got, gold) == 1.0


def test_organisers_as_names_a_glued_name_finds_one():
    gold = ["Division of Nuclear Security", "Energy and Minerals Regulatory Commission (EMRC)"]
    assert organiser_names_f1(["Division of Nuclear Security, Energy and Minerals Regulatory Commission"], gold) \
        == pytest.approx(2 / 3)
    assert organiser_names_f1(["Division of Nuclear Security", "EMRC"], gold) == 1.0
    assert organiser_names_f1([], []) == 1.0
