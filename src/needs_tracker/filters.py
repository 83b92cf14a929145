"""The one filter object shared by the dashboard, the exports and the CLI.

A ``NeedFilter`` is what a person chose; ``where()`` turns it into a SQL condition over
the ``need_facts`` base query plus bound parameters, and ``describe()`` into the sentence
that heads every page and export. Values never enter the SQL text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

from .errors import FilterError

STATUS_CHOICES = ("all", "confirmed")
# Statuses a person has vouched for; "confirmed only" shows these.
HUMAN_STATUSES = ("confirmed", "corrected", "manual")


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
    text: str | None = None               # substring of the evidence sentence
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
        clauses = [f"{a}.status <> 'rejected'"]
        params: list = []
        if self.regions:
            clauses.append(f"list_contains(?, {a}.region)")
            params.append(list(self.regions))
        if self.subregions:
            clauses.append(f"list_contains(?, {a}.subregion)")
            params.append(list(self.subregions))
        if self.states:
            clauses.append(f"list_contains(?, {a}.state_iso3)")
            params.append(list(self.states))
        if self.categories:
            clauses.append(f"list_contains(?, {a}.category)")
            params.append(list(self.categories))
        if self.year_from is not None:
            clauses.append(f"{a}.year >= ?")
            params.append(int(self.year_from))
        if self.year_to is not None:
            clauses.append(f"{a}.year <= ?")
            params.append(int(self.year_to))
        if self.organizer:
            clauses.append(
                f"{a}.workshop_id in (select workshop_id from workshop_organisations "
                "where relation = 'organizer' and contains(lower(name), lower(?)))"
            )
            params.append(self.organizer)
        if self.status == "confirmed":
            clauses.append(f"list_contains(?, {a}.status)")
            params.append(list(HUMAN_STATUSES))
        if self.text:
            clauses.append(f"contains(lower({a}.evidence), lower(?))")
            params.append(self.text)
        if self.workshops:
            clauses.append(f"list_contains(?, {a}.workshop_id)")
            params.append([int(w) for w in self.workshops])
        return " and ".join(clauses), params

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
            parts.append(f"the evidence contains “{self.text}”")
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
    def from_query_params(cls, params: Mapping[str, object]) -> NeedFilter:
        """Tolerant of what a browser sends: a single value may come back as a scalar,
        and unknown or malformed values are dropped rather than breaking the page."""

        def many(name: str) -> tuple[str, ...]:
            value = params.get(name)
            if value is None:
                return ()
            if isinstance(value, str):
                value = [value]
            return tuple(str(v) for v in value if str(v).strip())  # type: ignore[union-attr]

        def one(name: str) -> str | None:
            value = params.get(name)
            if isinstance(value, list | tuple):
                value = value[-1] if value else None
            return str(value).strip() if value not in (None, "") else None

        def year(name: str) -> int | None:
            value = one(name)
            return int(value) if value and value.lstrip("-").isdigit() else None

        status = one("status") or "all"
        y_from, y_to = year("year_from"), year("year_to")
        if y_from is not None and y_to is not None and y_from > y_to:
            y_from, y_to = y_to, y_from
        return cls(
            regions=many("regions"),
            subregions=many("subregions"),
            states=tuple(s.upper() for s in many("states")),
            categories=many("categories"),
            year_from=y_from,
            year_to=y_to,
            organizer=one("organizer"),
            status=status if status in STATUS_CHOICES else "all",
            text=one("text"),
            workshops=tuple(int(w) for w in many("workshops") if w.isdigit()),
        )

    def with_(self, **changes) -> NeedFilter:
        return replace(self, **changes)


def _or(values: Iterable[str]) -> str:
    values = list(values)
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " or " + values[-1]


def build_filter(
    *,
    states: Iterable[str] = (),
    regions: Iterable[str] = (),
    categories: Iterable[str] = (),
    since: int | None = None,
    until: int | None = None,
    organizer: str | None = None,
    text: str | None = None,
    status: str = "all",
) -> NeedFilter:
    """A filter from what a person typed (CLI): names or ISO3 codes, region or sub-region names.

    An unknown value raises FilterError naming the valid ones.
    """
    from .states import state_index
    from .taxonomy import category_ids

    idx = state_index()
    iso3s = []
    for raw in states:
        state = idx.get(raw.strip().upper()) or idx.resolve(raw)
        if state is None:
            raise FilterError(f"unknown state {raw!r}: give a UN member state's name or ISO3 code (e.g. KAZ)")
        iso3s.append(state.iso3)

    known_regions = sorted({s.region for s in idx.all_states() if s.region})
    known_subregions = sorted({s.subregion for s in idx.all_states() if s.subregion})
    region_list, subregion_list = [], []
    for raw in regions:
        match_r = [r for r in known_regions if r.lower() == raw.strip().lower()]
        match_s = [r for r in known_subregions if r.lower() == raw.strip().lower()]
        if match_r:
            region_list.append(match_r[0])
        elif match_s:
            subregion_list.append(match_s[0])
        else:
            raise FilterError(
                f"unknown region {raw!r}; valid: {', '.join(known_regions)}; "
                f"or a sub-region: {', '.join(known_subregions)}"
            )

    valid_categories = category_ids()
    for c in categories:
        if c not in valid_categories:
            raise FilterError(f"unknown category {c!r}; valid: {', '.join(valid_categories)}")

    return NeedFilter(
        regions=tuple(region_list),
        subregions=tuple(subregion_list),
        states=tuple(dict.fromkeys(iso3s)),
        categories=tuple(dict.fromkeys(categories)),
        year_from=since,
        year_to=until,
        organizer=organizer or None,
        text=text or None,
        status=status,
    )
