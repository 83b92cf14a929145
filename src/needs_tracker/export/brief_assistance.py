"""The briefs' "Requests and offers" section: the matching table of the brief's own filter, in words.

A donor or a committee officer reads it before a meeting: how many (state, gap) pairs are open,
offered or taken up, which have been open longest, and then, state by state, each gap's status,
its formal requests (dates), the offers made on it (who, when, to whom) and the later events on
it that the state attended. Both briefs (HTML and PDF) print the same sentences from here, so
they say the same thing. A large selection (more pairs than ``MAX_TABLE_PAIRS``, as for the
needs) gets one short paragraph per state instead of a table, with offers grouped by provider
and later events as years. The rows come from ``store.assistance.matching_table`` (about 0.1–0.3 s
at 100,000 needs), so the brief, the Matching page and the matching exports agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..labels import YEAR_UNKNOWN, requested_words, year_text
from ..matching import Status
from ..wording import counted
from .matching_format import RECIPIENTS

MAX_TABLE_PAIRS = 150   # past this many (state, gap) pairs, a paragraph per state (the needs part uses it too)
NAME_TAKEN_UP_STATES = 60  # past this many states, a large brief counts each state's taken-up gaps
LONGEST_OPEN = 10       # open pairs named in the summary
MAX_EVENTS_NAMED = 4    # later events named by title in a pair's row; the rest are counted
NO_ASSISTANCE = "No offers or requests are recorded for this selection."
STATUSES = (Status.OPEN, Status.OFFERED, Status.TAKEN_UP)
HOW_TO_READ = ("Status, for each state and gap: “open” means reported at a workshop or formally requested, with "
               "nothing offered or taken up since; “offered” means a state or organisation offered help on that "
               "gap to that state since it was first raised; “taken up” means the state later attended an event "
               "on that gap. Years open count from the first report or request to the offer or the event (or to "
               "today while it is open).")


def _items(value) -> list:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return list(value)


def year_span(years: list[int]) -> str:
    """[2019, 2020, 2021, 2023] -> '2019–2021, 2023'."""
    from .brief import year_ranges

    return year_ranges([int(y) for y in years])


def status_text(row) -> str:
    """'open 12 years (since 2013)', 'offered in 2017 (raised 2014)', 'taken up in 2019 (raised 2015)'."""
    first, years = row.first_raised, row.years_open
    since = "year first raised unknown" if first is None or pd.isna(first) else f"since {int(first)}"
    if row.status == Status.OPEN:
        return f"open {counted(int(years), 'year')} ({since})" if years is not None and not pd.isna(years) else \
            f"open ({since})"
    raised = "" if first is None or pd.isna(first) else f" (raised {int(first)})"
    if row.status == Status.OFFERED:
        if raised and years is not None and not pd.isna(years):  # years open end at the first offer
            return f"offered in {int(first) + int(years)}{raised}"
        return f"offered{raised}"
    later = _items(row.later_event_years)
    return f"taken up in {later[0]}{raised}" if later else f"taken up{raised}"


def offer_words(offer: dict) -> str:
    """'Japan (2018, to named states)'."""
    to = RECIPIENTS.get(str(offer.get("to")), "unknown recipients")
    return f"{offer.get('provider')} ({year_text(offer.get('year'))}, to {to})"


def offers_by_provider(offers: list[dict]) -> str:
    """A large brief's offers: 'EU 2012, 2020; OSCE year unknown'."""
    years: dict[str, list] = defaultdict(list)
    for o in offers:
        years[str(o.get("provider"))].append(o.get("year"))
    parts = []
    for provider, ys in years.items():
        known = [int(y) for y in ys if y is not None and not pd.isna(y)]
        text = year_span(known) if known else ""
        if len(known) < len(ys):
            text = (text + ", " if text else "") + YEAR_UNKNOWN
        parts.append(f"{provider} {text}")
    return "; ".join(parts)


