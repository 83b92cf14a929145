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
from .wording import counted


def _cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .errors import ReadError
    from .ingest import ensure_store, ingest_paths
    from .readers import display_name, iter_note_files, read_document

    if args.sample_notes:  # the explicit bootstrap: the bundled notes into a missing or empty store only
        reports = ensure_store(args.db, on_report=lambda r: print(r.line()))
        print(f"{len(reports)} sample notes stored" if reports else "the store already holds notes: nothing done")
        return 1 if any(r.outcome == "rejected" for r in reports) else 0
    if not args.paths:
        raise NeedsTrackerError("give the notes to store (files or folders), or --sample-notes")
    files, missing, refused = [], [], []
    for path in args.paths:
        try:
            found = iter_note_files([path])
        except ReadError as exc:
            missing.append(exc)
            continue
        if not found and Path(path).is_file():  # a file named here that is no note: say so, by its name
            try:
                read_document(path)  # refuses its type before reading a byte
            except ReadError as exc:
                refused.append(exc)
        files.extend(found)
    for exc in missing + refused:
        print(f"{'rejected':<9} {display_name(exc.file_name)}: {exc.reason}")
    if not files and (missing or refused):
        if refused:
            print(f"{counted(len(refused), 'file')}: {len(refused)} rejected"
                  + (f", {counted(len(missing), 'path')} not found" if missing else ""))
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

    ingest_paths(files, location=args.db, on_report=on_report, replace=args.replace)
    bar.close()
    if refused:
        counts["rejected"] = counts.get("rejected", 0) + len(refused)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    if missing:
        summary += f", {counted(len(missing), 'path')} not found"
    print(f"{counted(len(files) + len(refused), 'file')}: {summary}")
    return 1 if counts.get("rejected") or missing else 0


def _cmd_extract(args) -> int:
    from .extract import extract
    from .readers import read_document

    doc = read_document(args.file)
    try:
        result = extract(doc.text).to_json(doc.file_name)
    except NeedsTrackerError:
        raise
    except Exception as exc:  # noqa: BLE001 - an extractor bug: one line naming the file, as ingest says it
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]  # one line, as ingest reports it
        raise NeedsTrackerError(f"{doc.file_name}: could not be extracted: {reason}") from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        # what the note does not give is said as the dashboard says it, never as Python's "None"
        from .labels import DATE_UNKNOWN

        start, end = result["start_date"], result["end_date"]
        when = DATE_UNKNOWN if not start else start if end in (None, start) else f"{start} – {end}"
        venue = ", ".join(v for v in (result["venue_city"], result["venue_country"]) if v) or "venue unknown"
        print(f"{result['title'] or 'untitled'}\n{when}, {venue}")
        print("states: " + (", ".join(p["name"] for p in result["participant_states"]) or "none named"))
        for n in result["needs"]:
            print(f"  {n['state_iso3']}  {n['category']:<28} {n['evidence'][:100]}")
    return 0


def _bundled_store_if_missing(location: str | None) -> None:
    """Like the dashboard: the default store, when missing, is built from the bundled notes."""
    from . import config
    from .ingest import ensure_store
    from .store import store_exists

    if config.db_location(location) == str(config.DEFAULT_DB) and not store_exists(location):
        print(f"needs-tracker: building {config.DEFAULT_DB} from the bundled notes in {config.BUNDLED_NOTES_DIR}",
              file=sys.stderr)
        ensure_store(location)


def _cmd_stats(args) -> int:
    from .store import connect, reads

    _bundled_store_if_missing(args.db)
    with connect(args.db) as con:
        result = reads.stats(con)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:<10} {v}")
    return 0


def _cmd_eval(args) -> int:
    from .evaluate import evaluate, show

    if args.loo or args.gold is None:
        return _cmd_eval_all(args)
    if args.docs is None:
        raise NeedsTrackerError("eval: give GOLD and DOCS, or --loo for every labelled set")
    report = evaluate(args.gold, args.docs, model="rules" if args.rules else (args.model or "auto"))
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    if args.show:
        print(show(report))
        print()
    print(report.table())
    return 0


def _cmd_eval_all(args) -> int:
    """Every labelled set: rules only and learned (leave-one-document-out), with the calibration error."""
    from .learn.dataset import labelled_sets
    from .learn.loo import leave_one_out, load_cases, table

    sets = labelled_sets()
    if not sets:
        raise NeedsTrackerError("eval --loo: no labelled sets found (../shared or tests/corpus/)")
    cases = load_cases(sets)
    result = leave_one_out(cases, on_progress=lambda i, n: print(f"\r{i}/{n} documents left out", end="",
                                                                 file=sys.stderr, flush=True))
    print(file=sys.stderr)
    print(table(result))
    return 0


