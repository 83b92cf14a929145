"""One exporter for the dashboard and the CLI: a registry of formats over one filtered view.

The ``matching-*`` formats write the matching table of the same filter (one row per state and
gap: needs, formal requests, offers, later events, status) through ``matching_format``.

``to_bytes(fmt, f)`` gives what ``st.download_button`` needs; ``write_file(fmt, f, path)``
is what ``needs-tracker export`` calls; ``suggested_file_name(f, fmt)`` names a download after
its filter. The table formats (csv, xlsx, json, parquet) render every selected need from one
``data.gather``; the briefs (html, pdf) render ``brief.gather_brief``, a summary that stays a
brief at any size. Every format states its filters and the time it was made (the CSV in its
file name) and cites the source of every need.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from ..errors import ExportError
from ..filters import NeedFilter


@dataclass(frozen=True)
class Format:
    name: str
    mime: str
    extension: str
    label: str
    render: Callable[..., bytes]
    brief: bool = False  # a brief reads a summary of the selection (brief.gather_brief), not every row
    subject: str = "needs"  # "needs": one row per need (or a brief); "matching": one row per (state, gap)

    @property
    def rows_noun(self) -> str:
        """What ``write_file``'s count counts, for the CLI's 'wrote …' line."""
        return "(state, gap) pairs" if self.subject == "matching" else "needs"


def _table_format(module: str) -> Callable[..., bytes]:
    def render(data, **_: object) -> bytes:
        return import_module(f"{__name__}.{module}").render(data)

    return render


def _matching_format(name: str) -> Callable[..., bytes]:
    def render(data, **_: object) -> bytes:
        from . import matching_format

        return getattr(matching_format, name)(data)

    return render


def _html(data, **_: object) -> bytes:
    from .html_format import render

    return render(data)


def _pdf(data, *, charts: bool | None = None, **_: object) -> bytes:
    from .pdf_format import render

    return render(data, charts=charts)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "text/csv", "csv", "CSV (one row per need)", _table_format("csv_format")),
        Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
               "Excel workbook", _table_format("xlsx_format")),
        Format("json", "application/json", "json", "JSON (metadata and one record per need)",
               _table_format("json_format")),
        Format("parquet", "application/vnd.apache.parquet", "parquet", "Parquet (typed table)",
               _table_format("parquet_format")),
        Format("html", "text/html", "html", "HTML brief (works offline)", _html, brief=True),
        Format("pdf", "application/pdf", "pdf", "PDF brief", _pdf, brief=True),
        Format("matching-csv", "text/csv", "csv", "Matching table, CSV (one row per state and gap)",
               _matching_format("render_csv"), subject="matching"),
        Format("matching-json", "application/json", "json", "Matching table, JSON (lists kept as lists)",
               _matching_format("render_json"), subject="matching"),
        Format("matching-parquet", "application/vnd.apache.parquet", "parquet", "Matching table, Parquet (typed)",
               _matching_format("render_parquet"), subject="matching"),
    )
}

# the needs' formats (the dashboard's main download row) and the matching table's
NEEDS_FORMATS = tuple(name for name, spec in FORMATS.items() if spec.subject == "needs")
MATCHING_FORMATS = tuple(name for name, spec in FORMATS.items() if spec.subject == "matching")


def get_format(fmt: str) -> Format:
    key = (fmt or "").strip().lower().lstrip(".")
    if key not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; valid: {', '.join(FORMATS)}")
    return FORMATS[key]


def _slug(text: str, limit: int = 24) -> str:
    """File-name-safe ASCII: accents dropped, anything else a dash."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def _many(values, limit: int, noun: str, slug=_slug) -> str:
    if len(values) > limit:
        return f"{len(values)}-{noun}"
    return "-".join(slug(v) for v in values)


