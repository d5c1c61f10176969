"""Key-person maps: who the key persons at a customer are, who of ours knows each, how well,
and where the map and the company tier disagree. Also org charts and job moves."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from graph.core.history import (
    TRACKED,
    ChangeNote,
    ChangeRecord,
    SubjectKind,
    as_utc,
    effective_time,
    record,
    state_at,
    to_ms,
)
from graph.core.models import (
    COMPANY_TIER_RANK,
    TIER_RANK,
    Company,
    CompanyTier,
    Person,
    PersonRelationship,
    PersonTier,
    Role,
    Seniority,
    Stance,
    current_at,
    tiers_at_least,
    to_date,
)
from graph.cypher.keypersons import maps as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import Forbidden, InvalidInput, NotFound

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
    # The company as it was at the map's date (its status, classes and stage then); None for
    # the current map, whose company the caller reads as it is now.
    company: Company | None = None

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
    company: Company | None = None
    if as_of is None:
        tiers_with_us = row["tiersWithUs"]
        entries = [{"role": r, "person": p, "ties": t} for r, p, t in row["rows"]]
    else:
        company_then, tiers_with_us, entries = _map_at(row, as_of)
        company = Company.from_row(company_then)
    found = build_map(
        company_id,
        tiers_with_us,
        entries,
        row["ourPeople"],
        rule=rule or CoverageRule(),
        everyone=everyone,
        min_covered_key_persons=min_covered_key_persons,
    )
    return found if company is None else replace(found, company=company)


def _then(
    states: list[list[Any]], at: dt.datetime
) -> Callable[[dict[str, Any] | None], dict[str, Any] | None]:
    """A function that gives an item's stored properties as they were at `at` (None: it did
    not exist then), from the time-index entries [subjectId, seen, state] of an as-of read
    (items left out have not changed since `at`, or were never recorded)."""
    at_ms = to_ms(at)
    found = {subject: (seen, state) for subject, seen, state in states if subject}

    def then(props: dict[str, Any] | None) -> dict[str, Any] | None:
        if props is None:
            return None
        if props["id"] in found:
            seen, state = found[props["id"]]
        else:  # unchanged since `at`, or never recorded
            settled = props.get("changedAtMs") is not None and props["changedAtMs"] <= at_ms
            seen, state = (-1 if settled else None), None
        return state_at(props, seen, state, at)

    return then


def _map_at(
    row: dict[str, Any], at: dt.datetime
) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """The company's properties, the tiers with us and the map's rows (see `build_map`), as
    of `at`, from the row of KEY_PERSON_MAP_AS_OF. A company that did not exist yet then keeps
    its name, with none of its recorded fields (status, classes, stage) known."""
    then = _then(row["states"], at)
    company = then(row["company"])
    if company is None:
        company = {**row["company"], **dict.fromkeys(TRACKED[SubjectKind.COMPANY])}
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
    return company, tiers, rows


@dataclass(frozen=True)
class OrgChartEntry:
    person_id: str
    roles: list[Role]
    manager_id: str | None
    depth: int


def reporting_line_subject(person_id: str) -> str:
    """The subject id under which the changes of a person's reporting line are recorded (one
    subject per person: a new manager is an update of it, a removal its deletion)."""
    return f"{LINE_PREFIX}{person_id}"


LINE_PREFIX = "rl_"


def org_chart(
    graph: Graph, company_id: str, *, as_of: dt.datetime | None = None
) -> list[OrgChartEntry]:
    """The company's current people in reporting order: each manager before their reports.
    With `as_of`, as it was then: the roles current then, with their fields then, and the
    reporting lines recorded as standing then."""
    if as_of is None:
        rows = graph.read(cypher.ORG_CHART, companyId=company_id)
        if not rows:
            raise NotFound("company", company_id, field="companyId")
        role_rows = rows[0]["roles"]
        manager = {line["personId"]: line["managerId"] for line in rows[0]["lines"]}
    else:
        role_rows, manager = _chart_at(graph, company_id, as_utc(as_of))
    roles: dict[str, list[Role]] = {}
    for role_row in role_rows:
        role = Role.from_row(role_row)
        roles.setdefault(role.person_id, []).append(role)
    order = sorted(roles, key=lambda p: (_seniority_rank(roles[p]), p))
    manager = _without_cycles(manager, order)
    reports: dict[str | None, list[str]] = {}
    for person_id in order:
        reports.setdefault(manager.get(person_id), []).append(person_id)
    ordered: list[OrgChartEntry] = []

    def visit(person_id: str, depth: int) -> None:
        ordered.append(OrgChartEntry(person_id, roles[person_id], manager.get(person_id), depth))
        for report in reports.get(person_id, []):
            visit(report, depth + 1)

    for root in reports.get(None, []):
        visit(root, 0)
    return ordered


def _without_cycles(manager: dict[str, str], order: list[str]) -> dict[str, str]:
    """The lines less one per cycle, that of its first person in `order` (the most senior),
    who heads the chart instead. Today's lines have no cycle (`set_reporting_line` refuses
    one), but a line set with a past `change.at` is checked against today's lines only, so
    the lines of a past date may hold one; the chart must still show everyone then."""
    kept = dict(manager)
    rank = {person: index for index, person in enumerate(order)}
    for start in order:
        path: list[str] = []
        person = start
        while person in kept and person not in path:
            path.append(person)
            person = kept[person]
        if person in path:
            cycle = path[path.index(person) :]
            del kept[min(cycle, key=lambda p: rank.get(p, len(rank)))]
    return kept


def _chart_at(
    graph: Graph, company_id: str, at: dt.datetime
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The roles current at `at` (their properties then) and the reporting lines among their
    people then (person id -> manager id), in one round trip. A line with no recorded history
    (imported, or set before lines were recorded) stands from `line_start`."""
    rows = graph.read(
        cypher.ORG_CHART_AS_OF, companyId=company_id, atMs=to_ms(at), linePrefix=LINE_PREFIX
    )
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    row = rows[0]
    then = _then(row["states"], at)
    roles = [r for r in (then(props) for props in row["roles"]) if current_at(r, at)]
    people = {str(r["personId"]) for r in roles if r is not None}
    found = {subject: (seen, state) for subject, seen, state in row["states"] if subject}
    manager: dict[str, str] = {}
    for person_id, manager_id, since in row["lines"]:
        seen, state = found.get(reporting_line_subject(person_id), (None, None))
        if seen is None:  # never recorded: the line as it stands, from when it began
            began = manager_id is not None and line_start(since) <= at
            line = {"managerId": manager_id} if began else None
        else:
            line = state_at({}, seen, state, at)
        if line is not None and line.get("managerId") in people and person_id in people:
            manager[person_id] = str(line["managerId"])
    return [r for r in roles if r is not None], manager


