"""One event, many sources: do two extracted documents describe the same workshop?

A cable and a news story, an announcement and a report: counted twice, the same workshop
doubles a state's attendance and its gaps' "reported" years. This module scores a pair of
documents on what they say about the event (dates, venue, hosts and organisers, participants,
title) and groups a batch into events. It is pure: it takes ``EventFacts`` (built from an
``Extraction`` or from a stored workshop row) and returns numbers, so ingest, reprocess and a
reviewer's merge/split all use the same judgement.

Dates decide first: two dated events whose days do not overlap are different events, and so
are two events in different years, or two that name several participants and none in common.
Then the venue (same city, same country), the organisers (normalised, so "UNODA" and "United
Nations Office for Disarmament Affairs" agree), the participants (Jaccard overlap of ISO3
sets) and the title's words add evidence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from .states import state_index

SAME_EVENT = 0.6  # the score from which two documents are one event
DATE_SLACK = timedelta(days=1)  # "10-11 Feb" and "11 Feb": a report may give the second day only
STOP = {"the", "of", "on", "in", "and", "for", "to", "a", "an", "at", "with", "by", "held", "resolution", "1540",
        "2004", "unscr", "un", "workshop", "seminar", "meeting", "event", "national", "regional"}


@dataclass(frozen=True)
class EventFacts:
    title: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    year: int | None = None
    venue_city: str | None = None
    venue_country_iso3: str | None = None
    organizers: tuple[str, ...] = ()
    participants: frozenset[str] = field(default_factory=frozenset)
    kind: str = "workshop"

    @classmethod
    def from_extraction(cls, ex) -> EventFacts:
        return cls(ex.title, ex.start_date, ex.end_date, ex.year or (ex.start_date.year if ex.start_date else None),
                   ex.venue_city, ex.venue_country_iso3, tuple(ex.organizers),
                   frozenset(p.iso3 for p in ex.participants), ex.kind)


@dataclass(frozen=True)
class EventMatch:
    score: float
    same: bool
    reasons: tuple[str, ...]


def _plain(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@functools.lru_cache(maxsize=8192)
def _words(text: str | None) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", _plain(text)) if w not in STOP and (len(w) > 2 or w.isdigit()))


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def organiser_keys(organizers: tuple[str, ...] | list[str]) -> set[str]:
    return set(_organiser_keys(tuple(organizers)))


@functools.lru_cache(maxsize=8192)  # the same organisers recur across a batch; matching them is costly
def _organiser_keys(organizers: tuple[str, ...]) -> frozenset[str]:
    """Organisers as comparable keys: an organisation's normalised id, a state's ISO3 ("the
    Tajik Ministry of Foreign Affairs" and "the Ministry of Foreign Affairs of Tajikistan")."""
    from .extract.assistance_records import load_assistance_rules  # here: the extractor loads spaCy, which
    # the dashboard's readers of store.assistance (the Matching page) never need

    rules = load_assistance_rules()
    idx = state_index()
    keys: set[str] = set()
    for name in organizers:
        found = {p.id for p, _s, _e in rules.find_providers(name)}
        found |= {m.iso3 for m in idx.find_mentions(name) + idx.find_adjective_mentions(name)}
        keys |= found or {_plain(name)}
    return frozenset(keys)


def _date_score(a: EventFacts, b: EventFacts) -> tuple[float | None, str]:
    """None when the dates rule the pair out."""
    if a.start_date and b.start_date:
        a_end, b_end = a.end_date or a.start_date, b.end_date or b.start_date
        if a.start_date <= b_end + DATE_SLACK and b.start_date <= a_end + DATE_SLACK:
            return 0.4, "dates overlap"
        return None, "different dates"
    ya = a.year or (a.start_date.year if a.start_date else None)
    yb = b.year or (b.start_date.year if b.start_date else None)
    if ya and yb:
        return (0.1, "same year") if ya == yb else (None, "different years")
    return 0.0, "no dates to compare"


def same_event(a: EventFacts, b: EventFacts) -> EventMatch:
    """How strongly two documents describe one event, and whether they do (score ≥ SAME_EVENT)."""
    if "assistance_requests" in (a.kind, b.kind):
        return EventMatch(0.0, False, ("a register is not an event",))
    dates, why = _date_score(a, b)
    if dates is None:
        return EventMatch(0.0, False, (why,))
    if len(a.participants) >= 2 and len(b.participants) >= 2 and not a.participants & b.participants:
        return EventMatch(0.0, False, ("no participant in common",))  # two sessions, two events
    score, reasons = dates, [why]
    if a.venue_city and b.venue_city and _plain(a.venue_city) == _plain(b.venue_city):
        score += 0.25
        reasons.append("same city")
    elif a.venue_country_iso3 and b.venue_country_iso3:
        if a.venue_country_iso3 == b.venue_country_iso3:
            score += 0.1
            reasons.append("same country")
        else:
            score -= 0.3
            reasons.append("different countries")
    organisers = _jaccard(set(_organiser_keys(tuple(a.organizers))), set(_organiser_keys(tuple(b.organizers))))
    if organisers:
        score += 0.15 * organisers
        reasons.append(f"organisers {organisers:.0%} alike")
    participants = _jaccard(set(a.participants), set(b.participants))
    if participants:
        score += 0.2 * participants
        reasons.append(f"participants {participants:.0%} alike")
    title = _jaccard(set(_words(a.title)), set(_words(b.title)))
    if title:
        score += 0.15 * title
        reasons.append(f"titles {title:.0%} alike")
    score = round(score, 3)
    # Without overlapping days, only a strong match elsewhere makes one event.
    needs = SAME_EVENT if dates >= 0.4 else SAME_EVENT + 0.1
    return EventMatch(score, score >= needs, tuple(reasons))


def group_events(facts: list[EventFacts]) -> list[list[int]]:
    """Indices of ``facts`` grouped into events (each group sorted; groups by first index).
    Linking is transitive: an announcement, a cable and a report of one workshop form one group."""
    parent = list(range(len(facts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(facts)):
        for j in range(i + 1, len(facts)):
            if root(i) != root(j) and same_event(facts[i], facts[j]).same:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(facts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
