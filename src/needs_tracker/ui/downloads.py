"""Downloads in one action: a button per export format, named after the filter, whose file is
written only when the button is pressed (so a filter change builds nothing). The needs' formats
make the main row; the matching table's (``matching-*``, one row per state and gap) have their own
row on the pages about gaps. Both go through the one export registry (``export.to_bytes``)."""

from __future__ import annotations

import logging
import re

import pandas as pd
import streamlit as st

from needs_tracker.filters import NeedFilter
from needs_tracker.ui.reads import store_key

log = logging.getLogger(__name__)
SHORT = {"csv": "CSV", "xlsx": "Excel", "html": "HTML brief", "pdf": "PDF brief", "json": "JSON",
         "parquet": "Parquet", "matching-csv": "CSV", "matching-json": "JSON", "matching-parquet": "Parquet"}


def file_name(f: NeedFilter, fmt: str) -> str:
    """``needs-KAZ-2012-2018.xlsx``: the export module's own name when it has one."""
    from needs_tracker import export

    suggested = getattr(export, "suggested_file_name", None)
    if suggested is not None:
        return suggested(f, fmt)
    parts = list(f.states[:3]) or [re.sub(r"\W+", "-", r).strip("-") for r in (f.regions + f.subregions)[:2]]
    if f.categories and len(f.categories) <= 2:
        parts += list(f.categories)
    if f.year_from is not None or f.year_to is not None:
        parts.append(f"{f.year_from or ''}-{f.year_to or ''}".strip("-") if f.year_from != f.year_to
                     else str(f.year_from))
    what = "-".join(p for p in parts if p) or ("all" if f.is_empty else "filtered")
    return f"needs-{what}.{export.get_format(fmt).extension}"


def _builder(fmt: str, f: NeedFilter, location: str):
    def build() -> bytes:
        from needs_tracker import export

        try:
            return export.to_bytes(fmt, f, location=location)[0]
        except Exception as exc:  # the browser gets a file either way; the log keeps the traceback
            log.exception("building the %s export failed", fmt)
            return f"The {fmt} file could not be written: {exc}\n".encode()

    return build


def download_row(f: NeedFilter, key: str, formats: tuple[str, ...] | None = None,
                 caption: str = "Download these needs:") -> None:
    """One download button per format (every format of the needs unless ``formats``)."""
    from needs_tracker import export

    names = formats or export.NEEDS_FORMATS
    # one horizontal container, not a column per button: each block is one more message per rerun
    row = st.container(horizontal=True, vertical_alignment="center")
    row.caption(caption, width="content")
    location = store_key()[0]
    for fmt in names:
        spec = export.get_format(fmt)
        row.download_button(SHORT.get(fmt, spec.extension.upper()), data=_builder(fmt, f, location),
                            file_name=file_name(f, fmt), mime=spec.mime, key=f"{key}_{fmt}", on_click="ignore",
                            icon=":material/download:", help=f"{spec.label}: {file_name(f, fmt)}")


def matching_download_row(f: NeedFilter, key: str) -> None:
    """The matching table of the filter (every status), in each ``matching-*`` format."""
    from needs_tracker import export

    download_row(f, key, export.MATCHING_FORMATS, caption="Download the matching table (state, gap):")


def csv_download(label_: str, df: pd.DataFrame, file_name_: str, key: str) -> None:
    """A download button for a table as shown; the CSV is written only when the button is pressed.

    Cells a spreadsheet would run as formulas are neutralised, as in the exports."""
    from needs_tracker.export.csv_format import neutralise

    def build() -> bytes:
        return df.astype(object).map(neutralise).to_csv(index=False).encode("utf-8")

    st.download_button(label_, data=build, file_name=file_name_, mime="text/csv", key=key, on_click="ignore",
                       icon=":material/download:")
