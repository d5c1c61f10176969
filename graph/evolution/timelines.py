"""How relationships evolved: timelines, states on past dates, what changed at a customer,
why a strength is what it is, health, and fading relationships."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph.core import kinds
from graph.core.history import (
    Change,
    SubjectKind,
    as_utc,
    from_ms,
    state_at,
    states_at,
    to_ms,
)
from graph.core.kinds import EdgeKind
from graph.core.models import (
    CompanyRelationship,
    LifecycleStage,
    Page,
    PersonRelationship,
    PersonTier,
    Role,
    ValueClass,
    current_at,
    to_date,
    to_datetime,
)
from graph.cypher.core import history as cypher
from graph.cypher.evolution import interactions as interaction_cypher
from graph.cypher.evolution import timelines as timeline_cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput, NotFound
from graph.evolution.interactions import Interaction
from graph.evolution.strength import Deposit, StrengthModel, Trend, clamp, configured_model, explain

MAX_WINDOW_DAYS = 3650


def pair_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


@dataclass(frozen=True)
class PairHistory:
    """A page of the changes of a pair's relationship, and the interactions behind them."""

    changes: Page[Change]
    interactions: dict[str, Interaction]


def relationship_history(graph: Graph, a: str, b: str, *, offset: int, limit: int) -> Page[Change]:
    """The changes of the relationship between two people or two companies, oldest first."""
    return pair_history(graph, a, b, offset=offset, limit=limit).changes


def pair_history(graph: Graph, a: str, b: str, *, offset: int, limit: int) -> PairHistory:
    """A page of the changes of the relationship between two people or two companies, oldest
    first, with the interactions behind them, in one round trip."""
    kinds = [SubjectKind.RELATIONSHIP.value, SubjectKind.COMPANY_RELATIONSHIP.value]
    row = graph.read(
        cypher.CHANGES_FOR_PAIR,
        pairKey=pair_key(a, b),
        subjectKinds=kinds,
        skip=offset,
        end=offset + limit,
    )[0]
    page = Page([Change.from_row(c) for c in row["page"]], int(row["total"]), offset)
    found = (Interaction.from_row(i) for i in row["interactions"])
    return PairHistory(page, {i.id: i for i in found})


def subject_history(graph: Graph, subject_id: str, *, offset: int, limit: int) -> Page[Change]:
    """The changes of one company, role or relationship, oldest first."""
    row = graph.read(
        cypher.CHANGES_FOR_SUBJECT, subjectId=subject_id, skip=offset, end=offset + limit
    )[0]
    return Page([Change.from_row(c) for c in row["page"]], int(row["total"]), offset)


@dataclass(frozen=True)
class StagePeriod:
    """A stretch of time a company spent in one lifecycle stage."""

    stage: LifecycleStage | None
    start: dt.datetime
    end: dt.datetime | None  # None: still in it
    by: str | None
    reason: str | None
    credential: str | None = None  # the credential that recorded the change into it

    @property
    def days(self) -> int:
        end = self.end or dt.datetime.now(dt.UTC)
        return (end - self.start).days


def lifecycle_timeline(graph: Graph, company_id: str) -> list[StagePeriod]:
    """The company's lifecycle stages over time, oldest first, in one round trip."""
    rows = graph.read(cypher.STAGE_CHANGES, companyId=company_id)
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    periods: list[StagePeriod] = []
    for change in (Change.from_row(c) for c in rows[0]["changes"]):
        if change.after is None or "lifecycleStage" not in change.changed:
            continue
        stage = change.after.get("lifecycleStage")
        if periods:
            last = periods[-1]
            periods[-1] = StagePeriod(
                last.stage, last.start, change.at, last.by, last.reason, last.credential
            )
        periods.append(
            StagePeriod(
                None if stage is None else LifecycleStage(stage),
                change.at,
                None,
                change.by,
                change.reason,
                change.credential,
            )
        )
    return periods


class ChangeCategory(Enum):
    """What kind of move a change in a customer's neighbourhood is."""

    NEW_ROLE = "NEW_ROLE"
    ENDED_ROLE = "ENDED_ROLE"
    ROLE_CHANGED = "ROLE_CHANGED"
    NEW_RELATIONSHIP = "NEW_RELATIONSHIP"
    RELATIONSHIP_REMOVED = "RELATIONSHIP_REMOVED"
    TIER_MOVE = "TIER_MOVE"
    STRENGTH_MOVE = "STRENGTH_MOVE"
    LEVEL_MOVE = "LEVEL_MOVE"
    STAGE_CHANGE = "STAGE_CHANGE"
    STATUS_CHANGE = "STATUS_CHANGE"
    CLASS_CHANGE = "CLASS_CHANGE"


