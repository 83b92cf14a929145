"""The matching table (``store.assistance.matching_table``) as a flat table and as CSV / XLSX /
JSON / Parquet files.

One pure function, ``flat_table``, turns the table's list columns (need years, workshops, request
dates, offers, later events) into text joined by "; ", so that the Matching page shows, and the
downloads hold, the same columns with the same words. The CSV follows the needs CSV (UTF-8 with a
byte-order mark, formula-like text neutralised); the workbook has one "Matching" sheet. JSON and
Parquet (``typed_table``) keep the same headers with the lists as real lists (offers as records),
and the filter and time made in their metadata, like the needs exports. The export registry's
``matching-*`` formats and the Matching page's buttons both write through this module.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import pandas as pd

from ..labels import year_text
from ..matching import offers_texts
from .csv_format import neutralise_column

SEPARATOR = "; "
# an offer's ``to``: whom the sentence offered it to (this state among them)
RECIPIENTS = {"named": "named states", "group": "a group's participants", "all_participants": "all participants"}
HEADERS = ("State", "ISO3", "Gap", "Gap ID", "Status", "Years open", "First raised", "Needs reported (years)",
           "Needs reported (workshop #)", "Requests (dates)", "Offers (who, when, to whom)", "Later events (years)",
           "Later events (workshop #)")
MATCH_STATUSES = ("open", "offered", "taken up")  # the Matching page's status control (its link's ``match=``)


def joined(values: Iterable | None, fmt=str) -> str:
    """A list cell as text: items joined by "; " ("" for none)."""
    if type(values) is list:  # the matching table's cells: no type checks per cell
        return SEPARATOR.join(map(fmt, values))
    if values is None or (not isinstance(values, Iterable | str) and pd.isna(values)):
        return ""
    return SEPARATOR.join(fmt(v) for v in values)


def offer_text(offer: dict) -> str:
    """'EU (2017, to named states)'."""
    to = RECIPIENTS.get(str(offer.get("to")), str(offer.get("to") or "unknown recipients"))
    return f"{offer.get('provider')} ({year_text(offer.get('year'))}, to {to})"


def with_status(table: pd.DataFrame, status: str | None) -> pd.DataFrame:
    """The rows of one status, as the Matching page's status control keeps them (``None``: all)."""
    if status is None:
        return table
    return table[(table["status"].astype(str) == status).to_numpy()].reset_index(drop=True)


def status_from_link(url: str) -> str | None:
    """A Matching link's status control (``match=open``; ``None`` when absent or "all"). The page's
    table and downloads hold only that status's rows, so the export of its link must too (qa10: it
    held every status)."""
    from urllib.parse import parse_qs, urlsplit

    from ..errors import FilterError

    given = parse_qs(urlsplit(url.strip()).query).get("match", ["all"])[-1]
    if given != "all" and given not in MATCH_STATUSES:
        raise FilterError(f"match={given!r} in the link is not a Matching status: use {', '.join(MATCH_STATUSES)} "
                          "(or leave it out for all)")
    return None if given == "all" else given


def flat_table(table: pd.DataFrame) -> pd.DataFrame:
    """The matching table with one text cell per list, in the order and with the headers of the
    downloads (``HEADERS``). Years open and first raised stay numbers (empty when unknown)."""
    return pd.DataFrame({
        "State": table["state_name"].astype(object),
        "ISO3": table["state_iso3"].astype(object),
        "Gap": table["category_label"].astype(object),
        "Gap ID": table["category"].astype(object),
        "Status": table["status"].astype(str).astype(object),
        "Years open": pd.to_numeric(table["years_open"], errors="coerce").astype("Int64"),
        "First raised": pd.to_numeric(table["first_raised"], errors="coerce").astype("Int64"),
        "Needs reported (years)": [joined(v, year_text) for v in table["need_years"]],
        "Needs reported (workshop #)": [joined(v) for v in table["need_workshops"]],
        "Requests (dates)": [joined(v) for v in table["request_dates"]],
        "Offers (who, when, to whom)": offers_texts(table["offers"].tolist(), offer_text),
        "Later events (years)": [joined(v, year_text) for v in table["later_event_years"]],
        "Later events (workshop #)": [joined(v) for v in table["later_events"]],
    }, columns=list(HEADERS))


