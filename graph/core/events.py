"""What a committed write tells the rest of the process: relationship changes and logged
interactions, for live subscriptions.

Graph code publishes an event inside its write transaction (`Tx.publish`); the graph hands it
to its listeners only once that transaction has committed, so a listener never hears of a
write that was rolled back or retried. Events reach listeners in this process only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.core.history import Change


@dataclass(frozen=True)
class RelationshipChanged:
    """A person-to-person or company-to-company relationship changed (one recorded change)."""

    change: Change
    # the people and companies at its ends, and any others the change names
    people_ids: frozenset[str]
    company_ids: frozenset[str]


@dataclass(frozen=True)
class InteractionLogged:
    """An interaction was logged between our people and theirs."""

    interaction_id: str
    people_ids: frozenset[str]
    company_ids: frozenset[str]


Event = RelationshipChanged | InteractionLogged
EventListener = Callable[[Event], None]
