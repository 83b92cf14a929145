"""A register's item of over a million characters (a hostile note that is one long line) is classified
by its opening instead of failing the whole note with spaCy's max_length error (review10)."""

from __future__ import annotations

from needs_tracker.extract.requests import _item_categories


def test_an_item_longer_than_spacys_limit_is_classified():
    body = "assistance with export control legislation " + "and more words " * 75_000  # 1.1 M characters
    assert len(body) > 1_000_000
    categories, factor = _item_categories(body)
    assert categories != ["other"]
    assert 0 < factor <= 1
