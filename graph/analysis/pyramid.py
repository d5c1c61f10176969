"""The tier pyramid: how the contacts of one of our people, or of a team, spread over the
person-to-person tiers, against the seeds' rule of thumb.

The seeds (002): of 100 contacts, about 50 become acquaintances, about 10 friends and 3-5
confidants; the rest (35-37) stay passers-by. Each tier's expected share is a range (a single
figure is a range of one point) and SEEDS_RULE holds them. A tier's share is WITHIN the rule
when it lies in that range widened by TOLERANCE (20%) relative to its ends: acquaintances
40-60%, friends 8-12%, confidants 2.4-6%, passers-by 28-44.4%. Below that it is BELOW, above
it ABOVE. The comparison is exact (fractions), so 8 friends of 100 contacts are WITHIN.

Contacts are the distinct people a team member KNOWS (either direction) who are not one of
our people, i.e. hold no current role at one of our companies; a former colleague counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Final

from graph.core.models import TIER_RANK, PersonTier
from graph.cypher.analysis import classes as cypher
from graph.db import cache
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, NotFound

MAX_TEAM: Final = 200
# Up to this many people, a team's contacts are checked one by one for being ours; a larger
# team reads all our people once (graph/cypher/analysis/classes.py, PYRAMID_CONTACTS).
FEW: Final = 8
TOLERANCE: Final = Fraction(1, 5)
SEEDS_RULE: Final[dict[PersonTier, tuple[Fraction, Fraction]]] = {
    PersonTier.PASSER_BY: (Fraction(35, 100), Fraction(37, 100)),
    PersonTier.ACQUAINTANCE: (Fraction(50, 100), Fraction(50, 100)),
    PersonTier.FRIEND: (Fraction(10, 100), Fraction(10, 100)),
    PersonTier.CONFIDANT: (Fraction(3, 100), Fraction(5, 100)),
}


class Verdict(Enum):
    """Where a tier's share stands against the seeds' rule (with the tolerance)."""

    BELOW = "BELOW"
    WITHIN = "WITHIN"
    ABOVE = "ABOVE"


@dataclass(frozen=True)
class TierCount:
    """One tier of the pyramid. Shares are of all contacts; `band` is the range of shares
    that counts as WITHIN. `share` and `verdict` are None when there are no contacts."""

    tier: PersonTier
    count: int
    share: float | None
    expected_share: tuple[float, float]
    expected_count: tuple[float, float]
    band: tuple[float, float]
    verdict: Verdict | None


@dataclass(frozen=True)
class TierPyramid:
    """The pyramid of a team (one person is a team of one), tiers from passer-by up."""

    team: list[str]
    company_id: str | None
    team_size: int
    total_contacts: int
    tiers: list[TierCount]

    def tier(self, tier: PersonTier) -> TierCount:
        return next(t for t in self.tiers if t.tier is tier)


def _band(tier: PersonTier) -> tuple[Fraction, Fraction]:
    low, high = SEEDS_RULE[tier]
    return low * (1 - TOLERANCE), high * (1 + TOLERANCE)


def _tier_count(tier: PersonTier, count: int, total: int) -> TierCount:
    low, high = SEEDS_RULE[tier]
    band_low, band_high = _band(tier)
    verdict: Verdict | None = None
    share: Fraction | None = None
    if total:
        share = Fraction(count, total)
        verdict = (
            Verdict.BELOW
            if share < band_low
            else Verdict.ABOVE
            if share > band_high
            else Verdict.WITHIN
        )
    return TierCount(
        tier=tier,
        count=count,
        share=None if share is None else float(share),
        expected_share=(float(low), float(high)),
        expected_count=(float(low * total), float(high * total)),
        band=(float(band_low), float(band_high)),
        verdict=verdict,
    )


def build_pyramid(
    team: list[str], company_id: str | None, rows: list[dict[str, str]]
) -> TierPyramid:
    """The pyramid from the team's relationships with contacts, one row each (`contactId`,
    `tier`; a pure function of them)."""
    best: dict[str, PersonTier] = {}
    for row in rows:
        tier = PersonTier(row["tier"])
        known = best.get(row["contactId"])
        if known is None or TIER_RANK[tier] > TIER_RANK[known]:
            best[row["contactId"]] = tier
    total = len(best)
    counts = {tier: 0 for tier in PersonTier}
    for tier in best.values():
        counts[tier] += 1
    return TierPyramid(
        team=team,
        company_id=company_id,
        team_size=len(team),
        total_contacts=total,
        tiers=[_tier_count(tier, counts[tier], total) for tier in PersonTier],
    )


def _checked_ids(person_ids: Sequence[str]) -> list[str]:
    if not person_ids:
        raise InvalidInput("personIds: give at least one person", field="personIds")
    ids = list(dict.fromkeys(person_ids))
    if len(ids) > MAX_TEAM:
        raise InvalidInput(
            f"personIds: at most {MAX_TEAM} people (got {len(ids)})", field="personIds"
        )
    return ids


def _people_team(graph: Graph, ids: list[str]) -> list[str]:
    rows = {row["id"]: row for row in graph.read(cypher.PYRAMID_PEOPLE, ids=ids)}
    for id_ in ids:
        if not rows[id_]["found"]:
            raise NotFound("person", id_, field="personIds")
    for id_ in ids:
        if not rows[id_]["isOurs"]:
            raise InvalidInput(
                f"personIds: '{id_}' is not one of our people (no current role at one of "
                "our companies)",
                field="personIds",
            )
    return sorted(ids)


def _company_team(graph: Graph, company_id: str) -> list[str]:
    rows = graph.read(cypher.PYRAMID_COMPANY_STAFF, companyId=company_id)
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    if not rows[0]["isOurs"]:
        raise InvalidInput(
            f"companyId: '{company_id}' is not one of our companies", field="companyId"
        )
    return sorted(rows[0]["staff"])


def _contacts(graph: Graph, team: list[str]) -> list[dict[str, str]]:
    """One row per relationship a team member holds with someone not one of our people."""
    if not team:
        return []
    statement = cypher.PYRAMID_CONTACTS_OF_FEW if len(team) <= FEW else cypher.PYRAMID_CONTACTS
    found = graph.read(statement, ids=team)[0]
    ours = set(found["ours"])
    return [
        {"contactId": contact, "tier": tier}
        for contact, tier in zip(found["contactIds"], found["tiers"], strict=True)
        if contact not in ours
    ]


def tier_pyramid(
    graph: Graph,
    *,
    person_ids: Sequence[str] | None = None,
    company_id: str | None = None,
) -> TierPyramid:
    """The tier pyramid of our people `person_ids` (one person or a team), or of the current
    staff of our company `company_id`; give exactly one.

    For a team, each contact counts once, at the highest tier any team member holds with
    them. Two round trips. A company's pyramid is cached until the graph changes (any
    process's write, seen in the change feed), as graph/db/cache.py says: a staff of 500 takes
    0.15-0.4 s at 100,000 people, a quick result, so a committed write is seen by the next
    read. A team given by ids (at most MAX_TEAM,
    any combination) is not cached: it would push the whole-graph results out of the cache's
    few entries.
    """
    if (person_ids is None) == (company_id is None):
        raise InvalidInput("give exactly one of personIds and companyId", field="personIds")
    if company_id is not None:
        by_company = company_id

        def of_company() -> TierPyramid:
            team = _company_team(graph, by_company)
            return build_pyramid(team, by_company, _contacts(graph, team))

        key = ("tier-pyramid", company_id)
        return cache.cached(graph, key, of_company)
    assert person_ids is not None
    team = _people_team(graph, _checked_ids(person_ids))
    return build_pyramid(team, None, _contacts(graph, team))
