"""One exporter for the dashboard and the CLI: a registry of formats over one filtered view.

``to_bytes(fmt, f)`` gives what ``st.download_button`` needs; ``write_file(fmt, f, path)``
is what ``needs-tracker export`` calls. Every format renders the same gathered rows
(``data.gather``), heads with the filters in words and the time it was made, and cites the
source note of every need.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import ExportError
from ..filters import NeedFilter
from .data import ExportData, gather


@dataclass(frozen=True)
class Format:
    name: str
    mime: str
    extension: str
    label: str
    render: Callable[..., bytes]


def _csv(data: ExportData, **_: object) -> bytes:
    from .csv_format import render

    return render(data)


def _xlsx(data: ExportData, **_: object) -> bytes:
    from .xlsx_format import render

    return render(data)


def _html(data: ExportData, **_: object) -> bytes:
    from .html_format import render

    return render(data)


def _pdf(data: ExportData, *, charts: bool | None = None, **_: object) -> bytes:
    from .pdf_format import render

    return render(data, charts=charts)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "text/csv", "csv", "CSV (one row per need)", _csv),
        Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
               "Excel workbook", _xlsx),
        Format("html", "text/html", "html", "HTML brief (works offline)", _html),
        Format("pdf", "application/pdf", "pdf", "PDF brief", _pdf),
    )
}


def get_format(fmt: str) -> Format:
    key = (fmt or "").strip().lower().lstrip(".")
    if key not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; valid: {', '.join(FORMATS)}")
    return FORMATS[key]


def file_name(fmt: str, f: NeedFilter, created: datetime | None = None) -> str:
    """A suggested file name: ``needs-KAZ-2026-11-22.pdf`` or ``needs-all-....csv``."""
    spec = get_format(fmt)
    stamp = (created or datetime.now()).strftime("%Y-%m-%d")
    if f.states and len(f.states) <= 3:
        what = "-".join(f.states)
    elif f.is_empty:
        what = "all"
    else:
        what = "filtered"
    return f"needs-{what}-{stamp}.{spec.extension}"


def render(fmt: str, data: ExportData, *, charts: bool | None = None) -> bytes:
    return get_format(fmt).render(data, charts=charts)


def to_bytes(fmt: str, f: NeedFilter, *, location: str | None = None, created: datetime | None = None,
             charts: bool | None = None) -> tuple[bytes, str, str]:
    """(data, mime type, suggested file name) for the rows ``f`` selects."""
    spec = get_format(fmt)
    data = gather(f, location=location, created=created)
    return spec.render(data, charts=charts), spec.mime, file_name(fmt, f, data.created)


def write_file(fmt: str, f: NeedFilter, path: str | os.PathLike, *, location: str | None = None,
               created: datetime | None = None, charts: bool | None = None) -> int:
    """Write the export to ``path`` (atomically) and return the number of needs in it."""
    spec = get_format(fmt)
    data = gather(f, location=location, created=created)
    payload = spec.render(data, charts=charts)
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name, e.g. {path / file_name(fmt, f)}")
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
    return len(data.needs)


__all__ = ["FORMATS", "Format", "ExportData", "gather", "get_format", "file_name", "render", "to_bytes",
           "write_file"]