def _cmd_train(args) -> int:
    from .learn.build import train_model

    path, info = train_model(args.db, args.output, with_store=not args.no_store, default=args.default)
    print(f"wrote {path}: {counted(info['needs'], 'need')} and {counted(info['not_needs'], 'other statement')} "
          f"from {counted(info['documents'], 'document')} ({info['review_decisions']} from review decisions)")
    return 0


def _filter_from_url(url: str, controls: tuple[str, ...] = ()):
    """The filter of a dashboard link (``…/?states=KAZ&year_from=2012``), read by the one filter
    parser, strictly: a value the dashboard would drop is an error here, so an export never silently
    widens. Link parameters that are not filters (a page's own controls) are named, not guessed at."""
    from dataclasses import fields
    from urllib.parse import parse_qs, urlsplit

    from .filters import NeedFilter

    parts = urlsplit(url.strip())
    raw = parse_qs(parts.query, keep_blank_values=False)
    if parts.path.rstrip("/").rsplit("/", 1)[-1] == "state" and raw.get("state"):
        # a State profile's link: its state is the page's filter (its downloads hold that state's needs,
        # over any states of the sidebar), not a page control to drop: it exported every state (qa10)
        raw = {**{k: v for k, v in raw.items() if k != "state"}, "states": raw["state"][-1:]}
    f, _ = NeedFilter.parse(raw, strict=True, link_names=True)  # "year_from", as the link says, not "--since"
    ignored = sorted(set(raw) - {fl.name for fl in fields(NeedFilter)} - set(controls))
    if ignored:
        print(f"needs-tracker: not filters, ignored: {', '.join(ignored)}", file=sys.stderr)
    return f


def _cmd_export(args) -> int:
    from .errors import FilterError
    from .export import get_format, write_file
    from .filters import NeedFilter

    flags = [args.state, args.region, args.category, args.since, args.until, args.organizer, args.text,
             args.confirmed]
    match_status, controls = None, ()
    if args.url:
        if any(flags):
            raise FilterError("--url gives the whole filter: leave out --state, --region, --category, --since, "
                              "--until, --organizer, --text and --confirmed")
        if get_format(args.format).subject == "matching":  # the Matching page's status control is kept
            from .export.matching_format import status_from_link

            match_status, controls = status_from_link(args.url), ("match",)
        f = _filter_from_url(args.url, controls)
    else:
        f, _ = NeedFilter.parse({"states": args.state, "regions": args.region, "categories": args.category,
                                 "year_from": args.since, "year_to": args.until, "organizer": args.organizer,
                                 "text": args.text, "status": "confirmed" if args.confirmed else "all"},
                                strict=True)
    _bundled_store_if_missing(args.db)
    rows = write_file(args.format, f, args.output, location=args.db, match_status=match_status)
    noun = get_format(args.format).rows_noun  # plural: "needs", "(state, gap) pairs"
    status = f"; status: {match_status}" if match_status else ""
    print(f"wrote {args.output}: {counted(rows, noun.removesuffix('s'), noun)} ({f.describe()}{status})")
    return 0


def _cmd_reprocess(args) -> int:
    from .review import reprocess

    skipped: list[str] = []

    def on_skipped(line: str) -> None:  # a note left as it is (over the text limit, or failed): named; the run goes on
        skipped.append(line)
        print(line)

    print(reprocess(location=args.db, actor=args.actor, on_skipped=on_skipped))
    return 1 if skipped else 0  # as ingest: a batch that left a note out says so in its exit status


