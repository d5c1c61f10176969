"""What a committed write tells every process: the events a write transaction publishes
(`Tx.publish`) into its change feed entry (graph/db/feed.py), read back by each process that
follows the feed: relationship changes and logged interactions for live subscriptions, and
deletes, restores, erasures and imports for whoever reads the feed.

An event is published inside its write transaction and written with it, so no process hears
of a write that was rolled back or retried. It carries ids only: a subscriber reads what it
needs (a change, an interaction) by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.db.feed import DROP_CACHES


@dataclass(frozen=True)
class RelationshipChanged:
    """A person-to-person or company-to-company relationship changed (one recorded change)."""

    change_id: str
    # the people and companies at its ends, and any others the change names
    people_ids: frozenset[str]
    company_ids: frozenset[str]

    def to_feed(self) -> dict[str, Any]:
        return {
            "event": "relationshipChanged",
            "changeId": self.change_id,
            "peopleIds": sorted(self.people_ids),
            "companyIds": sorted(self.company_ids),
        }


@dataclass(frozen=True)
class InteractionLogged:
    """An interaction was logged between our people and theirs."""

    interaction_id: str
    people_ids: frozenset[str]
    company_ids: frozenset[str]

    def to_feed(self) -> dict[str, Any]:
        return {
            "event": "interactionLogged",
            "interactionId": self.interaction_id,
            "peopleIds": sorted(self.people_ids),
            "companyIds": sorted(self.company_ids),
        }


@dataclass(frozen=True)
class ItemArchived:
    """A company or person was deleted (moved to its archive) or restored from it."""

    kind: str  # "company" or "person"
    item_id: str
    restored: bool

    def to_feed(self) -> dict[str, Any]:
        event = "itemRestored" if self.restored else "itemDeleted"
        return {"event": event, "kind": self.kind, "itemId": self.item_id}


@dataclass(frozen=True)
class Imported:
    """A batch of an import (a file of records, `python -m seed import`) was written."""

    import_id: str
    records: int

    def to_feed(self) -> dict[str, Any]:
        return {"event": "imported", "importId": self.import_id, "records": self.records}


@dataclass(frozen=True)
class PersonErased:
    """A person was erased (graph/core/erasure.py): their id only, never what they were.

    Its feed entry asks every process to drop its cached results rather than serve one
    computed before the erasure while it refreshes (graph/db/cache.py)."""

    person_id: str

    def to_feed(self) -> dict[str, Any]:
        return {"event": "personErased", "personId": self.person_id, DROP_CACHES: True}


Event = RelationshipChanged | InteractionLogged | ItemArchived | Imported | PersonErased


def from_feed(record: dict[str, Any]) -> Event | None:
    """The event a feed entry holds (None for one of another part of the graph: a token's)."""
    match record.get("event"):
        case "relationshipChanged":
            return RelationshipChanged(
                str(record["changeId"]),
                frozenset(record["peopleIds"]),
                frozenset(record["companyIds"]),
            )
        case "interactionLogged":
            return InteractionLogged(
                str(record["interactionId"]),
                frozenset(record["peopleIds"]),
                frozenset(record["companyIds"]),
            )
        case "itemDeleted" | "itemRestored":
            return ItemArchived(
                str(record["kind"]), str(record["itemId"]), record["event"] == "itemRestored"
            )
        case "imported":
            return Imported(str(record["importId"]), int(record["records"]))
        case "personErased":
            return PersonErased(str(record["personId"]))
        case _:
            return None
