"""What a brief (PDF or HTML) shows, gathered for a selection of any size.

A brief is read by a person before a meeting, so it stays a brief at 100,000 needs: for each
state and gap it gives the counts, the years and the top quotes (needs a person confirmed
first), read in one grouped query (``reads.brief_pairs``) instead of every row. A small
selection (up to ``FULL_BRIEF_NEEDS``) is quoted in full. Every row belongs in the CSV/XLSX,
and the brief says so when it shows fewer quotes than needs. Its "Requests and offers" section
reads the matching table of the same filter (``brief_assistance``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from ..filters import NeedFilter
from ..labels import DATE_UNKNOWN, YEAR_UNKNOWN
from ..store import connect, reads
from ..store.vocab import NeedStatus
from ..taxonomy import category_labels
from ..wording import counted
from .brief_assistance import MAX_TABLE_PAIRS, AssistanceSection  # past that many pairs: a paragraph per state
from .data import (
    CONTROL_CHARS,
    NOTHING_MATCHED,
    UNTITLED,
    FilterStamp,
    _date,
    _v,
    clean_text,
    venue,
)

FULL_BRIEF_NEEDS = 300  # up to this many needs, every one is quoted
MAX_QUOTES = 200        # beyond, about this many quotes in all, spread over the (state, gap) pairs
MAX_STATE_CHARTS = 12   # per-state timeline charts drawn; beyond, each state's section gives the years

STATUS_WORDS = {
    NeedStatus.EXTRACTED: "found by the rules, not yet checked by a person",
    NeedStatus.CONFIRMED: "confirmed by a person",
    NeedStatus.CORRECTED: "corrected by a person",
    NeedStatus.MANUAL: "added by a person",
}
HOW_TO_READ = (
    "Each quote is the sentence of the workshop's information note that states the need, exactly as "
    "written. Its status says who vouches for it: “confirmed”, “corrected” or “added” means a person "
    "checked it against the note; “not yet checked” means the tracker's rules found it and nobody has "
    "reviewed it yet. Confidence (high, medium, low) is how sure the rules were that the sentence "
    "states this need for this state. A workshop whose note gives no date is listed with “date "
    "unknown” and its needs are counted like any other."
)


def confidence_words(value) -> str:
    value = _v(value)
    if value is None:
        return "confidence unknown"
    band = "high" if value >= 0.8 else "medium" if value >= 0.6 else "low"
    return f"{band} confidence ({value:.2f})"


def status_words(status) -> str:
    status = _v(status) or NeedStatus.EXTRACTED
    return STATUS_WORDS.get(status, status)


def quotes_per_pair(pairs: int) -> int:
    """How many quotes each (state, gap) gets in a large brief: fewer as the pairs grow."""
    return max(1, min(3, MAX_QUOTES // max(1, pairs)))


def year_ranges(years: list[int]) -> str:
    """[2004, 2005, 2006, 2009] -> '2004–2006, 2009': short enough to read at 22 years."""
    years = sorted(set(years))
    out, start = [], None
    for i, y in enumerate(years):
        start = y if start is None else start
        if i + 1 == len(years) or years[i + 1] != y + 1:
            out.append(str(y) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(out)


@dataclass
class BriefData(FilterStamp):
    filter: NeedFilter
    created: datetime
    counts: dict[str, int]
    states: pd.DataFrame        # reads.by_state
    categories: pd.DataFrame    # reads.by_category
    pairs: pd.DataFrame         # reads.brief_pairs: one row per (state, gap) with its top quotes
    workshops: pd.DataFrame     # the workshops the shown quotes come from
    complete: bool              # True when every need is quoted
    labels: dict[str, str] = field(default_factory=dict)
    assistance: AssistanceSection | None = None  # the "Requests and offers" section (matching table)
    _pairs_by_state: dict | None = field(default=None, repr=False)

    @property
    def need_count(self) -> int:
        return int(self.counts.get("needs", 0))

    @property
    def is_empty(self) -> bool:
        return self.need_count == 0

    @property
    def compact(self) -> bool:
        """Too many (state, gap) pairs for tables: each state gets a paragraph and its top quotes."""
        return len(self.pairs) > MAX_TABLE_PAIRS

    def _by_state(self) -> dict[str, list]:
        """Each state's pair rows, most reported gap first (computed once)."""
        if self._pairs_by_state is None:
            ordered = self.pairs.sort_values(["state_iso3", "needs", "category"], ascending=[True, False, True])
            self._pairs_by_state = {}
            for p in ordered.itertuples(index=False):
                self._pairs_by_state.setdefault(p.state_iso3, []).append(p)
        return self._pairs_by_state

    def quotes_for(self, iso3: str) -> list[tuple[object, dict]]:
        """(pair, quote) shown for one state: every gathered quote, or in a compact brief the top
        quote of each of the state's most reported gaps (two, or one past 60 states)."""
        if self.compact:
            take = 2 if len(self.states) <= 60 else 1
            pairs = self._by_state().get(iso3, [])[:take]
        else:
            pairs = list(self.state_pairs(iso3).itertuples(index=False))
        return [(p, q) for p in pairs for q in p.quotes]

    @property
    def quoted_count(self) -> int:
        return sum(len(self.quotes_for(s)) for s in self.states["state_iso3"]) if len(self.pairs) else 0

    def label(self, category: str | None) -> str:
        return "" if category is None else self.labels.get(category, category)

    @property
    def title(self) -> str:
        if len(self.filter.states) == 1 and len(self.states) == 1:
            return f"Needs brief: {self.states['state_name'].iloc[0]}"
        return "Needs brief"

    def summary_lines(self) -> list[str]:
        if self.is_empty:
            return [NOTHING_MATCHED]
        c = self.counts
        lines = [f"{counted(c['needs'], 'need')} reported for {counted(c['states'], 'state')} at "
                 f"{counted(c['workshops'], 'workshop')}; {c['confirmed']:,} confirmed by a person."]
        if not self.complete:
            which = ("the top quote of each state's most reported gaps" if self.compact else
                     "the top quotes of each state and gap")
            lines.append(f"This brief quotes {self.quoted_count:,} of the {c['needs']:,} needs: {which} (confirmed "
                         "ones first, then the most certain), with the counts and years of every gap. Every need "
                         "is in the CSV and Excel exports of the same filter.")
        return lines

    def state_pairs(self, iso3: str) -> pd.DataFrame:
        return self.pairs[self.pairs["state_iso3"] == iso3]

    def years_text(self, pair) -> str:
        """'2012, 2015–2017' / '2012; year unknown (2 needs)' / 'year unknown'."""
        years = year_ranges([int(y) for y in str(_v(pair.years) or "").split(", ") if y.strip().isdigit()])
        unknown = int(_v(pair.needs_year_unknown) or 0)
        if unknown and years:
            return f"{years}; {YEAR_UNKNOWN} ({counted(unknown, 'need')})"
        return years or YEAR_UNKNOWN

    def still_text(self, pair) -> str:
        still = _v(pair.still_reported)
        if still is None:
            return "unknown (dates missing)"
        return "yes" if still else f"no: last {int(pair.last_year)}, the state attended until {int(pair.last_attended)}"

    def gaps_sentence(self, iso3: str) -> str:
        """A compact brief's line for one state: every gap, most reported first, with its number
        of needs and its first and last year ('Licensing 61 (2004–2025)')."""
        parts = []
        for p in self._by_state().get(iso3, []):
            first, last = _v(p.first_year), _v(p.last_year)
            span = YEAR_UNKNOWN if first is None else (f"{first}" if first == last else f"{first}–{last}")
            if first is not None and int(_v(p.needs_year_unknown) or 0):
                span += f", {int(p.needs_year_unknown)} of unknown year"
            parts.append(f"{self.label(p.category)} {int(p.needs):,} ({span})")
        return "; ".join(parts) + "."