@dataclass(frozen=True)
class NeighbourhoodChange:
    """One net move between two dates: a subject's field from its first to its last value."""

    category: ChangeCategory
    subject_kind: SubjectKind
    subject_id: str
    field: str | None
    before: Any
    after: Any
    at: dt.datetime  # the last change behind it
    changes: int  # how many recorded changes it sums up


_FIELD_CATEGORY = {
    "tier": ChangeCategory.TIER_MOVE,
    "strength": ChangeCategory.STRENGTH_MOVE,
    "level": ChangeCategory.LEVEL_MOVE,
    "lifecycleStage": ChangeCategory.STAGE_CHANGE,
    "status": ChangeCategory.STATUS_CHANGE,
    "valueClass": ChangeCategory.CLASS_CHANGE,
    "intentClass": ChangeCategory.CLASS_CHANGE,
}


def _check_window(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start, end = as_utc(start), as_utc(end)
    if end <= start:
        raise InvalidInput("to: must be after from", field="to")
    return start, end


def neighbourhood_diff(
    graph: Graph, company_id: str, start: dt.datetime, end: dt.datetime
) -> list[NeighbourhoodChange]:
    """What changed at a customer in [start, end): new and ended roles, tier and strength
    moves of its people's relationships and of its company relationships, stage and status
    changes. Each subject's field is summed up from its state before the first change to its
    state after the last, so moves that cancel out do not show."""
    start, end = _check_window(start, end)
    rows = graph.read(
        cypher.CHANGES_FOR_COMPANY,
        companyId=company_id,
        fromMs=to_ms(start),
        toMs=to_ms(end),
        fromDay=start.date(),
        toDay=end.date(),
    )
    if not rows:
        raise NotFound("company", company_id, field="companyId")
    found: list[NeighbourhoodChange] = []
    for subject in rows[0]["subjects"]:
        found.extend(_net(_Span.from_row(subject), end))
    found.extend(_dated_roles(rows[0]["datedRoles"], found, start, end))
    found.sort(key=lambda c: (c.at, c.category.value, c.subject_id, c.field or ""))
    return found


def _dated_roles(
    roles: list[dict[str, Any]],
    found: list[NeighbourhoodChange],
    start: dt.datetime,
    end: dt.datetime,
) -> list[NeighbourhoodChange]:
    """Roles that started or ended in the window by their dates, recorded before it or not."""
    seen = {(c.category, c.subject_id) for c in found}
    moves: list[NeighbourhoodChange] = []
    for role in roles:
        for category, name in (
            (ChangeCategory.NEW_ROLE, "startDate"),
            (ChangeCategory.ENDED_ROLE, "endDate"),
        ):
            day = to_date(role.get(name))
            if day is None or not start.date() <= day < end.date():
                continue
            if (category, role["id"]) in seen:
                continue
            at = dt.datetime.combine(day, dt.time(), dt.UTC)
            moves.append(
                NeighbourhoodChange(
                    category, SubjectKind.ROLE, role["id"], name, None, day.isoformat(), at, 0
                )
            )
    return moves


@dataclass(frozen=True)
class _Span:
    """A subject's changes in a window, summed up: its state before the first and after the
    last (in time order, ties by sequence), when the last happened and how many there were."""

    subject_id: str
    kind: SubjectKind
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: dt.datetime
    changes: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> _Span:
        return cls(
            subject_id=row["subjectId"],
            kind=SubjectKind(row["subjectKind"]),
            before=None if row["before"] is None else json.loads(row["before"]),
            after=None if row["after"] is None else json.loads(row["after"]),
            at=from_ms(int(row["atMs"])),
            changes=int(row["changes"]),
        )


def _net(span: _Span, end: dt.datetime) -> list[NeighbourhoodChange]:
    kind, before, after = span.kind, span.before, span.after

    def move(category: ChangeCategory, name: str | None = None) -> NeighbourhoodChange:
        return NeighbourhoodChange(
            category,
            kind,
            span.subject_id,
            name,
            None if before is None or name is None else before.get(name),
            None if after is None or name is None else after.get(name),
            span.at,
            span.changes,
        )

    if (before is None and after is None) or kind is SubjectKind.REPORTING_LINE:
        return []  # reporting lines: the org chart's history (orgChart(asOf:)), not a move
    if kind is SubjectKind.ROLE:
        if before is None:
            return [move(ChangeCategory.NEW_ROLE)]
        if after is None:
            return [move(ChangeCategory.ENDED_ROLE, "endDate")]
        end_day = to_date(after.get("endDate"))
        if end_day is not None and not before.get("endDate") and end_day < end.date():
            return [move(ChangeCategory.ENDED_ROLE, "endDate")]
        # an end date set for after the window is a ROLE_CHANGED: announced, not yet ended
        moved = [n for n in after if before.get(n) != after.get(n)]
        return [move(ChangeCategory.ROLE_CHANGED, n) for n in moved]
    if before is None:
        return [move(ChangeCategory.NEW_RELATIONSHIP)]
    if after is None:
        return [move(ChangeCategory.RELATIONSHIP_REMOVED)]
    return [
        move(_FIELD_CATEGORY[n], n)
        for n in after
        if n in _FIELD_CATEGORY and before.get(n) != after.get(n)
    ]


def _edge_at(
    graph: Graph, kind: EdgeKind[Any, Any], edge_id: str, at: dt.datetime
) -> dict[str, Any] | None:
    """An edge's stored properties (with its ends) as they were at `at`; None when it does
    not exist, or did not exist yet then."""
    at = as_utc(at)

    def work(tx: Tx) -> dict[str, Any] | None:
        rows = tx.run(kind.statements.props, id=edge_id)
        if not rows:
            return None
        props = {**rows[0]["props"], "fromId": rows[0]["fromId"], "toId": rows[0]["toId"]}
        [found] = tx.run(cypher.STATES_AT, subjectIds=[edge_id], atMs=to_ms(at))
        return state_at(props, found["seen"], found["state"], at)

    return graph.read_tx(work)


def relationship_at(
    graph: Graph, relationship_id: str, at: dt.datetime
) -> PersonRelationship | None:
    """A relationship as it was at `at` (None when it did not exist then)."""
    then = _edge_at(graph, kinds.RELATIONSHIP, relationship_id, at)
    return None if then is None else PersonRelationship.from_row(then)


def company_relationship_at(
    graph: Graph, relationship_id: str, at: dt.datetime
) -> CompanyRelationship | None:
    """A company relationship as it was at `at` (None when it did not exist then)."""
    then = _edge_at(graph, kinds.COMPANY_RELATIONSHIP, relationship_id, at)
    return None if then is None else CompanyRelationship.from_row(then)


def roles_of_companies_at(
    graph: Graph, company_ids: Sequence[str], at: dt.datetime
) -> list[list[Role]]:
    """The roles current at `at` at each company, with their fields as they were then; key
    persons first, then by name (one round trip)."""
    at = as_utc(at)
    rows = graph.read(timeline_cypher.ROLES_OF_COMPANY_AS_OF, ids=list(company_ids), atMs=to_ms(at))
    groups: dict[str, list[tuple[bool, str, Role]]] = {id_: [] for id_ in company_ids}
    for row in rows:
        then = state_at(row["role"], row["seen"], row["state"], at)
        if current_at(then, at):
            assert then is not None
            role = Role.from_row(then)
            groups[row["key"]].append((not role.is_key_person, row["name"] or "", role))
    return [
        [r for *_, r in sorted(groups[id_], key=lambda g: g[:2] + (g[2].id,))]
        for id_ in company_ids
    ]


@dataclass(frozen=True)
class StrengthExplanation:
    """Why a relationship's strength is what it is at a time."""

    relationship_id: str
    at: dt.datetime
    evaluated_at: dt.datetime | None  # when that strength was last computed
    strength: float
    raw: float
    deposits: list[Deposit]
    interactions: dict[str, Interaction]
    half_life_days: float


def _evidence(
    graph: Graph, relationship_id: str, at: dt.datetime
) -> tuple[dict[str, Any], dict[str, Any] | None, list[Interaction], int | None]:
    """(relationship props, manual anchor change, interactions applied after it by `at`, the
    latest interaction held by `at`)."""
    rows = graph.read(interaction_cypher.STRENGTH_EVIDENCE, id=relationship_id, atMs=to_ms(at))
    if not rows:
        raise NotFound("relationship", relationship_id, field="relationshipId")
    row = rows[0]
    anchor = row["anchor"]
    every = [Interaction.from_row(i) for i in row["interactions"]]
    last_held = max((to_ms(i.at) for i in every), default=None)
    if anchor is not None:
        mark = (int(anchor["atMs"]), int(anchor["seq"]))
        every = [i for i in every if (to_ms(i.applied_at), i.seq) > mark]
    every.sort(key=lambda i: (i.applied_at, i.seq))
    return row["props"], anchor, every, last_held


def explain_strength(
    graph: Graph,
    relationship_id: str,
    at: dt.datetime | None = None,
    *,
    model: StrengthModel | None = None,
) -> StrengthExplanation:
    """The manual setting and the interactions behind a relationship's strength at `at` (now
    by default), with what each contributes."""
    model = model or configured_model()
    at = as_utc(at or dt.datetime.now(dt.UTC))
    props, anchor, interactions, _ = _evidence(graph, relationship_id, at)
    created = to_datetime(props.get("createdAt"))
    if anchor is not None:
        after = json.loads(anchor["after"])
        manual: tuple[float, int, str | None] | None = (
            float(after["strength"]),
            int(anchor["atMs"]),
            anchor.get("by"),
        )
    elif not interactions and created is not None and created <= at:
        manual = (float(props["strength"]), to_ms(created), None)  # no recorded history
    else:
        manual = None
    times = [to_ms(i.applied_at) for i in interactions] + ([manual[1]] if manual else [])
    evaluated = max(times, default=None)
    items = [(i.id, to_ms(i.at), i.kind, i.sentiment) for i in interactions]
    deposits = explain(model, manual, items, evaluated or to_ms(at))
    raw = sum(d.contribution for d in deposits)
    return StrengthExplanation(
        relationship_id=relationship_id,
        at=at,
        evaluated_at=None if evaluated is None else from_ms(evaluated),
        strength=clamp(raw),
        raw=raw,
        deposits=deposits,
        interactions={i.id: i for i in interactions},
        half_life_days=model.half_life_days,
    )


@dataclass(frozen=True)
class Health:
    """A relationship's health (0-100) at a time and its trend over a window before it."""

    health: int
    previous: int
    trend: Trend
    strength: float
    recency: float
    last_interaction_at: dt.datetime | None
    window_days: int


def _strength_at(
    graph: Graph, relationship_id: str, props: dict[str, Any], at: dt.datetime
) -> float:
    seen, state = states_at(graph, [relationship_id], at).get(relationship_id, (None, None))
    then = state_at(props, seen, state, at)
    return 0.0 if then is None else float(then["strength"])


def relationship_health(
    graph: Graph,
    relationship_id: str,
    at: dt.datetime | None = None,
    *,
    window_days: int = 90,
    model: StrengthModel | None = None,
) -> Health:
    """Health at `at` (now by default) = strength then, mixed with how recent the last contact
    was; the trend compares it with `window_days` earlier."""
    if not 0 < window_days <= MAX_WINDOW_DAYS:
        raise InvalidInput(f"windowDays: must be 1 to {MAX_WINDOW_DAYS}", field="windowDays")
    model = model or configured_model()
    at = as_utc(at or dt.datetime.now(dt.UTC))
    before = at - dt.timedelta(days=window_days)
    figures: list[tuple[int, float, int | None]] = []  # (health, strength, last held)
    for when in (at, before):
        props, _, _, last_held = _evidence(graph, relationship_id, when)
        strength = _strength_at(graph, relationship_id, props, when)
        figures.append((model.health(strength, last_held, to_ms(when)), strength, last_held))
    (now, strength, last_held), (previous, _, _) = figures
    return Health(
        health=now,
        previous=previous,
        trend=model.trend(now, previous),
        strength=strength,
        recency=model.recency(last_held, to_ms(at)),
        last_interaction_at=None if last_held is None else from_ms(last_held),
        window_days=window_days,
    )


@dataclass(frozen=True)
class FadingRelationship:
    relationship: PersonRelationship
    our_person_id: str
    their_person_id: str
    company_id: str
    value_class: ValueClass | None
    revenue: float
    strength_before: float  # decayed to the window's start
    strength_now: float  # decayed to now
    drop: float  # strength_before - strength_now
    days_silent: int | None  # days since the last interaction; None: never
    reasons: list[str]


_CLASS_ORDER = {ValueClass.A: 0, ValueClass.B: 1, ValueClass.C: 2, None: 3}


def _fall(
    model: StrengthModel,
    row: dict[str, Any],
    current: PersonRelationship,
    since_ms: int,
    now_ms: int,
) -> tuple[float, float]:
    """(the decayed strength at the window's start, the decayed strength now)."""
    props = row["relationship"]
    created_ms = to_ms(current.created_at) if current.created_at else now_ms
    raw = float(props.get("strengthRaw", current.strength))
    raw_at = int(props.get("strengthAtMs") or props.get("changedAtMs") or created_ms)
    now = model.decayed(raw, raw_at, now_ms)
    seen, changes = row["seen"], row["changes"]
    if seen is None:  # no recorded history: as it is now from its creation on
        return (model.decayed(raw, raw_at, since_ms) if created_ms <= since_ms else raw), now
    if seen == 0:  # recorded after the window's start: from its first strength on
        first = row["firstState"]
        return (float(json.loads(first).get("strength", 0.0)) if first else raw), now
    if seen == changes and raw_at <= since_ms:  # unchanged since: the same deposits
        return model.decayed(raw, raw_at, since_ms), now
    then: dict[str, Any] = json.loads(row["state"]) if row["state"] else {}
    value = float(then.get("strength", current.strength))
    return model.decayed(value, int(row["stateAtMs"]), since_ms), now


def fading_relationships(
    graph: Graph,
    *,
    min_drop: float | None = 0.1,
    window_days: int = 90,
    silent_days: int | None = 90,
    company_id: str | None = None,
    offset: int = 0,
    limit: int = 20,
    at: dt.datetime | None = None,
    model: StrengthModel | None = None,
) -> Page[FadingRelationship]:
    """Our people's relationships at customers whose strength fell by more than `min_drop`
    over the last `window_days`, or with no interaction for `silent_days` (counted from their
    creation when there was none); most valuable customers first (value class, then deal
    revenue), then the largest drop.

    The fall is the strength model's: the strength in effect at the window's start decayed to
    then, against the strength in effect now decayed to now (`at`, now by default). A tie left
    silent thus falls by what decay took over the window; interactions that went badly take
    their withdrawals too. A tie recorded within the window is compared with its first
    strength."""
    if not 0 < window_days <= MAX_WINDOW_DAYS:
        raise InvalidInput(f"windowDays: must be 1 to {MAX_WINDOW_DAYS}", field="windowDays")
    if silent_days is not None and not 0 < silent_days <= MAX_WINDOW_DAYS:
        raise InvalidInput(f"silentDays: must be 1 to {MAX_WINDOW_DAYS}", field="silentDays")
    if min_drop is not None and not 0 <= min_drop <= 1:
        raise InvalidInput("minDrop: must be between 0 and 1", field="minDrop")
    if min_drop is None and silent_days is None:
        raise InvalidInput("give minDrop, silentDays or both", field="minDrop")
    model = model or configured_model()
    now = as_utc(at or dt.datetime.now(dt.UTC))
    since = now - dt.timedelta(days=window_days)
    rows = graph.read(cypher.OUR_TIES_SINCE, companyId=company_id, sinceMs=to_ms(since))
    found: list[FadingRelationship] = []
    for row in rows:
        props = row["relationship"]
        current = PersonRelationship.from_row(props)
        before, after = _fall(model, row, current, to_ms(since), to_ms(now))
        drop = before - after
        last = props.get("lastInteractionAtMs")
        # never met: silent since it was recorded (its first recorded change, else createdAt)
        reference = row["firstAtMs"]
        if reference is None:
            reference = to_ms(current.created_at) if current.created_at else to_ms(now)
        silent_ms = to_ms(now) - int(last if last is not None else reference)
        days_silent = silent_ms // 86_400_000
        reasons: list[str] = []
        if min_drop is not None and drop > min_drop:
            reasons.append(f"strength fell by {drop:.2f} in {window_days} days")
        if silent_days is not None and days_silent >= silent_days:
            reasons.append(
                f"no interaction for {days_silent} days"
                if last is not None
                else f"no interaction since it was recorded {days_silent} days ago"
            )
        if not reasons:
            continue
        value_class = row["valueClass"]
        found.append(
            FadingRelationship(
                relationship=current,
                our_person_id=row["ourPersonId"],
                their_person_id=row["theirPersonId"],
                company_id=row["companyId"],
                value_class=None if value_class is None else ValueClass(value_class),
                revenue=float(row["revenue"] or 0.0),
                strength_before=before,
                strength_now=after,
                drop=drop,
                days_silent=days_silent if last is not None else None,
                reasons=reasons,
            )
        )
    found.sort(key=lambda f: (_CLASS_ORDER[f.value_class], -f.revenue, -f.drop, f.relationship.id))
    return Page(found[offset : offset + limit], len(found), offset)


def suggested_tier(strength: float, model: StrengthModel | None = None) -> PersonTier:
    return (model or configured_model()).suggested_tier(strength)
