"""Score offers and formal requests against hand-made labels.

The gold file is the corpus format (``../shared/corpus/gold.json``) with two more keys per
document: ``offers`` ([{"provider", "category", ...}]; a provider is a state's name or an
organisation's name in any spelling ``assistance_rules.toml`` knows) and ``requests``
([{"state", "category", "requested_on"}]); ``not_offers`` lists sentences that must yield no
offer (achievements, the event's funding). Offers are compared as (provider, category) pairs
per document, requests as (state, category) and (state, category, date) pairs, micro-averaged.

``python -m needs_tracker.assistance_eval GOLD DOCS`` prints the table.
``python -m needs_tracker.assistance_eval --all`` scores every labelled batch under
``tests/corpus/assistance`` at once (one line each, then the pooled figure) and lists the offers
proposed in the real documents, which carry no offer labels, so a person can judge them: the
figure a product owner would see is the pooled one, and the real documents show the false
offers that labelled batches written for the purpose would not.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NeedsTrackerError, ReadError
from .evaluate import Score, find_quote
from .extract import extract
from .extract.assistance_records import load_assistance_rules
from .gold_file import read_gold_json
from .readers import read_document
from .states import state_index


def provider_key(name: str) -> str:
    """A provider as compared: a state's ISO3, else its organisation id, else the name."""
    state = state_index().resolve(name)
    if state:
        return state.iso3
    org = load_assistance_rules().normalise_provider(name)
    return org.id if org else name.strip()