def _cmd_config(args) -> int:
    """The effective settings and where each came from; a bad one is reported, and the exit is 2."""
    from . import config

    if args.write_rules:
        return _write_rules(Path(args.write_rules))
    items = config.effective()
    bad = [item for item in items if isinstance(item, config.SettingError)]
    try:
        secrets, secrets_path = config.read_secrets()
    except config.SettingError as exc:
        bad.append(exc)
        secrets, secrets_path = {}, None
    try:  # the editors' password hashes are checked by the module that uses them
        from .auth import configured_password_hashes

        configured_password_hashes(secrets)
    except NeedsTrackerError as exc:
        bad.append(exc)
    rows = [(str(i).split("=", 1)[0], "INVALID", "see below") if isinstance(i, config.SettingError)
            else (i.name, i.shown, i.source) for i in items]
    oidc = "configured" if isinstance(secrets.get("auth"), dict) else "not configured"
    sound = {i.name: i for i in items if not isinstance(i, config.SettingError)}
    if {"NEEDS_TRACKER_DB", "NEEDS_TRACKER_SNAPSHOT"} <= set(sound):
        snapshot_set = sound["NEEDS_TRACKER_SNAPSHOT"].value is not None
        rows.insert(0, ("store in use", config.db_location(),
                        "the snapshot (read-only)" if snapshot_set else "NEEDS_TRACKER_DB"))
    where = str(secrets_path) if secrets_path else "no .streamlit/secrets.toml"
    rows.append(("OIDC sign-in ([auth])", oidc, where))
    editors = secrets.get("editors")
    rows.append(("editors allow-list", f"{len(editors)} addresses" if isinstance(editors, list) else "not set", where))
    rows.append(("packaged data", str(config.packaged_rule_file("taxonomy.toml").parent), "the installed package"))
    if args.json:
        print(json.dumps([{"setting": n, "value": v, "source": src} for n, v, src in rows], indent=2))
    else:
        width = max(len(n) for n, _, _ in rows)
        for name, value, source in rows:
            print(f"{name:<{width}}  {value}  [{source}]")
    for name in config.unknown_variables():
        print(f"needs-tracker: warning: {name} is not a needs-tracker setting and is ignored", file=sys.stderr)
    for exc in bad:
        print(f"needs-tracker: {exc}", file=sys.stderr)
    return 2 if bad else 0


def _write_rules(folder: Path) -> int:
    """Copy the packaged rule files into a folder for an officer to edit (never over existing files)."""
    import shutil

    from . import config

    folder.mkdir(parents=True, exist_ok=True)
    existing = [name for name in config.RULE_FILES if (folder / name).exists()]
    if existing:
        raise NeedsTrackerError(f"{folder}: already holds {', '.join(existing)}; nothing was copied")
    for name in config.RULE_FILES:
        shutil.copyfile(config.packaged_rule_file(name), folder / name)
    print(f"wrote {', '.join(config.RULE_FILES)} to {folder}\n"
          f"edit them, set NEEDS_TRACKER_RULES_DIR={folder.resolve()} and run `needs-tracker reprocess`")
    return 0


def _cmd_dashboard(args) -> int:
    from .serve import serve

    extra = [a for a in args.streamlit_args if a != "--"]
    return serve(db=args.db, snapshot=args.snapshot, host=args.host, port=args.port, extra=extra)


def _cmd_publish(args) -> int:
    from .publish import publish, verify

    if args.verify:
        problems = verify(args.folder)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{args.folder}: {'sound' if not problems else counted(len(problems), 'problem')}")
        return 1 if problems else 0
    _bundled_store_if_missing(args.db)
    manifest = publish(args.folder, location=args.db)
    # the counts `stats` gives (current documents, events, needs not rejected), not raw table rows
    counts = ", ".join(counted(n, name.removesuffix("s"), name) for name, n in manifest["stats"].items())
    print(f"published {args.folder} at {manifest['published_at']}: {counts} "
          f"(as `stats` counts them; schema {manifest['schema_version']}, {len(manifest['tables'])} tables)")
    return 0


def _cmd_original(args) -> int:
    """Write a stored note's original file (PDF, Word, text) back out, byte for byte."""
    import os
    import tempfile

    from . import config
    from .store import connect, originals, store_exists

    if not store_exists(args.db):
        raise NeedsTrackerError(f"there is no store at {config.db_location(args.db)}")
    with connect(args.db) as con:
        info = originals.find(con, args.note)
        data = originals.read(con, info.document_id) if info.kept else None
    if data is None:
        raise NeedsTrackerError(f"{info.file_name} ({info.document_id[:12]}): {info.missing_reason}")
    data = originals.checked(data, info)
    name = Path(info.file_name).name
    output = Path(args.output)
    if args.output.endswith(("/", os.sep)) and not output.exists():  # "-o ~/check/" names a folder
        try:
            output.mkdir(parents=True)
        except OSError as exc:
            raise NeedsTrackerError(f"{output}: cannot make this folder: {exc.strerror or exc}") from None
    target = output / name if output.is_dir() and name not in ("", ".", "..") else output
    if target.exists() and not args.force:
        raise NeedsTrackerError(f"{target}: exists; give --force to overwrite it")
    try:  # a temporary file beside the target, renamed into place: never half a file under its name
        fd, temp = tempfile.mkstemp(prefix=".original-", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp, target)
    except OSError as exc:
        if "temp" in locals():
            Path(temp).unlink(missing_ok=True)
        raise NeedsTrackerError(f"{target}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {target}: {info.file_name}, {len(data):,} bytes, sha256 {info.document_id}")
    return 0


