"""Readers for the export tests: what each format says it holds (need ids, text)."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import openpyxl
import pandas as pd
from pypdf import PdfReader

# need id -> a token unique to its evidence, so a PDF's text can be checked row by row
TOKENS = {1: "ZQA", 2: "ZQB", 3: "ZQC", 4: "ZQD", 5: "ZQE", 6: "ZQF"}


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = lines[0]
    return [dict(zip(header, r, strict=True)) for r in lines[1:]]


def csv_ids(data: bytes) -> list[int]:
    return [int(r["Need ID"]) for r in csv_rows(data)]


def json_ids(data: bytes) -> list[int]:
    return [int(r["Need ID"]) for r in json.loads(data)["records"]]


def parquet_ids(data: bytes) -> list[int]:
    return [int(i) for i in pd.read_parquet(io.BytesIO(data))["Need ID"]]


def xlsx_ids(data: bytes) -> list[int]:
    ws = openpyxl.load_workbook(io.BytesIO(data))["Needs"]
    header = [c.value for c in ws[1]]
    col = header.index("Need ID")
    return [int(row[col]) for row in ws.iter_rows(min_row=2, values_only=True) if row[col] is not None]


class _NeedRows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[int] = []
        self.scripts_src: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and a.get("class") == "need":
            self.ids.append(int(a["data-need-id"]))
        if tag in ("script", "link", "img") and (a.get("src") or a.get("href")):
            self.scripts_src.append(a.get("src") or a.get("href"))

    def handle_data(self, data):
        self.text.append(data)


def html_parse(data: bytes) -> _NeedRows:
    parser = _NeedRows()
    parser.feed(data.decode("utf-8"))
    return parser


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def pdf_ids(data: bytes) -> list[int]:
    text = pdf_text(data)
    return sorted(i for i, token in TOKENS.items() if token in text)


READERS = {"csv": csv_ids, "xlsx": xlsx_ids, "json": json_ids, "parquet": parquet_ids,
           "html": lambda b: html_parse(b).ids, "pdf": pdf_ids}
