"""Key-person maps: who the key persons at a customer are, who of ours knows each, how well,
and where the map and the company tier disagree. Also org charts and job moves."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graph.core.history import as_utc, state_at, to_ms
from graph.core.models import (
    COMPANY_TIER_RANK,
    TIER_RANK,
    CompanyTier,
    Person,
    PersonRelationship,
    PersonTier,
    Role,
    Seniority,
    Stance,
    current_at,
    tiers_at_least,
)
from graph.cypher.keypersons import maps as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput, NotFound

DEFAULT_COVERED_TIER = PersonTier.FRIEND
DEFAULT_MIN_COVERED_KEY_PERSONS = 3


@dataclass(frozen=True)
class CoverageRule:
    """A key person is covered by a tie at `min_tier` or above; with `min_strength` given,
    by a tie of at least that strength instead."""

    min_tier: PersonTier = DEFAULT_COVERED_TIER
    min_strength: float | None = None

    def covers(self, tie: PersonRelationship) -> bool:
        if self.min_strength is not None:
            return tie.strength >= self.min_strength
        return TIER_RANK[tie.tier] >= TIER_RANK[self.min_tier]


@dataclass(frozen=True)
class OurTie:
    """A relationship one of our people holds with someone at the customer."""

    relationship: PersonRelationship
    our_person_id: str
    is_strongest: bool = False


@dataclass(frozen=True)
class KeyPersonEntry:
    person_id: str
    roles: list[Role]
    ties: list[OurTie]
    covered: bool

    @property
    def is_key_person(self) -> bool:
        return any(role.is_key_person for role in self.roles)

    @property
    def is_executive(self) -> bool:
        return any(role.seniority is Seniority.EXECUTIVE for role in self.roles)

    @property
    def strongest(self) -> OurTie | None:
        return next((tie for tie in self.ties if tie.is_strongest), None)

    @property
    def threads(self) -> int:
        """How many of our people hold a relationship with this person."""
        return len({tie.our_person_id for tie in self.ties})

    @property
    def desired_tier(self) -> PersonTier | None:
        return next((r.desired_tier for r in self.roles if r.desired_tier), None)

    @property
    def stance(self) -> Stance | None:
        return next((r.stance for r in self.roles if r.stance), None)

    @property
    def tier_gap(self) -> int | None:
        """Tiers between the desired tier and the strongest current one (no tie: one below
        passer-by); None when no desired tier is set."""
        if self.desired_tier is None:
            return None
        strongest = self.strongest
        current = -1 if strongest is None else TIER_RANK[strongest.relationship.tier]
        return TIER_RANK[self.desired_tier] - current


@dataclass(frozen=True)
class TierMismatch:
    rule: str
    reason: str


@dataclass(frozen=True)
class KeyPersonSummary:
    key_persons: int
    covered: int
    uncovered: int
    single_threaded: int
    coverage_ratio: float | None
    tier_distribution: dict[PersonTier | None, int]
    reaches_executives: bool


@dataclass(frozen=True)
class KeyPersonMap:
    company_id: str
    tier_with_us: CompanyTier | None
    entries: list[KeyPersonEntry]
    summary: KeyPersonSummary
    mismatches: list[TierMismatch] = field(default_factory=list)
    # The people its entries name (theirs and ours), as read with it, by id.
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def plan(self) -> list[KeyPersonEntry]:
        """Key persons with a desired tier, the widest gap first."""
        planned = [e for e in self.entries if e.is_key_person and e.tier_gap is not None]
        return sorted(planned, key=lambda e: (-(e.tier_gap or 0), e.person_id))


def _strongest_first(ties: list[OurTie]) -> list[OurTie]:
    ordered = sorted(
        ties,
        key=lambda t: (
            -t.relationship.strength,
            -TIER_RANK[t.relationship.tier],
            t.relationship.id,
        ),
    )
    return [
        OurTie(t.relationship, t.our_person_id, is_strongest=index == 0)
        for index, t in enumerate(ordered)
    ]


def build_map(
    company_id: str,
    tiers_with_us: list[str],
    rows: list[dict[str, Any]],
    our_people: list[dict[str, Any]],
    *,
    rule: CoverageRule,
    everyone: bool,
    min_covered_key_persons: int,
) -> KeyPersonMap:
    """The map from the rows of KEY_PERSON_MAP, {role, person, ties} each, and the properties
    of our people (a pure function of them)."""
    roles: dict[str, list[Role]] = {}
    ties: dict[str, dict[str, OurTie]] = {}
    people = {props["id"]: Person.from_row(props) for props in our_people}
    for row in rows:
        if row["role"] is None:
            continue
        role = Role.from_row(row["role"])
        roles.setdefault(role.person_id, []).append(role)
        if row["person"] is not None:
            people.setdefault(role.person_id, Person.from_row(row["person"]))
        for tie_row in row["ties"]:
            tie = PersonRelationship.from_row(tie_row)
            ties.setdefault(role.person_id, {})[tie.id] = OurTie(tie, tie_row["ourPersonId"])
    entries: list[KeyPersonEntry] = []
    for person_id, person_roles in roles.items():
        person_ties = _strongest_first(list(ties.get(person_id, {}).values()))
        covered = any(rule.covers(t.relationship) for t in person_ties)
        entries.append(KeyPersonEntry(person_id, person_roles, person_ties, covered))
    entries.sort(key=lambda e: (not e.is_key_person, _seniority_rank(e.roles), e.person_id))

    key = [e for e in entries if e.is_key_person]
    covered_count = sum(e.covered for e in key)
    distribution: Counter[PersonTier | None] = Counter(
        e.strongest.relationship.tier if e.strongest else None for e in key
    )
    summary = KeyPersonSummary(
        key_persons=len(key),
        covered=covered_count,
        uncovered=len(key) - covered_count,
        single_threaded=sum(e.threads == 1 for e in key),
        coverage_ratio=covered_count / len(key) if key else None,
        tier_distribution={tier: distribution.get(tier, 0) for tier in [*PersonTier, None]},
        reaches_executives=any(e.covered and e.is_executive for e in entries),
    )
    tier = max(
        (CompanyTier(t) for t in tiers_with_us), key=COMPANY_TIER_RANK.__getitem__, default=None
    )
    shown = entries if everyone else key
    named = {e.person_id for e in shown} | {t.our_person_id for e in shown for t in e.ties}
    return KeyPersonMap(
        company_id=company_id,
        tier_with_us=tier,
        entries=shown,
        summary=summary,
        mismatches=_mismatches(tier, summary, min_covered_key_persons),
        people={id_: person for id_, person in people.items() if id_ in named},
    )


# What each company tier promises, in the seeds' words: the noun a mismatch names it by.
_TIER_NOUN = {
    CompanyTier.TRANSACTIONAL: "a transactional relationship",
    CompanyTier.PREFERRED_SUPPLIER: "a preferred supplier",
    CompanyTier.PARTNERSHIP: "a partnership",
    CompanyTier.STRATEGIC_ALLIANCE: "a strategic alliance",
}


def _key_persons(count: int) -> str:
    return f"{count} key person" + ("" if count == 1 else "s")


def _covered_of(covered: int, total: int) -> str:
    """E.g. "only 1 of 2 key persons is covered", "none of the 3 key persons is covered"."""
    if total == 1:
        return "the only key person is not covered"
    if covered == 0:
        return f"none of the {total} key persons is covered"
    return f"only {covered} of {total} key persons {'is' if covered == 1 else 'are'} covered"


def _mismatches(
    tier: CompanyTier | None, summary: KeyPersonSummary, min_covered: int
) -> list[TierMismatch]:
    """Where the company tier and the key-person map disagree (the seeds' tier definitions).

    The coverage target is `min_covered`, but never more than the key persons there: with 2
    key persons and a target of 3, covering both meets it."""
    if tier is None:
        return []
    found: list[TierMismatch] = []
    rank = COMPANY_TIER_RANK[tier]
    noun = _TIER_NOUN[tier]
    expected = min(min_covered, summary.key_persons)
    if rank >= COMPANY_TIER_RANK[CompanyTier.PARTNERSHIP] and not summary.reaches_executives:
        found.append(
            TierMismatch(
                "NO_EXECUTIVE_RELATIONSHIP",
                f"the tier is {tier.value}, but none of our people holds a covering relationship "
                f"with an executive there; {noun} reaches top management",
            )
        )
    if rank >= COMPANY_TIER_RANK[CompanyTier.PREFERRED_SUPPLIER] and summary.covered < expected:
        target = (
            "all of them expected"
            if expected == summary.key_persons
            else f"at least {expected} expected"
        )
        if summary.key_persons == 1:
            target = "it should be"
        found.append(
            TierMismatch(
                "TOO_FEW_COVERED_KEY_PERSONS",
                f"the tier is {tier.value}, but {_covered_of(summary.covered, summary.key_persons)}"
                f" ({target}); {noun} has good relations with many key persons",
            )
        )
    coverage_met = summary.covered > 0 and summary.covered >= expected
    if tier is CompanyTier.TRANSACTIONAL and (summary.reaches_executives or coverage_met):
        facts: list[str] = []
        if summary.covered > 0:
            verb = "is" if summary.covered == 1 else "are"
            facts.append(f"{_key_persons(summary.covered)} {verb} covered")
        if summary.reaches_executives:
            facts.append("an executive is reached")
        if not coverage_met:  # an executive alone: not yet a preferred supplier's coverage
            deserves = "a higher tier"
        elif summary.reaches_executives:
            deserves = f"{CompanyTier.PARTNERSHIP.value} (a partnership reaches top management)"
        else:
            deserves = f"{CompanyTier.PREFERRED_SUPPLIER.value} (its key persons are covered)"
        found.append(
            TierMismatch(
                "DEEPER_THAN_TIER",
                f"the tier is TRANSACTIONAL, but {' and '.join(facts)}; the relationship may "
                f"deserve {deserves}",
            )
        )
    return found


def key_person_map(
    graph: Graph,
    company_id: str,
    *,
    rule: CoverageRule | None = None,
    everyone: bool = False,
    min_covered_key_persons: int = DEFAULT_MIN_COVERED_KEY_PERSONS,
    as_of: dt.datetime | None = None,
) -> KeyPersonMap:
    """The key-person map of a customer, in one round trip; with `as_of`, as it was then:
    the roles current then, ties with our people of then, tiers and strengths of then."""
    if min_covered_key_persons < 0:
        raise InvalidInput(
            "minCoveredKeyPersons: must not be negative", field="minCoveredKeyPersons"
        )
    if as_of is not None:
        as_of = as_utc(as_of)
    if as_of is None:
        rows = graph.read(cypher.KEY_PERSON_MAP, companyId=company_id)
    else:
        rows = graph.read(cypher.KEY_PERSON_MAP_AS_OF, companyId=company_id, atMs=to_ms(as_of))
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    row = rows[0]
    if as_of is None:
        tiers_with_us = row["tiersWithUs"]
        entries = [{"role": r, "person": p, "ties": t} for r, p, t in row["rows"]]
    else:
        tiers_with_us, entries = _map_at(row, as_of)
    return build_map(
        company_id,
        tiers_with_us,
        entries,
        row["ourPeople"],
        rule=rule or CoverageRule(),
        everyone=everyone,
        min_covered_key_persons=min_covered_key_persons,
    )


def _map_at(row: dict[str, Any], at: dt.datetime) -> tuple[list[str], list[dict[str, Any]]]:
    """The tiers with us and the map's rows (see `build_map`), as of `at`, from the row of
    KEY_PERSON_MAP_AS_OF."""
    at_ms = to_ms(at)
    found = {subject: (seen, state) for subject, seen, state in row["states"] if subject}

    def then(props: dict[str, Any] | None) -> dict[str, Any] | None:
        if props is None:
            return None
        if props["id"] in found:
            seen, state = found[props["id"]]
        else:  # unchanged since `at`, or never recorded
            settled = props.get("changedAtMs") is not None and props["changedAtMs"] <= at_ms
            seen, state = (-1 if settled else None), None
        return state_at(props, seen, state, at)

    tiers = [str(b["tier"]) for b in (then(p) for p in row["business"]) if b is not None]
    rows: list[dict[str, Any]] = []
    for role_props, ties, person in row["rows"]:
        role = then(role_props)
        if not current_at(role, at):
            continue
        held = [
            tie
            for tie, ours in (
                (then(tie_props), then(ours_props)) for tie_props, ours_props in ties if tie_props
            )
            if tie is not None and current_at(ours, at)
        ]
        rows.append({"role": role, "person": person, "ties": held})
    return tiers, rows


@dataclass(frozen=True)
class OrgChartEntry:
    person_id: str
    roles: list[Role]
    manager_id: str | None
    depth: int


def org_chart(graph: Graph, company_id: str) -> list[OrgChartEntry]:
    """The company's current people in reporting order: each manager before their reports."""
    rows = graph.read(cypher.ORG_CHART, companyId=company_id)
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    roles: dict[str, list[Role]] = {}
    for role_row in rows[0]["roles"]:
        role = Role.from_row(role_row)
        roles.setdefault(role.person_id, []).append(role)
    manager = {line["personId"]: line["managerId"] for line in rows[0]["lines"]}
    reports: dict[str | None, list[str]] = {}
    for person_id in sorted(roles, key=lambda p: (_seniority_rank(roles[p]), p)):
        reports.setdefault(manager.get(person_id), []).append(person_id)
    ordered: list[OrgChartEntry] = []

    def visit(person_id: str, depth: int) -> None:
        ordered.append(OrgChartEntry(person_id, roles[person_id], manager.get(person_id), depth))
        for report in reports.get(person_id, []):
            visit(report, depth + 1)

    for root in reports.get(None, []):
        visit(root, 0)
    return ordered


def _seniority_rank(roles: list[Role]) -> int:
    order = list(Seniority)
    return min((order.index(r.seniority) for r in roles if r.seniority), default=len(order))


def set_reporting_line(
    graph: Graph, person_id: str, manager_id: str, since: dt.date | None = None
) -> None:
    """Record that `person_id` reports to `manager_id` (replacing an earlier line)."""

    def work(tx: Tx) -> None:
        if person_id == manager_id:
            raise InvalidInput("managerId: a person cannot report to themselves", field="managerId")
        rows = tx.run(cypher.MANAGER_CHAIN_REACHES, personId=person_id, managerId=manager_id)
        if not rows:
            found = tx.run(cypher.MANAGER_CHAIN_REACHES, personId=person_id, managerId=person_id)
            field_name = "managerId" if found else "personId"
            missing = manager_id if found else person_id
            raise NotFound("person", missing, field=field_name)
        if rows[0]["cycle"]:
            raise InvalidInput(
                f"managerId: '{manager_id}' already reports (directly or not) to '{person_id}'",
                field="managerId",
            )
        tx.run(cypher.REPORTING_LINE_SET, personId=person_id, managerId=manager_id, since=since)

    graph.write_tx(work)


def remove_reporting_line(graph: Graph, person_id: str) -> bool:
    """Remove the line from `person_id` to their manager; False when there was none."""
    rows = graph.write(cypher.REPORTING_LINE_REMOVE, personId=person_id)
    return bool(rows and rows[0]["removed"])


@dataclass(frozen=True)
class Move:
    """Someone we know well who started at another company recently."""

    role: Role
    previous: Role
    strongest: float
    ties: list[PersonRelationship]


def recent_moves(
    graph: Graph, *, days: int, min_tier: PersonTier = DEFAULT_COVERED_TIER
) -> list[Move]:
    """Our contacts at `min_tier` or above who changed company in the last `days` days."""
    if not 0 < days <= 3650:
        raise InvalidInput("days: must be between 1 and 3650", field="days")
    since = dt.date.today() - dt.timedelta(days=days)
    rows = graph.read(cypher.RECENT_MOVES, since=since, tiers=tiers_at_least(min_tier))
    return [
        Move(
            role=Role.from_row(row["role"]),
            previous=Role.from_row(row["previous"]),
            strongest=float(row["strongest"]),
            ties=[PersonRelationship.from_row(t) for t in row["ties"]],
        )
        for row in rows
    ]
