"""The offer scorer finds a labelled quote where a PDF's text breaks or pads the lines the labeller joined."""

from __future__ import annotations

import json

from needs_tracker.assistance_eval import evaluate_assistance


def test_a_not_offer_in_a_broken_line_still_counts_as_taken(tmp_path):
    (tmp_path / "note.txt").write_text(
        "Workshop on export controls, Dakar, 12 May 2015.\n\n"
        "Japan will provide training on export controls to Chad\nin 2016.\n", encoding="utf-8")
    labels = [{"file": "note.txt", "offers": [],
               "not_offers": ["Japan will provide training on export controls to Chad in 2016."]}]
    (tmp_path / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    report = evaluate_assistance(tmp_path / "labels.json", tmp_path)
    assert report.offers.fp >= 1  # the extractor takes it for an offer ...
    assert report.not_offers_taken == 1  # ... and the labelled not-offer is counted as taken
