"""The gap taxonomy, read from data/taxonomy.toml so a committee officer can extend it."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import NeedsTrackerError

REQUIRED_IDS = (
    "licensing",
    "border_customs_control",
    "dual_use_identification",
    "legal_regulatory_framework",
    "control_lists",
    "law_enforcement_capacity",
    "interagency_cooperation",
    "physical_protection",
    "detection_equipment",
    "training_capacity_building",
    "national_action_plan",
    "other",
)


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str
    terms: tuple[str, ...]
    weak_terms: tuple[str, ...] = ()


@functools.lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> tuple[Category, ...]:
    path = Path(path or config.rule_file("taxonomy.toml"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NeedsTrackerError(f"{path}: cannot read the gap taxonomy: {exc}") from exc
    categories = []
    for entry in data.get("category", []):
        try:
            categories.append(
                Category(
                    id=str(entry["id"]),
                    label=str(entry.get("label") or entry["id"]),
                    description=str(entry.get("description", "")),
                    terms=tuple(str(t).lower() for t in entry.get("terms", [])),
                    weak_terms=tuple(str(t).lower() for t in entry.get("weak_terms", [])),
                )
            )
        except KeyError as exc:
            raise NeedsTrackerError(f"{path}: a [[category]] has no {exc}") from exc
    ids = [c.id for c in categories]
    missing = [i for i in REQUIRED_IDS if i not in ids]
    if missing:
        raise NeedsTrackerError(f"{path}: categories missing: {', '.join(missing)}")
    if len(set(ids)) != len(ids):
        raise NeedsTrackerError(f"{path}: a category id appears twice")
    return tuple(categories)


def category_ids() -> list[str]:
    return [c.id for c in load_taxonomy()]


def category_label(category_id: str) -> str:
    for c in load_taxonomy():
        if c.id == category_id:
            return c.label
    return category_id


def category_labels() -> dict[str, str]:
    return {c.id: c.label for c in load_taxonomy()}
