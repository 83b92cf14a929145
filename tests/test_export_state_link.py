"""``needs-tracker export --url`` of a State profile's link writes that state's needs, as the page's
own download buttons do (qa10): it wrote every state's needs, saying "not filters, ignored: state"."""

from __future__ import annotations

from export_readers import csv_ids
from needs_tracker.cli import main
from needs_tracker.export import to_bytes
from needs_tracker.filters import NeedFilter


def test_a_state_profile_link_exports_that_state_s_needs(dashboard_store, tmp_path, capsys):
    out = tmp_path / "kaz.csv"
    link = "http://h:8501/state?state=KAZ&assist=1&year_from=2012"
    assert main(["export", "--format", "csv", "--url", link, "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {out}: 4 needs (Needs where state is Kazakhstan and year is 2012 or later)")
    assert captured.err == "needs-tracker: not filters, ignored: assist\n"
    page = to_bytes("csv", NeedFilter(states=("KAZ",), year_from=2012))[0]  # what the page's CSV button holds
    assert csv_ids(out.read_bytes()) == csv_ids(page)


def test_the_page_s_state_wins_over_the_sidebar_s_states(dashboard_store, tmp_path, capsys):
    out = tmp_path / "tjk.csv"
    assert main(["export", "--format", "csv", "--url", "http://h:8501/state?states=KAZ&state=TJK", "-o",
                 str(out)]) == 0
    assert "(Needs where state is Tajikistan)" in capsys.readouterr().out


def test_a_state_profile_link_naming_no_state_is_an_error(dashboard_store, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "--url", "http://h:8501/state?state=XXX", "-o", str(out)]) == 2
    assert "XXX" in capsys.readouterr().err
    assert not out.exists()
