"""Who publishes a real page, for the offer rules: the government or organisation whose site it is.

A page saved from the web keeps its address on a first line ("# source: https://www.pm.gc.ca/...").
A government's own press release or backgrounder names its speaker by office only ("the Prime
Minister, Justin Trudeau, announced a contribution of $42 million ...", "the Minister of Foreign
Affairs announced that ..."): the office is the publishing government's. Only addresses that say
whose they are count: a government suffix (".gov", ".gc.ca", ".gov.au", ".go.jp", ".gouv.fr", ...)
or an organisation's own domain ("iaea.org", "opcw.org"); a newspaper's site publishes for nobody. The domains
that say so without a country code or an organisation's id are in assistance_rules.toml ([publisher_domains]).
"""

from __future__ import annotations

import re

import pycountry

from .assistance_records import AssistanceRules

SOURCE_LINE = re.compile(r"^\s*(?:#\s*)?(?:source|url|address)\s*:\s*https?://([\w.-]+)", re.I | re.M)
# ".gov.au", ".go.jp", ".gouv.fr", ".gob.mx", ".govt.nz", ".gv.at": the country code after the government label
GOV_CCTLD = re.compile(r"\.(?:gov|go|gouv|gob|govt|gv)\.([a-z]{2})$")
# (a government's whole domain with no country code of its own, ".gov", ".gc.ca", and organisations whose domain
# is not their short id, "europa.eu": the [publisher_domains] of assistance_rules.toml)
# the speaker named by office: "the Prime Minister, Justin Trudeau, announced", "Minister of Foreign
# Affairs John Baird", "the Embassy is pleased to" (the office's state, when the
# page names it with the office, "the President of Ukraine", "the Japanese Ambassador", wins: see offer_providers)
OFFICE = re.compile(
    r"\b(?:Prime\s+Minister|President|Secretary\s+of\s+State|Embassy|Ambassador|"
    r"(?:Foreign\s+|Defen[cs]e\s+)?Minister(?:\s+(?:of|for)\s+(?:[A-Z][\w-]*|and|the)(?:\s+(?:[A-Z][\w-]*|and|of|the))*)?)"
    r"(?=[\s,]|$)")


def page_publisher(text: str, rules: AssistanceRules) -> tuple[str | None, str | None]:
    """(iso3, organisation id) of the page's publisher, from its source line; (None, None) when
    the page has no address or its address says nothing of whose it is."""
    m = SOURCE_LINE.search(text[:600])
    if m is None:
        return None, None
    host = m.group(1).lower().rstrip(".")
    for suffix, iso3 in rules.government_domains.items():
        if host.endswith(suffix) or host == suffix[1:]:  # ("canada.ca" itself, not "thecanada.ca")
            return iso3, None
    if cc := GOV_CCTLD.search(host):
        code = {"uk": "gb"}.get(cc.group(1).lower(), cc.group(1))  # gov.uk: the UK's domain is not its ISO code
        country = pycountry.countries.get(alpha_2=code.upper())
        return (country.alpha_3 if country else None), None
    for domain, org in rules.organisation_domains.items():
        if host == domain or host.endswith("." + domain):
            return None, org
    labels = host.split(".")
    if len(labels) >= 2:  # "www.iaea.org": the label before the top-level domain is the organisation's id
        found = rules.find_providers(labels[-2].upper())
        if found and found[0][1] == 0 and found[0][2] == len(labels[-2]):
            return None, found[0][0].id
    return None, None
