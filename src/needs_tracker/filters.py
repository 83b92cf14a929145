"""The one filter object shared by the dashboard, the exports and the CLI.

A ``NeedFilter`` is what a person chose; ``where()`` turns it into a SQL condition over
the ``need_facts`` base query plus bound parameters, and ``describe()`` into the sentence
that heads every page and export. Values never enter the SQL text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

from .errors import FilterError
from .store.vocab import HUMAN_NEED_STATUSES, NeedStatus, OrgRelation

# What a person may ask for: every need not rejected, or only those a person vouched for
# (HUMAN_NEED_STATUSES). A choice of the filter, not a need's status.
STATUS_CHOICES = ("all", "confirmed")
_HITS = "_text_hits"  # the words' answer, when known (with_text_hits): (words, bits, size)


@dataclass(frozen=True)
class NeedFilter:
    regions: tuple[str, ...] = ()
    subregions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()          # ISO3 codes
    categories: tuple[str, ...] = ()      # taxonomy ids
    year_from: int | None = None
    year_to: int | None = None
    organizer: str | None = None          # substring of an organiser's name
    status: str = "all"                   # all | confirmed
    text: str | None = None               # words (stemmed) or "phrases" in the evidence
    workshops: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.status not in STATUS_CHOICES:
            raise FilterError(f"unknown status {self.status!r}; valid: {', '.join(STATUS_CHOICES)}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise FilterError(f"year range {self.year_from}–{self.year_to} is empty: the start is after the end")

    @property
    def is_empty(self) -> bool:
        return self == NeedFilter()

    def where(self, alias: str = "f") -> tuple[str, list]:
        """SQL condition over need_facts (aliased ``alias``) and its parameters."""
        a = alias
        clauses = [f"{a}.status <> ?"]
        params: list = [str(NeedStatus.REJECTED)]
        shape, shape_params = self._column_clauses(f"{a}.state_iso3", f"{a}.category", f"{a}.year",
                                                   f"{a}.region", f"{a}.subregion")
        clauses += shape
        params += shape_params
        if self.organizer:
            clauses.append(
                f"{a}.workshop_id in (select workshop_id from workshop_organisations "
                "where relation = ? and contains(lower(name), lower(?)))"
            )
            params += [str(OrgRelation.ORGANIZER), self.organizer]
        if self.status == "confirmed":
            clauses.append(f"list_contains(?, {a}.status)")
            params.append([str(s) for s in HUMAN_NEED_STATUSES])
        hits = self.__dict__.get(_HITS)
        if self.text and hits is not None and hits[0] == self.text:  # found once for this change
            bits, size = hits[1:]
            clauses.append("false" if bits is None else
                           f"(case when {a}.need_id < ? then get_bit(?::bit, {a}.need_id::integer) = 1 else false end)")
            params.extend([] if bits is None else [size, bits])
        elif self.text:
            text_sql, text_params = self.text_where(a)
            clauses.append(text_sql)
            params.extend(text_params)
        if self.workshops:  # a workshop number names its own note, or an event with all its sources
            clauses.append(f"(list_contains(?, {a}.workshop_id) or list_contains(?, {a}.event_id))")
            params += [[int(w) for w in self.workshops]] * 2
        return " and ".join(clauses), params

    def where_columns(self, *, state: str, category: str, year: str, region: str | None = None,
                      subregion: str | None = None) -> tuple[str, list]:
        """The filter's regions, sub-regions, states, categories and years as a SQL condition over
        any table, given its column expressions (e.g. a request's ``r.state_iso3``, ``r.category``,
        ``year(r.requested_on)``), and its parameters; ``"true"`` when none is set. Without
        ``region``/``subregion`` they are the state's, looked up in ``states``. The expressions come
        from the calling code, never from input; the values are bound. ``where`` uses the same
        clauses for the needs, so every table is filtered alike."""
        clauses, params = self._column_clauses(state, category, year, region, subregion)
        return " and ".join(clauses) or "true", params

    def _column_clauses(self, state: str, category: str, year: str, region: str | None,
                        subregion: str | None) -> tuple[list[str], list]:
        region = region or f"(select region from states where iso3 = {state})"
        subregion = subregion or f"(select subregion from states where iso3 = {state})"
        clauses: list[str] = []
        params: list = []
        for values, column in ((self.regions, region), (self.subregions, subregion), (self.states, state),
                               (self.categories, category)):
            if values:
                clauses.append(f"list_contains(?, {column})")
                params.append(list(values))
        if self.year_from is not None:
            clauses.append(f"{year} >= ?")
            params.append(int(self.year_from))
        if self.year_to is not None:
            clauses.append(f"{year} <= ?")
            params.append(int(self.year_to))
        return clauses, params

    def text_where(self, alias: str = "f") -> tuple[str, list]:
        """The words' condition alone, over ``alias.evidence``: words by their stems, "phrases"
        as written (needs_tracker.search)."""
        from .search import sql_condition

        text_clauses, patterns = sql_condition(f"{alias}.evidence", self.text)
        return " and ".join(text_clauses) or "true", patterns

    def with_text_hits(self, bits: str | None, size: int) -> NeedFilter:
        """The same filter, its words answered by ``store.text_hits.text_hits`` (bit *i* set when
        need *i* matches): ``where()`` then tests a bit per row instead of running the words'
        expression over every sentence again. Not a field: it changes neither equality, nor the
        URL, nor a cache key; ``with_`` keeps it while the words stay the same."""
        out = replace(self)
        object.__setattr__(out, _HITS, (self.text, bits, int(size)))
        return out

    def describe(self) -> str:
        """The active filters in words: 'All needs' or 'Needs where state is Kazakhstan and ...'."""
        from .states import state_index
        from .taxonomy import category_label

        parts = []
        if self.regions:
            parts.append("region is " + _or(self.regions))
        if self.subregions:
            parts.append("sub-region is " + _or(self.subregions))
        if self.states:
            idx = state_index()
            parts.append("state is " + _or([(idx.get(s).name if idx.get(s) else s) for s in self.states]))
        if self.categories:
            parts.append("gap is " + _or([category_label(c) for c in self.categories]))
        if self.year_from is not None and self.year_to is not None:
            parts.append(f"year is {self.year_from}–{self.year_to}")
        elif self.year_from is not None:
            parts.append(f"year is {self.year_from} or later")
        elif self.year_to is not None:
            parts.append(f"year is {self.year_to} or earlier")
        if self.organizer:
            parts.append(f"an organiser's name contains “{self.organizer}”")
        if self.status == "confirmed":
            parts.append("a person confirmed it")
        if self.text:
            parts.append(f"the evidence has the words “{self.text}”")
        if self.workshops:
            parts.append("workshop is " + _or([f"#{w}" for w in self.workshops]))
        if not parts:
            return "All reported needs (no filter)"
        return "Needs where " + " and ".join(parts)

    # --- URL query string round trip -------------------------------------------------
    def to_query_params(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in ((), None, "") or (f.name == "status" and value == "all"):
                continue
            out[f.name] = [str(v) for v in value] if isinstance(value, tuple) else str(value)
        return out

    @classmethod
    def parse(cls, raw: Mapping[str, object], *, strict: bool = False,
              link_names: bool | None = None) -> tuple[NeedFilter, list[str]]:
        """The one parser of a filter a person wrote: a URL's query parameters, the CLI's options
        or an export's arguments (keys as in ``to_query_params``; a value may be a scalar or a list).

        States are ISO3 codes or names, regions and sub-regions names in any case, years four
        digits. Returns the filter and one plain-text line per value it could not use. With
        ``strict`` (the CLI) any such value raises a FilterError naming it and the valid ones;
        otherwise (a link) it is left out and the rest of the filter kept. A problem names a year
        as the link does (``year_from``) or, strictly, as the CLI's option (``since``); ``link_names``
        says which when they differ (a link read strictly by ``export --url``).
        """
        link_names = not strict if link_names is None else link_names
        problems: list[str] = []
        known = _known_values()

        def many(name: str) -> list[str]:
            value = raw.get(name)
            values = [] if value is None else [value] if isinstance(value, str | int) else list(value)  # type: ignore
            return [" ".join(str(v).split()) for v in values if str(v).strip()]

        def one(name: str) -> str | None:
            values = many(name)
            return values[-1] if values else None

        def year(name: str, flag: str) -> int | None:
            value = one(name)
            if value is None:
                return None
            if not _YEAR.fullmatch(value):
                problems.append(f"{flag} {_quote(value)} is not a year (four digits, e.g. 2012)")
                return None
            return int(value)

        states: list[str] = []
        for value in many("states"):
            state = known["state_of"](value)
            if state is None:
                problems.append(f"unknown state {_quote(value)}: give a UN member state's name or ISO3 code "
                                "(e.g. KAZ)")
            else:
                states.append(state)
        regions, subregions = [], []
        for name in ("regions", "subregions"):
            for value in many(name):
                region = known["regions"].get(value.lower())
                subregion = known["subregions"].get(value.lower())
                if name == "regions" and region:
                    regions.append(region)
                elif subregion:
                    subregions.append(subregion)
                elif region:
                    regions.append(region)
                else:
                    problems.append(f"unknown region {_quote(value)}; valid: {', '.join(known['region_names'])}; "
                                    f"or a sub-region: {', '.join(known['subregion_names'])}")
        categories = []
        for value in many("categories"):
            if value in known["categories"]:
                categories.append(value)
            else:
                problems.append(f"unknown category {_quote(value)}; valid: {', '.join(known['categories'])}")
        y_from, y_to = year("year_from", "year_from" if link_names else "since"), \
            year("year_to", "year_to" if link_names else "until")
        if y_from is not None and y_to is not None and y_from > y_to:
            if strict:
                problems.append(f"year range {y_from}–{y_to} is empty: the start is after the end")
            else:
                problems.append(f"year_from {y_from} is after year_to {y_to}, so the two were swapped")
            y_from, y_to = y_to, y_from
        status = one("status") or "all"
        if status not in STATUS_CHOICES:
            problems.append(f"status {_quote(status)} is not one of {', '.join(STATUS_CHOICES)}")
            status = "all"
        workshops = []
        for value in many("workshops"):
            if _WORKSHOP.fullmatch(value):
                workshops.append(int(value))
            else:
                problems.append(f"workshop {_quote(value)} is not a workshop number")
        if strict and problems:
            raise FilterError("; ".join(problems))
        f = cls(regions=tuple(dict.fromkeys(regions)), subregions=tuple(dict.fromkeys(subregions)),
                states=tuple(dict.fromkeys(states)), categories=tuple(dict.fromkeys(categories)),
                year_from=y_from, year_to=y_to, organizer=one("organizer"), status=status, text=one("text"),
                workshops=tuple(dict.fromkeys(workshops)))
        return f, problems

    def with_(self, **changes) -> NeedFilter:
        out = replace(self, **changes)
        hits = self.__dict__.get(_HITS)
        if hits is not None and out.text == self.text:
            object.__setattr__(out, _HITS, hits)
        return out


def _or(values: Iterable[str]) -> str:
    values = list(values)
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " or " + values[-1]


_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_WORKSHOP = re.compile(r"[0-9]{1,9}", re.ASCII)


def _quote(value: str, limit: int = 60) -> str:
    return "“" + (value if len(value) <= limit else value[: limit - 1] + "…") + "”"


@functools.cache
def _known_values() -> dict:
    """What a filter may name: states (by ISO3 or name), regions, sub-regions, categories."""
    from .states import state_index
    from .taxonomy import category_ids

    idx = state_index()
    every = idx.all_states()
    regions = sorted({s.region for s in every if s.region})
    subregions = sorted({s.subregion for s in every if s.subregion})

    def state_of(value: str) -> str | None:
        state = idx.get(value.strip().upper()) or idx.resolve(value)
        return state.iso3 if state is not None else None

    return {"state_of": state_of, "regions": {r.lower(): r for r in regions},
            "subregions": {r.lower(): r for r in subregions}, "region_names": regions,
            "subregion_names": subregions, "categories": tuple(category_ids())}