def suggested_file_name(f: NeedFilter, fmt: str, created: datetime | None = None) -> str:
    """A download name that says what is in the file: ``needs-KAZ-2012-2018.xlsx``,
    ``needs-Central-Asia-border_customs_control-since-2015.csv``, ``needs-all.pdf``,
    ``matching-KAZ.csv`` (a ``matching-*`` format). With
    ``created``, the date and time made are appended (``needs-KAZ-2012-2018_2026-11-30-0930.xlsx``).
    """
    spec = get_format(fmt)
    parts = []
    if f.regions or f.subregions:
        parts.append(_many([*f.regions, *f.subregions], 2, "regions"))
    if f.states:
        parts.append(_many(f.states, 4, "states"))
    if f.categories:
        parts.append(_many(f.categories, 2, "gaps", slug=lambda c: re.sub(r"[^a-z0-9_]+", "-", c.lower())))
    if f.year_from is not None and f.year_to is not None:
        parts.append(f"{f.year_from}" if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}")
    elif f.year_from is not None:
        parts.append(f"since-{f.year_from}")
    elif f.year_to is not None:
        parts.append(f"until-{f.year_to}")
    if f.organizer:
        parts.append("by-" + (_slug(f.organizer) or "organiser"))
    if f.text:
        parts.append("text-" + (_slug(f.text) or "search"))
    if f.status == "confirmed":
        parts.append("confirmed")
    if f.workshops:
        parts.append(_many([str(w) for w in f.workshops], 2, "workshops").join(("workshop-", "")))
    what = "-".join(p for p in parts if p) or "all"
    stamp = "_" + created.strftime("%Y-%m-%d-%H%M") if created else ""
    return f"{spec.subject}-{what[:100].strip('-')}{stamp}.{spec.extension}"


def file_name(fmt: str, f: NeedFilter, created: datetime | None = None) -> str:
    """The name ``to_bytes`` suggests: the filter and the time made (kept for older callers)."""
    return suggested_file_name(f, fmt, created or datetime.now(UTC))


def _gather(spec: Format, f: NeedFilter, location: str | None, created: datetime | None,
            match_status: str | None = None):
    if spec.subject == "matching":
        from .data import gather_matching

        return gather_matching(f, location=location, created=created, status=match_status)
    if spec.brief:
        from .brief import gather_brief

        return gather_brief(f, location=location, created=created)
    from .data import gather

    return gather(f, location=location, created=created, matching=spec.name == "xlsx")


def __getattr__(name: str):
    # The registry imports nothing heavy, so the CLI can list the formats without loading pandas.
    if name in ("ExportData", "gather"):
        from . import data

        return getattr(data, name)
    raise AttributeError(name)


def to_bytes(fmt: str, f: NeedFilter, *, location: str | None = None, created: datetime | None = None,
             charts: bool | None = None, match_status: str | None = None) -> tuple[bytes, str, str]:
    """(data, mime type, suggested file name) for the rows ``f`` selects (``match_status``: a
    ``matching-*`` format's rows of one status, as the Matching page's status control)."""
    spec = get_format(fmt)
    data = _gather(spec, f, location, created, match_status)
    return spec.render(data, charts=charts), spec.mime, suggested_file_name(f, fmt, data.created)


def write_file(fmt: str, f: NeedFilter, path: str | os.PathLike, *, location: str | None = None,
               created: datetime | None = None, charts: bool | None = None, match_status: str | None = None) -> int:
    """Write the export to ``path`` (atomically) and return the number of needs it covers (for a
    ``matching-*`` format, of (state, gap) rows, of one status if ``match_status`` is given)."""
    spec = get_format(fmt)
    data = _gather(spec, f, location, created, match_status)
    payload = spec.render(data, charts=charts)
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name, e.g. {path / suggested_file_name(f, fmt)}")
    if not path.parent.exists():
        raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix="." + spec.extension, dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return data.need_count


__all__ = ["FORMATS", "MATCHING_FORMATS", "NEEDS_FORMATS", "Format", "ExportData", "gather", "get_format",
           "file_name", "suggested_file_name", "render",
           "to_bytes", "write_file"]