def to_csv(table: pd.DataFrame) -> bytes:
    """The matching table as CSV bytes (one row per state and gap)."""
    flat = flat_table(table)
    for name in flat.columns:
        if flat[name].dtype == object:
            flat[name] = neutralise_column(flat[name].astype("str")).astype(object)
    return ("\ufeff" + flat.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


def typed_table(table: pd.DataFrame) -> pd.DataFrame:
    """``flat_table``'s headers, with each list kept a list (years and workshop ids as integers,
    request dates as ``YYYY-MM-DD``, offers as ``{provider, year, workshop_id, to}``)."""
    flat = flat_table(table)
    for header, column in (("Needs reported (years)", "need_years"),
                           ("Needs reported (workshop #)", "need_workshops"),
                           ("Requests (dates)", "request_dates"), ("Offers (who, when, to whom)", "offers"),
                           ("Later events (years)", "later_event_years"),
                           ("Later events (workshop #)", "later_events")):
        flat[header] = [list(v) if isinstance(v, Iterable) and not isinstance(v, str) else []
                        for v in table[column]]
    return flat


def _records(table: pd.DataFrame) -> list[dict]:
    typed = typed_table(table).astype(object)
    return [{k: (None if v is pd.NA else v) for k, v in row.items()} for row in typed.to_dict("records")]


def render_csv(data) -> bytes:
    """The ``matching-csv`` export of a ``data.MatchingData``."""
    return to_csv(data.table)


def render_json(data) -> bytes:
    """``{"metadata": {...}, "records": [...]}``, one record per (state, gap), lists as lists."""
    return (json.dumps({"metadata": data.metadata(), "records": _records(data.table)}, ensure_ascii=False,
                       indent=None, separators=(",", ": ")) + "\n").encode("utf-8")


def render_parquet(data) -> bytes:
    """The typed table (lists as Parquet lists, offers as a list of structs), with the metadata
    under the file's ``needs_tracker`` key."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        *[(h, pa.string()) for h in HEADERS[:5]],
        ("Years open", pa.int64()), ("First raised", pa.int64()),
        ("Needs reported (years)", pa.list_(pa.int64())), ("Needs reported (workshop #)", pa.list_(pa.int64())),
        ("Requests (dates)", pa.list_(pa.string())),
        ("Offers (who, when, to whom)", pa.list_(pa.struct([("provider", pa.string()), ("year", pa.int64()),
                                                             ("workshop_id", pa.int64()), ("to", pa.string())]))),
        ("Later events (years)", pa.list_(pa.int64())), ("Later events (workshop #)", pa.list_(pa.int64())),
    ], metadata={b"needs_tracker": json.dumps(data.metadata(), ensure_ascii=False).encode("utf-8")})
    arrow = pa.Table.from_pylist(_records(data.table), schema=schema)
    buf = io.BytesIO()
    pq.write_table(arrow, buf, compression="zstd")
    return buf.getvalue()


def add_sheet(book, table: pd.DataFrame, head=None, wrap=None, name: str = "Matching") -> None:
    """Write the matching table as sheet ``name`` of an open ``rustpy_xlsxwriter.FastExcel`` book."""
    from .xlsx_format import fit_cell

    flat = flat_table(table).astype(object)
    records = [{h: (fit_cell(v) if isinstance(v, str) else (None if v is pd.NA else v)) for h, v in row.items()}
               for row in flat.to_dict("records")]
    if not records:  # keep the header row, and say why the sheet is empty
        records = [{h: ("No (state, gap) pair matches these filters." if i == 0 else None)
                    for i, h in enumerate(HEADERS)}]
    widths = [max(10, min(45, len(h) + 2)) for h in HEADERS]
    kwargs = {"column_widths": widths, "autofilter": True}
    if head is not None:
        kwargs["header_format"] = head
    if wrap is not None:
        kwargs["column_formats"] = {"Offers (who, when, to whom)": wrap}
    book.sheet(name, records, **kwargs)


def to_xlsx(table: pd.DataFrame) -> bytes:
    """The matching table as a workbook with one "Matching" sheet."""
    import rustpy_xlsxwriter as rx

    head = rx.Format().set_bold().set_background_color("#DDE6F0").set_border("thin").set_text_wrap()
    wrap = rx.Format().set_text_wrap().set_align("top")
    buf = io.BytesIO()
    book = rx.FastExcel(buf).freeze(row=1)
    add_sheet(book, table, head, wrap)
    book.save()
    return buf.getvalue()