@dataclass
class AssistanceReport:
    offers: Score = field(default_factory=Score)
    providers: Score = field(default_factory=Score)  # who offers, whatever the category
    requests: Score = field(default_factory=Score)
    requests_dated: Score = field(default_factory=Score)
    # of the labelled offers whose provider was found at their sentence, how many got the right category
    categories_found: int = 0
    categories_right: int = 0
    not_offers: int = 0  # labelled non-offers
    not_offers_taken: int = 0  # of those, how many were extracted as offers
    documents: int = 0
    details: list[dict] = field(default_factory=list)

    def table(self) -> str:
        lines = [f"{'measure':<32}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, s in (("offers (provider, category)", self.offers), ("offers (provider only)", self.providers),
                        ("requests (state, category)", self.requests),
                        ("requests (state, category, date)", self.requests_dated)):
            lines.append(f"{name:<32}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
        lines.append(f"{'not-offers taken as offers':<32}{self.not_offers_taken}/{self.not_offers}")
        lines.append(f"{'category of a found provider':<32}{self.categories_right}/{self.categories_found} right")
        return "\n".join(lines)


def evaluate_assistance(gold_file: str | Path, docs_dir: str | Path) -> AssistanceReport:
    gold_path, docs = Path(gold_file), Path(docs_dir)
    gold = read_gold_json(gold_path)
    report = AssistanceReport()
    for entry in gold:
        if "offers" not in entry and "requests" not in entry and entry.get("kind") != "assistance_requests":
            continue
        text = None
        try:
            text = read_document(docs / entry["file"]).text
        except ReadError as exc:
            raise NeedsTrackerError(str(exc)) from exc
        ex = extract(text)
        report.documents += 1
        gold_offers = {(provider_key(o["provider"]), o["category"]) for o in entry.get("offers", [])}
        got_offers = {(o.provider_iso3 or provider_key(o.provider), o.category) for o in ex.offers}
        missed_o, extra_o = report.offers.add(got_offers, gold_offers)
        report.providers.add({p for p, _ in got_offers}, {p for p, _ in gold_offers})
        found, right = _category_check(entry.get("offers", []), ex.offers)
        report.categories_found += found
        report.categories_right += right
        requests = entry.get("requests")
        if requests is None and entry.get("kind") == "assistance_requests":  # the corpus labels them as needs
            requests = [{"state": n["state"], "category": n["category"], "requested_on": None}
                        for n in entry.get("needs", [])]
        gold_req = {(provider_key(r["state"]), r["category"]) for r in requests or []}
        got_req = {(r.state_iso3, r.category) for r in ex.requests}
        missed_r, extra_r = report.requests.add(got_req, gold_req)
        if requests and all(r.get("requested_on") for r in requests):
            report.requests_dated.add(
                {(r.state_iso3, r.category, r.requested_on.isoformat() if r.requested_on else None)
                 for r in ex.requests},
                {(provider_key(r["state"]), r["category"], r["requested_on"]) for r in requests})
        taken = []
        for quote in entry.get("not_offers", []):
            report.not_offers += 1
            span = find_quote(text, quote)
            if span and any(o.start < span[1] and span[0] < o.end for o in ex.offers):
                taken.append(quote)
        report.not_offers_taken += len(taken)
        report.details.append({"file": entry["file"], "offers_missed": sorted(missed_o),
                               "offers_extra": sorted(extra_o), "requests_missed": sorted(missed_r),
                               "requests_extra": sorted(extra_r), "not_offers_taken": taken})
    return report


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _category_check(gold_offers: list[dict], found) -> tuple[int, int]:
    """(labelled offers whose provider was found at their sentence, of those with the right category):
    where the category goes wrong for a right provider, apart from offers missed altogether."""
    seen = right = 0
    for g in gold_offers:
        evidence = _norm(g.get("evidence", ""))
        if not evidence:
            continue
        key = provider_key(g["provider"])
        same = [o for o in found if (o.provider_iso3 or provider_key(o.provider)) == key
                and (_norm(o.evidence) in evidence or evidence in _norm(o.evidence))]
        if same:
            seen += 1
            right += any(o.category == g["category"] for o in same)
    return seen, right


ASSISTANCE_SETS = Path("tests/corpus/assistance")
REAL_DOCS = (Path("tests/corpus/real/a/docs"), Path("tests/corpus/real/b/docs"), Path("tests/corpus/real/c/docs"),
             Path("../shared/corpus/docs"), Path("../shared/corpus/more-real/docs"))


def labelled_batches(root: Path = ASSISTANCE_SETS) -> list[Path]:
    """Every labelled batch: a folder holding a labels.json."""
    return sorted(p.parent for p in Path(root).glob("*/labels.json"))


def real_offers(folders=REAL_DOCS) -> tuple[int, list[tuple[str, str, str, str]]]:
    """(documents read, [(file, provider, category, evidence)]) for the unlabelled real notes."""
    count, out = 0, []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            try:
                text = read_document(path).text
            except ReadError:
                continue
            count += 1
            out += [(f"{folder.parent.name}/{path.name}", o.provider, o.category, o.evidence)
                    for o in extract(text).offers]
    return count, out


def all_sets_table(batches: list[Path], show_real: bool = True) -> str:
    pooled = AssistanceReport()
    lines = [f"{'batch':<12}{'notes':>6}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}  not-offers taken"]
    for batch in batches:
        r = evaluate_assistance(batch / "labels.json", batch)
        s = r.offers
        lines.append(f"{batch.name:<12}{r.documents:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                     f"{s.tp:>5}{s.fp:>5}{s.fn:>5}  {r.not_offers_taken}/{r.not_offers}")
        for name in ("tp", "fp", "fn"):
            setattr(pooled.offers, name, getattr(pooled.offers, name) + getattr(s, name))
            setattr(pooled.providers, name, getattr(pooled.providers, name) + getattr(r.providers, name))
        pooled.documents += r.documents
        pooled.not_offers += r.not_offers
        pooled.categories_found += r.categories_found
        pooled.categories_right += r.categories_right
        pooled.not_offers_taken += r.not_offers_taken
    s = pooled.offers
    lines.append(f"{'pooled':<12}{pooled.documents:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                 f"{s.tp:>5}{s.fp:>5}{s.fn:>5}  {pooled.not_offers_taken}/{pooled.not_offers}")
    p = pooled.providers
    lines.append(f"{'providers':<12}{'':>6}{p.precision:>7.3f}{p.recall:>7.3f}{p.f1:>7.3f}{p.tp:>5}{p.fp:>5}{p.fn:>5}"
                 "  (who offers per note, whatever the category)")
    lines.append(f"{'categories':<12}{pooled.categories_right} of {pooled.categories_found} labelled offers whose "
                 "provider was found at their sentence have the right category")
    if show_real:
        count, offers = real_offers()
        lines.append(f"real documents (no offer labels): {count} read, {len(offers)} offers proposed")
        lines += [f"  {f}: {p} / {c}: {e[:150]}" for f, p, c, e in offers]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--all"]:
        try:
            print(all_sets_table(labelled_batches(), show_real="--no-real" not in args))
        except NeedsTrackerError as exc:
            print(f"needs-tracker: {exc}", file=sys.stderr)
            return 1
        return 0
    if len(args) < 2:
        print("usage: python -m needs_tracker.assistance_eval GOLD DOCS [--show]", file=sys.stderr)
        return 2
    try:
        report = evaluate_assistance(args[0], args[1])
    except NeedsTrackerError as exc:
        print(f"needs-tracker: {exc}", file=sys.stderr)
        return 1
    print(report.table())
    if "--show" in args:
        for d in report.details:
            problems = {k: v for k, v in d.items() if k != "file" and v}
            if problems:
                print(d["file"])
                for key, value in problems.items():
                    print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
