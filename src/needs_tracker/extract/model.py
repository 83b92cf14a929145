"""What extraction produces: plain records, independent of how they are stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .assistance_records import OfferRecord, RequestRecord


@dataclass(frozen=True)
class Participant:
    iso3: str
    name: str
    role: str  # host, participant, observer
    name_as_written: str


@dataclass(frozen=True)
class NeedRecord:
    state_iso3: str
    category: str
    evidence: str  # the sentence, exactly as it stands in the text
    start: int  # character span of evidence in the text
    end: int
    confidence: float
    rule: str


@dataclass(frozen=True)
class TopicRecord:
    category: str
    evidence: str
    start: int
    end: int


@dataclass
class Extraction:
    title: str | None = None
    kind: str = "workshop"
    start_date: date | None = None
    end_date: date | None = None
    date_precision: str | None = None  # day, month, year
    year: int | None = None
    venue_city: str | None = None
    venue_country: str | None = None
    venue_country_iso3: str | None = None
    organizers: list[str] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    participant_organizations: list[str] = field(default_factory=list)
    unresolved_names: list[str] = field(default_factory=list)
    topics: list[TopicRecord] = field(default_factory=list)
    needs: list[NeedRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    offers: list[OfferRecord] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    # every statement the need rules looked at, with its features (for training and evaluation)
    candidates: list = field(default_factory=list, repr=False)

    def to_json(self, source: str) -> dict:
        """The shape `needs-tracker extract --json` prints."""
        return {
            "source": source,
            "title": self.title,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "venue_city": self.venue_city,
            "venue_country": self.venue_country,
            "organizers": list(self.organizers),
            "participant_states": [
                {"iso3": p.iso3, "name": p.name, "role": p.role} for p in self.participants
            ],
            "participant_organizations": list(self.participant_organizations),
            "topics": [t.category for t in self.topics],
            "needs": [
                {
                    "state_iso3": n.state_iso3,
                    "category": n.category,
                    "evidence": n.evidence,
                    "start": n.start,
                    "end": n.end,
                    "confidence": round(n.confidence, 2),
                }
                for n in self.needs
            ],
            "offers": [
                {
                    "provider": o.provider,
                    "provider_iso3": o.provider_iso3,
                    "category": o.category,
                    "recipients_iso3": list(o.recipients_iso3),
                    "evidence": o.evidence,
                    "start": o.start,
                    "end": o.end,
                    "confidence": round(o.confidence, 2),
                }
                for o in self.offers
            ],
            "requests": [
                {
                    "state_iso3": r.state_iso3,
                    "category": r.category,
                    "requested_on": r.requested_on.isoformat() if r.requested_on else None,
                    "evidence": r.evidence,
                    "start": r.start,
                    "end": r.end,
                    "confidence": round(r.confidence, 2),
                }
                for r in self.requests
            ],
            "unresolved_names": list(self.unresolved_names),
            "warnings": list(self.warnings),
        }
