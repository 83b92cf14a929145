"""The ``needs-tracker`` command: a thin layer over the library.

A mistake a person made (bad file, missing path, locked store, unknown filter value)
prints one line to stderr and exits non-zero; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import NeedsTrackerError


def _cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .errors import ReadError
    from .ingest import ingest_paths
    from .readers import iter_note_files

    files, missing = [], []
    for path in args.paths:
        try:
            files.extend(iter_note_files([path]))
        except ReadError as exc:
            missing.append(exc)
    for exc in missing:
        print(f"{'rejected':<9} {exc.file_name}: {exc.reason}")
    if not files and missing:
        return 1
    if not files:
        raise NeedsTrackerError("no .txt, .md, .pdf or .docx notes found in " + ", ".join(args.paths))
    bar = tqdm(total=len(files), unit="note", file=sys.stderr, disable=len(files) < 2 or args.quiet,
               leave=False)
    counts: dict[str, int] = {}

    def on_report(report) -> None:
        counts[report.outcome] = counts.get(report.outcome, 0) + 1
        bar.update(1)
        bar.write(report.line(), file=sys.stdout)

    ingest_paths(files, location=args.db, on_report=on_report)
    bar.close()
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    if missing:
        summary += f", {len(missing)} paths not found"
    print(f"{len(files)} files: {summary}")
    return 1 if counts.get("rejected") or missing else 0


def _cmd_extract(args) -> int:
    from .extract import extract
    from .readers import read_document

    doc = read_document(args.file)
    result = extract(doc.text).to_json(doc.file_name)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['title']}\n{result['start_date']} – {result['end_date']}, "
              f"{result['venue_city']}, {result['venue_country']}")
        print("states: " + ", ".join(p["name"] for p in result["participant_states"]))
        for n in result["needs"]:
            print(f"  {n['state_iso3']}  {n['category']:<28} {n['evidence'][:100]}")
    return 0


def _bundled_store_if_missing(location: str | None) -> None:
    """Like the dashboard: the default store, when missing, is built from the bundled notes."""
    from . import config, db
    from .ingest import ensure_store

    if config.db_location(location) == str(config.DEFAULT_DB) and not db.store_exists(location):
        print(f"needs-tracker: building {config.DEFAULT_DB} from the bundled notes in {config.BUNDLED_NOTES_DIR}",
              file=sys.stderr)
        ensure_store(location)


def _cmd_stats(args) -> int:
    from . import db, queries

    _bundled_store_if_missing(args.db)
    with db.connect(args.db) as con:
        result = queries.stats(con)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:<10} {v}")
    return 0


def _cmd_eval(args) -> int:
    from .evaluate import evaluate, show

    report = evaluate(args.gold, args.docs)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    if args.show:
        print(show(report))
        print()
    print(report.table())
    return 0


def _filter_from_url(url: str):
    """The filter of a dashboard link (``…/?states=KAZ&year_from=2012``), read by the dashboard's own
    parser; a value it cannot use is an error here (the dashboard drops it), so an export never
    silently widens. Link parameters that are not filters (a page's own controls) are named."""
    import re
    from dataclasses import fields
    from urllib.parse import parse_qs, urlsplit

    from .errors import FilterError
    from .filters import NeedFilter

    raw = parse_qs(urlsplit(url.strip()).query, keep_blank_values=False)
    if hasattr(NeedFilter, "parse"):  # the one filter parser, strict: raises FilterError naming each value
        f, _ = NeedFilter.parse(raw, strict=True)
    else:
        from .states import state_index
        from .taxonomy import category_ids

        problems = [f"{name}={value!r} is not a year" for name in ("year_from", "year_to")
                    for value in raw.get(name, []) if not re.fullmatch(r"-?[0-9]{1,4}", value.strip())]
        if not problems:
            f = NeedFilter.from_query_params(raw)
            idx, known = state_index(), category_ids()
            problems += [f"unknown state {s!r}" for s in f.states if idx.get(s) is None]
            problems += [f"unknown category {c!r}" for c in f.categories if c not in known]
        if problems:
            raise FilterError(f"the link's filter cannot be used: {'; '.join(problems)}")
    ignored = sorted(set(raw) - {fl.name for fl in fields(NeedFilter)})
    if ignored:  # page controls (a selected row, a tab) are not filters; say so rather than guess
        print(f"needs-tracker: not filters, ignored: {', '.join(ignored)}", file=sys.stderr)
    return f


def _filter_from_flags(args):
    """The filter the export flags name, through the one filter parser (strict: a value it cannot use
    is an error naming the valid ones); ``build_filter`` where that parser is not there yet."""
    from .filters import NeedFilter

    if hasattr(NeedFilter, "parse"):
        f, _ = NeedFilter.parse({"states": args.state, "regions": args.region, "categories": args.category,
                                 "year_from": args.since, "year_to": args.until, "organizer": args.organizer,
                                 "text": args.text, "status": "confirmed" if args.confirmed else "all"}, strict=True)
        return f
    from .filters import build_filter

    return build_filter(states=args.state, regions=args.region, categories=args.category, since=args.since,
                        until=args.until, organizer=args.organizer, text=args.text,
                        status="confirmed" if args.confirmed else "all")


def _cmd_export(args) -> int:
    from .errors import FilterError
    from .export import write_file

    flags = [args.state, args.region, args.category, args.since, args.until, args.organizer, args.text,
             args.confirmed]
    if args.url:
        if any(flags):
            raise FilterError("--url gives the whole filter: leave out --state, --region, --category, --since, "
                              "--until, --organizer, --text and --confirmed")
        f = _filter_from_url(args.url)
    else:
        f = _filter_from_flags(args)
    _bundled_store_if_missing(args.db)
    rows = write_file(args.format, f, args.output, location=args.db)
    print(f"wrote {args.output}: {rows} needs ({f.describe()})")
    return 0


def _cmd_reprocess(args) -> int:
    from .review import reprocess

    summary = reprocess(location=args.db, actor=args.actor)
    print(summary)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="needs-tracker", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help="DuckDB store (default: $NEEDS_TRACKER_DB or data/needs.duckdb)")
        return p

    p = with_db(sub.add_parser("ingest", help="store notes (files or folders, recursive)"))
    p.add_argument("paths", nargs="+")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("extract", help="print what one note yields; touches no store")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_extract)

    p = with_db(sub.add_parser("stats", help="counts of documents, workshops, states and needs"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("eval", help="precision, recall and F1 against gold labels")
    p.add_argument("gold")
    p.add_argument("docs")
    p.add_argument("--show", action="store_true", help="list what was missed and extra per document")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_eval)

    from .export import FORMATS

    p = with_db(sub.add_parser("export", help="write the filtered needs as " + ", ".join(FORMATS)))
    p.add_argument("--format", required=True, choices=tuple(FORMATS),
                   help="; ".join(f"{f.name}: {f.label}" for f in FORMATS.values()))
    p.add_argument("--url", help="a dashboard link: export exactly the view it shows (instead of the filters below)")
    p.add_argument("--state", action="append", default=[], help="ISO3 code or name (repeatable)")
    p.add_argument("--region", action="append", default=[], help="UN region or sub-region (repeatable)")
    p.add_argument("--category", action="append", default=[], help="gap category id (repeatable)")
    p.add_argument("--since", type=int, help="first year")
    p.add_argument("--until", type=int, help="last year")
    p.add_argument("--organizer", help="part of an organiser's name")
    p.add_argument("--text", help="words in the evidence sentence")
    p.add_argument("--confirmed", action="store_true", help="only needs a person confirmed")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=_cmd_export)

    p = with_db(sub.add_parser("reprocess", help="re-run the current rules over every stored note"))
    p.add_argument("--actor", default="cli:reprocess", help="name recorded in the audit log")
    p.set_defaults(func=_cmd_reprocess)
    return parser


def main(argv: list[str] | None = None) -> int:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken PDFs are reported by us, once
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NeedsTrackerError as exc:
        print(f"needs-tracker: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("needs-tracker: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