def _seniority_rank(roles: list[Role]) -> int:
    order = list(Seniority)
    return min((order.index(r.seniority) for r in roles if r.seniority), default=len(order))


def _line_change(
    person_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> ChangeRecord:
    """The recorded change of a person's reporting line: its [manager and `since`] before and
    after (None: no line), between the person and the manager (the new one, else the old)."""
    manager = (after or before or {}).get("managerId")
    return ChangeRecord(
        SubjectKind.REPORTING_LINE,
        reporting_line_subject(person_id),
        before,
        after,
        ends=(person_id, str(manager)),
        people_ids=[person_id],  # the change concerns the report's employers on the day
    )


# When a line with no recorded history and no `since` began: before anything, as the org chart
# of any date read it (a line keeps no creation time: the record export could not carry it).
_ALWAYS = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def line_start(since: Any) -> dt.datetime:
    """When a reporting line with no recorded history began: its `since` day, else always
    (`_ALWAYS`)."""
    day = to_date(since)
    return _ALWAYS if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)


def line_props(manager_id: str | None, since: Any) -> dict[str, Any] | None:
    """A stored line as the properties its history records (None: no line); `createdAt` is when
    it began (`line_start`), which dates its creation when its first change is recorded."""
    if manager_id is None:
        return None
    return {
        "managerId": manager_id,
        "since": to_date(since),
        "createdAt": line_start(since),
    }


def record_line_changes(
    tx: Tx,
    changes: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]],
    note: ChangeNote | None,
) -> None:
    """Record changes of reporting lines written in `tx` by another path (the import's
    batches): (person id, line before, line after) each, a line as {managerId, since} (None: no
    line), taking effect at `note.at` or now."""
    if not changes:
        return
    subjects = [reporting_line_subject(person) for person, _, _ in changes]
    effective = effective_time(tx, note, subjects)
    made = [_line_change(person, before, after) for person, before, after in changes]
    record(tx, made, effective, note)


def set_reporting_line(
    graph: Graph,
    person_id: str,
    manager_id: str,
    since: dt.date | None = None,
    *,
    note: ChangeNote | None = None,
    seen: Callable[[str], bool] | None = None,
) -> None:
    """Record that `person_id` reports to `manager_id` (replacing an earlier line). The change
    takes effect at `note.at`, else on the `since` day (not before the line's latest recorded
    change, not after now), else now. With `seen` (a credential scoped to account teams), a
    line to a manager it does not see is not replaced: Forbidden."""
    note = note.checked() if note is not None else None

    if since is not None and since > dt.datetime.now(dt.UTC).date():
        raise InvalidInput("since: must not be in the future", field="since")

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
        [current] = tx.run(cypher.REPORTING_LINE_LOCKED, personId=person_id)
        _check_manager_seen(current["managerId"], seen)
        subject = reporting_line_subject(person_id)
        day = None if since is None else dt.datetime.combine(since, dt.time(), dt.UTC)
        effective = effective_time(tx, note, [subject], default=day)
        tx.run(cypher.REPORTING_LINE_SET, personId=person_id, managerId=manager_id, since=since)
        after = {"managerId": manager_id, "since": since}
        before = line_props(current["managerId"], current["since"])
        record(tx, [_line_change(person_id, before, after)], effective, note)

    graph.write_tx(work)


def _check_manager_seen(manager_id: str | None, seen: Callable[[str], bool] | None) -> None:
    if manager_id is not None and seen is not None and not seen(str(manager_id)):
        raise Forbidden(
            "the person reports to someone outside your account teams: their reporting line "
            "is not yours to change"
        )


def remove_reporting_line(
    graph: Graph,
    person_id: str,
    *,
    note: ChangeNote | None = None,
    seen: Callable[[str], bool] | None = None,
) -> bool:
    """Remove the line from `person_id` to their manager, recorded as taking effect at
    `note.at` (now by default); False when there was none. With `seen`, as
    `set_reporting_line`."""
    note = note.checked() if note is not None else None

    def work(tx: Tx) -> bool:
        rows = tx.run(cypher.REPORTING_LINE_LOCKED, personId=person_id)
        row = rows[0] if rows else None
        before = None if row is None else line_props(row["managerId"], row["since"])
        if before is None:
            return False
        _check_manager_seen(row["managerId"] if row else None, seen)
        subject = reporting_line_subject(person_id)
        effective = effective_time(tx, note, [subject])
        tx.run(cypher.REPORTING_LINE_REMOVE, personId=person_id)
        record(tx, [_line_change(person_id, before, None)], effective, note)
        return True

    return graph.write_tx(work)


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