@dataclass
class AssistanceSection:
    table: pd.DataFrame                                 # store.assistance.matching_table, brief's filter
    events: dict[int, str] = field(default_factory=dict)  # later events' "title (year)", small selections only
    _states: list | None = field(default=None, repr=False)
    _by_state: dict | None = field(default=None, repr=False)

    @classmethod
    def read(cls, con, f) -> AssistanceSection:
        """The matching table of ``f`` and, for a small selection, the titles of its later events."""
        from ..store.assistance import events_by_id, matching_table

        table = matching_table(con, f)
        section = cls(table=table)
        if not section.compact and len(table):
            ids = tuple(sorted({int(i) for v in table["later_events"] for i in _items(v)}))
            if ids:
                rows = events_by_id(con, ids)
                section.events = {int(r.workshop_id): f"{r.title or 'untitled workshop'} ({year_text(r.year)})"
                                  for r in rows.itertuples(index=False)}
        return section

    @property
    def compact(self) -> bool:
        return len(self.table) > MAX_TABLE_PAIRS

    @property
    def is_empty(self) -> bool:
        return self.table.empty

    @property
    def offer_count(self) -> int:
        return int(sum(len(_items(v)) for v in self.table["offers"])) if len(self.table) else 0

    @property
    def request_count(self) -> int:
        return int(sum(len(_items(v)) for v in self.table["request_dates"])) if len(self.table) else 0

    @property
    def has_assistance(self) -> bool:
        return bool(self.offer_count or self.request_count)

    def counts(self) -> dict[str, int]:
        got = self.table["status"].astype(str).value_counts() if len(self.table) else {}
        return {str(s): int(got.get(str(s), 0)) for s in STATUSES}

    def summary_lines(self) -> list[str]:
        """The section's opening: the status counts, then what was requested and offered (or that nothing was)."""
        if self.is_empty:
            return ["No (state, gap) pair matches these filters."]
        c = self.counts()
        lines = [f"{counted(len(self.table), '(state, gap) pair')}: {c['open']:,} open, {c['offered']:,} offered, "
                 f"{c['taken up']:,} taken up."]
        if not self.has_assistance:
            lines.append(NO_ASSISTANCE)
            return lines
        t = self.table
        requested = int(sum(bool(_items(v)) for v in t["request_dates"]))
        offered = int(sum(bool(_items(v)) for v in t["offers"]))
        providers = {str(o["provider"]) for v in t["offers"] for o in _items(v)}
        lines.append(f"{counted(self.request_count, 'formal request')} on {counted(requested, 'pair')}; "
                     f"{counted(self.offer_count, 'offer')} on {counted(offered, 'pair')}, from "
                     f"{counted(len(providers), 'provider')}.")
        return lines

    def longest_open(self) -> list[tuple[str, str]]:
        """('Kazakhstan · Licensing', 'open 12 years (since 2013); requested 2014-02-01') for the
        pairs open longest (the table comes sorted open first, longest open first)."""
        open_rows = self.table[self.table["status"].astype(str) == str(Status.OPEN)].head(LONGEST_OPEN)
        out = []
        for r in open_rows.itertuples(index=False):
            text = status_text(r)
            if _items(r.request_dates):
                text += "; " + requested_words(_items(r.request_dates))
            out.append((f"{r.state_name} · {r.category_label}", text))
        return out

    def states(self) -> list[tuple[str, str]]:
        """(iso3, name) of every state with a pair, by name."""
        if self._states is None:
            pairs = self.table[["state_iso3", "state_name"]].drop_duplicates()
            self._states = sorted(((str(i), str(n)) for i, n in pairs.itertuples(index=False)), key=lambda t: t[1])
        return self._states

    def _state_rows(self, iso3: str) -> list:
        """One state's rows in table order (grouped once: 196 boolean masks cost more than the text)."""
        if self._by_state is None:
            self._by_state = defaultdict(list)
            for r in self.table.itertuples(index=False):
                self._by_state[str(r.state_iso3)].append(r)
        return self._by_state.get(iso3, [])

    def later_text(self, row) -> str:
        ids = _items(row.later_events)
        if not ids:
            return "none"
        named = [self.events.get(int(i), f"workshop {int(i)}") for i in ids[:MAX_EVENTS_NAMED]]
        more = len(ids) - len(named)
        return "; ".join(named) + (f"; and {more:,} more" if more else "")

    def rows_for(self, iso3: str) -> list[tuple[str, str, str, str, str]]:
        """A small brief's table for one state: (gap, status, requests, offers, later events)."""
        return [(r.category_label, status_text(r), ", ".join(_items(r.request_dates)) or "none",
                 "; ".join(offer_words(o) for o in _items(r.offers)) or "none", self.later_text(r))
                for r in self._state_rows(iso3)]

    def paragraph_for(self, iso3: str) -> list[tuple[str, str]]:
        """A large brief's lines for one state, short enough for 196 states: each status with its
        gaps (open: years open; offered: the providers; taken up: the first later event's year, or
        past ``NAME_TAKEN_UP_STATES`` states only their number), then the formal requests (gap and
        dates) and the offers' providers counted. The detail is in the matching exports."""
        by_status: dict[str, list[str]] = defaultdict(list)
        providers: dict[str, int] = defaultdict(int)
        requests: list[str] = []
        for r in self._state_rows(iso3):
            if _items(r.request_dates):
                # under the line's own "Formal requests:" label: "Licensing 2015-03-25 and on an unknown date"
                when = requested_words(_items(r.request_dates)).removeprefix("requested ")
                requests.append(f"{r.category_label} {when}")
            offers = _items(r.offers)
            for o in offers:
                providers[str(o.get("provider"))] += 1
            if r.status == Status.OPEN:
                years = counted(int(r.years_open), "year") if r.years_open is not None \
                    and not pd.isna(r.years_open) else "years unknown"
                text = f"{r.category_label} ({years})"
            elif r.status == Status.OFFERED:
                text = f"{r.category_label} ({offers_by_provider(offers)})"
            else:
                years = _items(r.later_event_years)
                text = f"{r.category_label} {years[0]}" if years else str(r.category_label)
            by_status[str(r.status)].append(text)
        lines = [(f"{s.capitalize()} ({len(by_status[str(s)])}):", ", ".join(by_status[str(s)]))
                 for s in STATUSES if by_status.get(str(s))]
        taken = str(Status.TAKEN_UP)
        if by_status.get(taken) and len(self.states()) > NAME_TAKEN_UP_STATES:
            lines[-1] = ("Taken up:", f"{counted(len(by_status[taken]), 'gap')} (named in the matching exports).")
        if requests:
            lines.append(("Formal requests:", "; ".join(requests)))
        if providers:
            lines.append(("Offers from:", ", ".join(f"{p} ({n})" for p, n in sorted(providers.items(),
                                                                                key=lambda t: (-t[1], t[0])))))
        return lines
