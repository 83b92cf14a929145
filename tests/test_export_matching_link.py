"""``needs-tracker export --url`` of a Matching link keeps the page's status control (``match=``):
the page shows and downloads that status's rows only, and the export held every status (qa10:
13 rows on the page, 20 in the export). The store is the dashboard's fixture store plus offers and
requests written by the store's own ``merge_assistance`` (tests/matching_fixture.py)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from apptest_helpers import app
from matching_fixture import add_assistance
from needs_tracker import store
from needs_tracker.cli import main
from needs_tracker.export.matching_format import to_csv
from needs_tracker.filters import NeedFilter
from needs_tracker.store.assistance import matching_table

LINK = "http://h:8501/matching?states=KAZ&states=UZB&states=ALB&match={}&pair=KAZ:licensing"


@pytest.fixture
def location(dashboard_store) -> str:
    add_assistance(str(dashboard_store))
    return str(dashboard_store)


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["ISO3"], frame["Gap ID"], strict=True))


def _page_table(status: str) -> pd.DataFrame:
    """The rows the page's status control keeps, taken from the matching table directly."""
    with store.connect() as con:
        table = matching_table(con, NeedFilter(states=("KAZ", "UZB", "ALB")))
    return table[table["status"].astype(str) == status].reset_index(drop=True)


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_csv_of_a_matching_link_holds_the_page_s_rows(location, tmp_path, capsys):
    out = tmp_path / "open.csv"
    assert main(["export", "--format", "matching-csv", "--url", LINK.format("open"), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    page = _page_table("open")
    assert len(page) > 0 and len(_page_table("offered")) > 0  # the fixture has other statuses too
    assert f"wrote {out}: {len(page)} (state, gap) pair" in captured.out and "status: open" in captured.out
    assert captured.err == "needs-tracker: not filters, ignored: pair\n"  # match is no longer dropped
    assert out.read_bytes() == to_csv(page)  # byte for byte what the page's CSV button writes
    shown = next(d.value for d in app("matching", states=["KAZ", "UZB", "ALB"], match="open").dataframe
                 if "Status" in d.value.columns)
    csv = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert _pairs(csv) == _pairs(shown) and set(csv["Status"]) == {"open"}


def test_json_and_parquet_of_a_matching_link_hold_that_status_only(location, tmp_path):
    taken = _page_table("taken up")
    assert len(taken) > 0
    json_out, parquet_out = tmp_path / "m.json", tmp_path / "m.parquet"
    assert main(["export", "--format", "matching-json", "--url", LINK.format("taken+up"), "-o", str(json_out)]) == 0
    assert main(["export", "--format", "matching-parquet", "--url", LINK.format("taken%20up"), "-o",
                 str(parquet_out)]) == 0
    expected = list(zip(taken["state_iso3"], taken["category"], strict=True))
    doc = json.loads(json_out.read_text(encoding="utf-8"))
    assert [(r["ISO3"], r["Gap ID"]) for r in doc["records"]] == expected
    assert doc["metadata"]["filter_params"]["match"] == "taken up" and doc["metadata"]["pairs"] == len(taken)
    frame = pq.read_table(io.BytesIO(parquet_out.read_bytes())).to_pandas()
    assert _pairs(frame) == expected and set(frame["Status"]) == {"taken up"}


def test_a_link_without_a_status_or_with_all_exports_every_status(location, tmp_path):
    out = tmp_path / "all.csv"
    for link in ("http://h:8501/matching?states=KAZ&states=UZB&states=ALB",
                 "http://h:8501/matching?states=KAZ&states=UZB&states=ALB&match=all"):
        assert main(["export", "--format", "matching-csv", "--url", link, "-o", str(out)]) == 0
        statuses = set(pd.read_csv(out, encoding="utf-8-sig")["Status"])
        assert statuses == {"open", "offered", "taken up"}


def test_an_unknown_status_in_the_link_is_one_clear_line(location, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "matching-csv", "--url", LINK.format("closed"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == ("needs-tracker: match='closed' in the link is not a Matching status: use open, offered, "
                   "taken up (or leave it out for all)\n")
    assert not out.exists()