def _refuse_snapshot(location: str | None) -> None:
    """A published snapshot is read-only: say so before a writing command starts, not once per file."""
    from . import config, snapshot

    info = snapshot.snapshot_for(config.db_location(location))
    if info is not None:
        raise NeedsTrackerError(f"the store {info.db_file} is a snapshot published on {info.date_text}, which is "
                                "read-only; unset NEEDS_TRACKER_SNAPSHOT (or give --db) to write to the live store")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="needs-tracker", description=(  # for a user, not the module's docstring
        "Store UN 1540 workshop information notes with the needs each state reported, and read, "
        "review and export them."))
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help="DuckDB store (default: see `needs-tracker config`)")
        return p

    p = with_db(sub.add_parser("ingest", help="store notes (files or folders, recursive)"))
    p.add_argument("paths", nargs="*")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--sample-notes", action="store_true",
                   help="store the bundled sample notes, only if the store is missing or empty (audited)")
    p.add_argument("--replace", action="store_true",
                   help="a file whose path holds a stored note with other content is that note's new version "
                        "(the old text is kept); without it, it is stored as a new note")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("extract", help="print what one note yields; touches no store")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_extract)

    p = with_db(sub.add_parser("stats", help="counts of documents, workshops, states and needs"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("eval", help="precision, recall and F1 against gold labels")
    p.add_argument("gold", nargs="?")
    p.add_argument("docs", nargs="?")
    p.add_argument("--loo", action="store_true",
                   help="every labelled set: rules only and learned, leaving each document out of training")
    p.add_argument("--rules", action="store_true", help="score the rules alone (no learned model)")
    p.add_argument("--model", help="score with this model file")
    p.add_argument("--show", action="store_true", help="list what was missed and extra per document")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_eval)

    from .export import FORMATS

    p = with_db(sub.add_parser("export", help="write the filtered needs (or their matching table) as "
                                + ", ".join(FORMATS)))
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

    p = with_db(sub.add_parser("train", help="train the need model on labelled sets and the store's decisions"))
    p.add_argument("-o", "--output", type=Path, help="model file (default: beside the store)")
    p.add_argument("--default", action="store_true", help="rebuild the model shipped in the package")
    p.add_argument("--no-store", action="store_true", help="labelled sets only, no review decisions")
    p.set_defaults(func=_cmd_train)

    p = with_db(sub.add_parser("reprocess", help="re-run the current rules over every stored note"))
    p.add_argument("--actor", help="name recorded in the audit log (default: user@host)")
    p.set_defaults(func=_cmd_reprocess)

    p = sub.add_parser("config", help="print the effective settings and where each came from")
    p.add_argument("--json", action="store_true")
    p.add_argument("--write-rules", metavar="DIR", help="copy the packaged rule files into DIR to edit them")
    p.set_defaults(func=_cmd_config)

    p = with_db(sub.add_parser("dashboard", help="serve the dashboard (extra Streamlit options after --)"))
    p.add_argument("--snapshot", metavar="DIR", help="serve a published snapshot read-only")
    p.add_argument("--host", help="address to listen on (default: Streamlit's, all interfaces)")
    p.add_argument("--port", type=int, help="port (default 8501)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_dashboard)

    p = with_db(sub.add_parser("publish", help="write a read-only snapshot (DuckDB + Parquet + manifest)"))
    p.add_argument("folder", type=Path)
    p.add_argument("--verify", action="store_true", help="check an existing snapshot against its manifest")
    p.set_defaults(func=_cmd_publish)

    p = with_db(sub.add_parser("original", help="write a stored note's original file (PDF, Word, text) back out"))
    p.add_argument("note", metavar="SHA256_OR_NAME",
                   help="the note's sha256 (or its first 6+ hex digits), file name or ingested path")
    p.add_argument("-o", "--output", required=True,  # a str: Path would drop the "/" that names a folder
                   help="a file, or a folder to write it in by its name (ending in / : made if missing)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=_cmd_original)
    return parser


def main(argv: list[str] | None = None) -> int:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken PDFs are reported by us, once
    args = build_parser().parse_args(argv)
    try:
        if args.command != "config":  # a bad setting stops a command before it does anything
            from . import config

            config.check_all()
        if args.command in ("ingest", "reprocess"):
            _refuse_snapshot(args.db)
        return args.func(args)
    except NeedsTrackerError as exc:
        print(f"needs-tracker: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("needs-tracker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`extract --json | head`): stop quietly, as cat does
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return 141


if __name__ == "__main__":
    sys.exit(main())