def state_counts_text(state) -> str:
    """A state's opening line in both briefs, singular for one: "1 need in 1 gap category, reported
    at 1 workshop." (it read "1 needs in 1 gap categories, reported at 1 workshop(s).")."""
    return (f"{counted(int(state.needs), 'need')} in {counted(int(state.categories), 'gap category', 'gap categories')}"
            f", reported at {counted(int(state.workshops), 'workshop')}.")


def source_text(quote: dict) -> str:
    """A quote's source as a person cites it: workshop title and date first, the file second."""
    title = _v(quote.get("workshop_title")) or UNTITLED
    start = _date(quote.get("start_date"))
    when = start.isoformat() if start else (str(_v(quote.get("year"))) if _v(quote.get("year")) else DATE_UNKNOWN)
    return f"{title}, {when} (file: {_v(quote.get('file_name')) or 'unknown'})"


def gather_brief(f: NeedFilter, *, location: str | None = None, created: datetime | None = None) -> BriefData:
    """Counts, per-state and per-gap summaries and the top quotes, in one short-lived connection."""
    with connect(location) as con:
        counts = reads.counts(con, f)
        full = counts["needs"] <= FULL_BRIEF_NEEDS
        states = clean_text(reads.by_state(con, f))
        if full:
            pairs = reads.brief_pairs(con, f, max(1, counts["needs"]))
        else:
            n_pairs = int(states["categories"].sum())
            per_pair = 1 if n_pairs > MAX_TABLE_PAIRS else quotes_per_pair(n_pairs)
            pairs = reads.brief_pairs(con, f, per_pair)
        categories = reads.by_category(con, f)
        workshops = clean_text(reads.workshops(con, f))
        assistance = AssistanceSection.read(con, f)
    pairs["quotes"] = [[_clean_quote(q) for q in quotes] for quotes in pairs["quotes"]] if len(pairs) else []
    data = BriefData(filter=f, created=created or datetime.now(UTC), counts=counts, states=states,
                     categories=categories, pairs=pairs, workshops=workshops, complete=full,
                     labels=category_labels(), assistance=assistance)
    cited = {int(q["workshop_id"]) for iso3 in states["state_iso3"] for _, q in data.quotes_for(iso3)}
    data.workshops = workshops[workshops["workshop_id"].isin(cited)].reset_index(drop=True)
    return data


def _clean_quote(quote: dict) -> dict:
    out = dict(quote)
    for key in ("evidence", "workshop_title", "file_name"):
        if isinstance(out.get(key), str):
            out[key] = re.sub(CONTROL_CHARS, "", out[key])
    return out


def workshop_rows(data: BriefData) -> list[tuple[str, str, str, str, str]]:
    """(title, dates, venue, needs, file) of every cited workshop, for the sources table."""
    rows = []
    for w in data.workshops.itertuples(index=False):
        start, end = _date(w.start_date), _date(w.end_date)
        dates = " – ".join(d.isoformat() for d in (start, end) if d) or (str(_v(w.year)) if _v(w.year) else
                                                                          DATE_UNKNOWN)
        rows.append((_v(w.title) or UNTITLED, dates, venue(_v(w.venue_city), _v(w.venue_country)) or "venue unknown",
                     f"{int(w.needs):,}", _v(w.file_name) or ""))
    return rows
