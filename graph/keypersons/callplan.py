"""The call plan: for each key person with a gap, the next step, who should act, and why,
ranked across the account by what the step changes.

A key person's gaps (`KeyPersonGap`): UNCOVERED (no tie meets the map's coverage rule),
SINGLE_THREADED (one of our people only), BELOW_DESIRED_TIER (`tierGap` above 0), FADING (a
tie of ours with them has faded: `TieState.faded`).

Their step (`CallAction`), decided by `choose`:
- uncovered: the strongest way in wins: a tie of ours weighed by its strength now (DEEPEN it),
  or, when it was once strong and has faded, by REKINDLE_SHARE of its peak strength if that is
  more (REKINDLE it: a shared past comes back in part with a meeting), or an introduction path
  of two hops or more (INTRODUCE), weighed by the product of its hops' strengths now
  (reporting lines and colleagues at the customer count with `ORG_HOP_STRENGTH`; the search
  ranks by stored strengths, as `introductionPaths` shows them, and the plan weighs the few
  best it finds again by their strengths now). Equal weights prefer DEEPEN, then REKINDLE.
  No way in: NOBODY_IN_REACH, with the nearest person there we do reach.
- covered: REKINDLE a faded tie that was once strong; else, single-threaded, INTRODUCE a
  second person of ours; else DEEPEN the strongest tie.

The rank is `score`'s (a pure function), highest first; the score does not depend on the
action, so only the top `first` key persons are searched for paths.

Every weight is a strength now, the strength model's (graph/evolution/strength.py, handed in
by the caller: keypersons may not import evolution): the stored raw strength decayed from when
it was last evaluated (`strengthAtMs`) to now.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from graph.core.history import to_ms
from graph.core.models import (
    TIER_RANK,
    BuyingRole,
    Person,
    PersonTier,
    Seniority,
    ValueClass,
    to_datetime,
)
from graph.cypher.keypersons import callplan as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput, NotFound
from graph.keypersons import introductions
from graph.keypersons.introductions import PathStepKind, hop_kind
from graph.keypersons.maps import KeyPersonEntry, KeyPersonMap, OurTie
from graph.keypersons.paths import TIE_TOLERANCE, Path, strength_groups

DAY_MS = 86_400_000
MAX_STEPS = 50
PLAN_HOPS = 3  # a path of the plan: at most this many hops (as bestIntroductions' default)
PLAN_PATHS = 4  # paths asked per key person beyond their threads, weighed again by strength now
NEAREST_HOPS = 4  # the search for the nearest person we reach, when nobody reaches the key person

# Fading: a tie has faded when its strength now is below FADED_SHARE of the floor of the
# highest tier it was ever set to (now or in its recorded history), or fell by more than
# FADING_DROP over the last FADING_WINDOW_DAYS (the defaults of fadingRelationships). It was
# once strong when that tier, or the tier its highest strength suggests, is FRIEND or above.
FADED_SHARE = 0.5
FADING_DROP = 0.1
FADING_WINDOW_DAYS = 90
ONCE_STRONG = PersonTier.FRIEND
# A faded tie that was once strong is weighed at this share of its peak strength (at least its
# strength now): half of a friend's 0.8 (0.4) beats an introduction through a colleague our
# friend knows at 0.68 (0.68 * 0.3 = 0.20), and about ties with one through their manager
# (0.68 * 0.6 = 0.41).
REKINDLE_SHARE = 0.5
# A path that weighs less than this now (its ties long decayed: it reads "0.00") is no way in.
MIN_PATH_WEIGHT = 0.01


class StrengthModel(Protocol):
    """What the plan reads of the strength model (graph/evolution/strength.py)."""

    @property
    def tier_floors(self) -> Mapping[PersonTier, float]: ...

    def decay(self, elapsed_ms: int) -> float: ...

    def decayed(self, value: float, at_ms: int, then_ms: int) -> float: ...

    def suggested_tier(self, strength: float) -> PersonTier: ...


class CallAction(Enum):
    """The next step for a key person."""

    DEEPEN = "DEEPEN"
    REKINDLE = "REKINDLE"
    INTRODUCE = "INTRODUCE"
    NOBODY_IN_REACH = "NOBODY_IN_REACH"


class KeyPersonGap(Enum):
    """Why a key person needs a step."""

    UNCOVERED = "UNCOVERED"
    SINGLE_THREADED = "SINGLE_THREADED"
    BELOW_DESIRED_TIER = "BELOW_DESIRED_TIER"
    FADING = "FADING"


# The score: what the step changes, higher first.
#
#   score = VALUE_FACTOR[value class] * (coverage + TIER_GAP_POINTS * tierGap
#                                        + FADING_POINTS [if fading]
#                                        + ROLE_POINTS[buying role] + SENIORITY_POINTS[seniority])
#
# coverage is COVERAGE_POINTS of the worst coverage gap (uncovered 4 > single-threaded 2 > 0);
# tierGap counts tiers up to the desired one (0 without one; at most 4); a person of several
# roles there counts their best role and seniority. Coverage weighs most: an uncovered key
# person gains a relationship at all. A decision maker or a blocker can stop a deal alone
# (3), a champion sells for us (2), an influencer sways it (1.5). The value class scales it all,
# so that scores compare across customers (A 1.0 > B 0.8 > C 0.6; unclassed as C).
COVERAGE_POINTS: Mapping[KeyPersonGap, float] = {
    KeyPersonGap.UNCOVERED: 4.0,
    KeyPersonGap.SINGLE_THREADED: 2.0,
}
TIER_GAP_POINTS = 1.0
FADING_POINTS = 1.5
ROLE_POINTS: Mapping[BuyingRole, float] = {
    BuyingRole.DECISION_MAKER: 3.0,
    BuyingRole.BLOCKER: 3.0,
    BuyingRole.CHAMPION: 2.0,
    BuyingRole.INFLUENCER: 1.5,
    BuyingRole.GATEKEEPER: 1.0,
    BuyingRole.USER: 0.5,
}
SENIORITY_POINTS: Mapping[Seniority, float] = {
    Seniority.EXECUTIVE: 1.5,
    Seniority.SENIOR: 1.0,
    Seniority.MIDDLE: 0.5,
    Seniority.STAFF: 0.0,
}
VALUE_FACTOR: Mapping[ValueClass | None, float] = {
    ValueClass.A: 1.0,
    ValueClass.B: 0.8,
    ValueClass.C: 0.6,
    None: 0.6,
}


def score(
    gaps: Iterable[KeyPersonGap],
    tier_gap: int | None,
    buying_roles: Iterable[BuyingRole | None],
    seniorities: Iterable[Seniority | None],
    value_class: ValueClass | None,
) -> float:
    """What a step for this key person changes (the formula above), to 4 decimals."""
    found = set(gaps)
    coverage = max((COVERAGE_POINTS.get(gap, 0.0) for gap in found), default=0.0)
    points = (
        coverage
        + TIER_GAP_POINTS * min(max(tier_gap or 0, 0), 4)
        + (FADING_POINTS if KeyPersonGap.FADING in found else 0.0)
        + max((ROLE_POINTS[r] for r in buying_roles if r is not None), default=0.0)
        + max((SENIORITY_POINTS[s] for s in seniorities if s is not None), default=0.0)
    )
    return round(VALUE_FACTOR[value_class] * points, 4)


@dataclass(frozen=True)
class TieState:
    """One tie of ours at the customer as the plan weighs it."""

    id: str
    their_id: str
    our_id: str
    tier: PersonTier
    strength: float  # stored
    now: float  # the strength model's, now
    before: float | None  # the model's at the start of the fading window (None: no tie then)
    peak: PersonTier  # the highest tier it was ever set to (now or in its recorded history)
    peak_strength: float  # the highest strength it ever held (stored or recorded)
    last_contact_days: int | None

    def once_strong(self, model: StrengthModel) -> bool:
        """Its peak tier, or its peak strength's suggested tier, is ONCE_STRONG or above."""
        return (
            max(TIER_RANK[self.peak], TIER_RANK[model.suggested_tier(self.peak_strength)])
            >= (TIER_RANK[ONCE_STRONG])
        )

    @property
    def rekindled(self) -> float:
        """What rekindling it is weighed at: REKINDLE_SHARE of its peak, at least its now."""
        return max(self.now, REKINDLE_SHARE * self.peak_strength)

    def faded(self, model: StrengthModel) -> bool:
        """Its strength now is well below its peak tier's floor, or fell over the window."""
        floor = model.tier_floors[self.peak]
        if floor > 0 and self.now < FADED_SHARE * floor:
            return True
        return self.before is not None and self.before - self.now > FADING_DROP


def strength_now(
    model: StrengthModel,
    strength: float,
    raw: float | None,
    raw_at_ms: int | None,
    created: str | None,
    now_ms: int,
) -> float:
    """A relationship's strength at `now_ms` by the model: its raw strength (`strengthRaw`,
    else `strength`) decayed from when it was evaluated (`strengthAtMs`, else its creation)."""
    created_at = to_datetime(created)
    since = raw_at_ms if raw_at_ms is not None else to_ms(created_at) if created_at else now_ms
    return model.decayed(float(raw if raw is not None else strength), int(since), now_ms)


def path_weight(path: Path, now: Mapping[str, float]) -> float:
    """The product of a path's hops' strengths now (`now`, by tie id; a hop not in it, an org
    hop among them, counts its stored strength)."""
    product = 1.0
    for tie in path.ties:
        product *= now.get(tie.id, tie.strength)
    return product


def tie_states(
    rows: Sequence[Sequence[Any]],
    histories: Mapping[str, tuple[Sequence[int], Sequence[str]]],
    model: StrengthModel,
    now_ms: int,
    window_days: int = FADING_WINDOW_DAYS,
) -> dict[str, TieState]:
    """The ties of `map_ties`, by id, with their recorded states (CALL_PLAN_HISTORIES: times in
    ms and JSON states, oldest first): strength now and at the window's start, peak tier."""
    since_ms = now_ms - window_days * DAY_MS
    found: dict[str, TieState] = {}
    for tie_id, their_id, our_id, tier, strength, raw, raw_at, created, last in rows:
        created_at = to_datetime(created)
        created_ms = to_ms(created_at) if created_at is not None else now_ms
        raw_value = float(raw if raw is not None else strength)
        raw_ms = int(raw_at) if raw_at is not None else created_ms
        now = model.decayed(raw_value, raw_ms, now_ms)
        peak = PersonTier(tier)
        peak_strength = float(strength)
        at, states = histories.get(tie_id, ((), ()))
        before: float | None = None
        recorded = [(int(t), json.loads(s)) for t, s in zip(at, states, strict=False) if s]
        for when, state in recorded:
            if state.get("tier") and TIER_RANK[PersonTier(state["tier"])] > TIER_RANK[peak]:
                peak = PersonTier(state["tier"])
            if state.get("strength") is not None:
                peak_strength = max(peak_strength, float(state["strength"]))
            if when <= since_ms and state.get("strength") is not None:
                before = model.decayed(float(state["strength"]), when, since_ms)
        if not recorded and raw_ms <= since_ms:
            before = model.decayed(raw_value, raw_ms, since_ms)
        found[tie_id] = TieState(
            id=tie_id,
            their_id=their_id,
            our_id=our_id,
            tier=PersonTier(tier),
            strength=float(strength),
            now=now,
            before=before,
            peak=peak,
            peak_strength=peak_strength,
            last_contact_days=None if last is None else max(0, (now_ms - int(last)) // DAY_MS),
        )
    return found


def gaps_of(
    entry: KeyPersonEntry, states: Mapping[str, TieState], model: StrengthModel
) -> list[KeyPersonGap]:
    """The key person's gaps, in KeyPersonGap's order."""
    found: list[KeyPersonGap] = []
    if not entry.covered:
        found.append(KeyPersonGap.UNCOVERED)
    if entry.threads == 1:
        found.append(KeyPersonGap.SINGLE_THREADED)
    if (entry.tier_gap or 0) > 0:
        found.append(KeyPersonGap.BELOW_DESIRED_TIER)
    if any(
        t.relationship.id in states and states[t.relationship.id].faded(model) for t in entry.ties
    ):
        found.append(KeyPersonGap.FADING)
    return found


@dataclass(frozen=True)
class Planned:
    """A key person with gaps, and their score, before the step is chosen."""

    entry: KeyPersonEntry
    gaps: list[KeyPersonGap]
    score: float

    @property
    def wants_path(self) -> bool:
        """Whether `choose` may pick an introduction for them."""
        return KeyPersonGap.UNCOVERED in self.gaps or KeyPersonGap.SINGLE_THREADED in self.gaps

    def left_out(self) -> frozenset[str]:
        """Our people a path may not start from: covered and single-threaded, the one who
        holds the tie (a second thread is wanted)."""
        if KeyPersonGap.UNCOVERED in self.gaps:
            return frozenset()
        return frozenset(t.our_person_id for t in self.entry.ties)


def ranked(
    found: KeyPersonMap,
    states: Mapping[str, TieState],
    value_class: ValueClass | None,
    model: StrengthModel,
) -> list[Planned]:
    """The key persons with gaps, the highest score first (then by person id)."""
    planned: list[Planned] = []
    for entry in found.entries:
        if not entry.is_key_person:
            continue
        gaps = gaps_of(entry, states, model)
        if not gaps:
            continue
        key_roles = [r for r in entry.roles if r.is_key_person] or entry.roles
        points = score(
            gaps,
            entry.tier_gap,
            [r.buying_role for r in key_roles],
            [r.seniority for r in key_roles],
            value_class,
        )
        planned.append(Planned(entry, gaps, points))
    planned.sort(key=lambda p: (-p.score, p.entry.person_id))
    return planned


@dataclass(frozen=True)
class CallStep:
    rank: int
    action: CallAction
    key_person_id: str
    gaps: list[KeyPersonGap]
    who_id: str | None
    tie: OurTie | None  # DEEPEN, REKINDLE
    last_contact_days: int | None
    path: Path | None  # INTRODUCE
    nearest_id: str | None  # NOBODY_IN_REACH
    nearest_path: Path | None
    strength: float | None  # the weight of the way in: the tie's strength now, the path's
    score: float
    why: str


@dataclass(frozen=True)
class CallPlan:
    company_id: str
    company_name: str
    steps: list[CallStep]
    # Everyone the steps name (theirs, ours, and the people on paths), by id.
    people: dict[str, Person]


_ARTICLE = {
    PersonTier.PASSER_BY: "a passer-by",
    PersonTier.ACQUAINTANCE: "an acquaintance",
    PersonTier.FRIEND: "a friend",
    PersonTier.CONFIDANT: "a confidant",
}


def tier_words(tier: PersonTier) -> str:
    """A tier as the seeds say it, with its article: "a friend", "an acquaintance"."""
    return _ARTICLE[tier]


def _role_words(entry: KeyPersonEntry) -> str:
    roles = [r for r in entry.roles if r.is_key_person] or entry.roles
    role = roles[0]
    words = [role.title] if role.title else []
    if role.buying_role is not None:
        words.append(role.buying_role.value.lower().replace("_", " "))
    return ", ".join(words)


def _contact(days: int | None) -> str:
    if days is None:
        return "no contact logged"
    if days == 1:
        return "last contact 1 day ago"
    return f"last contact {days} days ago"


def _gap_words(gaps: Sequence[KeyPersonGap], entry: KeyPersonEntry, name: Mapping[str, str]) -> str:
    if KeyPersonGap.UNCOVERED in gaps:
        return "is uncovered"
    words: list[str] = []
    if KeyPersonGap.SINGLE_THREADED in gaps:
        holder = entry.ties[0].our_person_id
        words.append(f"is single-threaded (only {name[holder]} knows them)")
    if KeyPersonGap.BELOW_DESIRED_TIER in gaps and entry.desired_tier is not None:
        current = entry.strongest
        now = tier_words(current.relationship.tier) if current else "no tie"
        words.append(f"is {now} where {tier_words(entry.desired_tier)} is wanted")
    if KeyPersonGap.FADING in gaps:
        words.append("is fading")
    return " and ".join(words)


def _hop_words(path: Path, index: int, name: Mapping[str, str]) -> str:
    """How the person at `index` on the path stands to the next one."""
    following = path.person_ids[index + 1]
    tie = path.ties[index]
    kind = hop_kind(tie)
    if kind is PathStepKind.REPORTING_LINE:
        if tie.a == following:  # the next one reports to this person
            return f"{name[following]}'s manager"
        return f"who reports to {name[following]}"
    if kind is PathStepKind.COLLEAGUE:
        return f"a colleague of {name[following]}"
    return f"who knows {name[following]} as {tier_words(PersonTier(tie.tier))}"


def _strength_words(shown: float, now: float | None) -> str:
    """The words of a strength as shown (`shown`, stored), and as it is today (`now`) when
    decay has moved it since it was last worked out: "strength 0.68 as recorded, 0.64 today"."""
    if now is None or round(shown, 2) == round(now, 2):
        return f"strength {shown:.2f}"
    return f"strength {shown:.2f} as recorded, {now:.2f} today"


def _path_words(path: Path, name: Mapping[str, str], now: Mapping[str, float]) -> str:
    first = path.ties[0]
    ours = name[path.person_ids[0]]
    if hop_kind(first) is PathStepKind.RELATIONSHIP:
        known = f"whom {ours} knows as {tier_words(PersonTier(first.tier))}, "
        known += _strength_words(first.strength, now.get(first.id))
    else:
        known = f"{ours}'s {hop_kind(first).value.lower().replace('_', ' ')}"
    # who the first go-between is to us comes right after their name, so that it is not read
    # as said of the next person
    parts = [
        f"{name[path.person_ids[i]]}{f' ({known})' if i == 1 else ''}, {_hop_words(path, i, name)}"
        for i in range(1, len(path.person_ids) - 1)
    ]
    return "; then ".join(parts)


def choose(
    planned: Planned,
    states: Mapping[str, TieState],
    paths: Sequence[tuple[Path, float]],
    model: StrengthModel,
) -> tuple[CallAction, OurTie | None, Path | None, float | None]:
    """The step for a key person (see the module's docstring): its action, the tie or the
    path, and the weight of that way in. `paths`: the paths found with their weights, the
    heaviest first."""
    entry = planned.entry
    paths = [(p, w) for p, w in paths if w >= MIN_PATH_WEIGHT]
    held = [(t, states[t.relationship.id]) for t in entry.ties if t.relationship.id in states]
    faded_strong = [(t, s) for t, s in held if s.faded(model) and s.once_strong(model)]
    if KeyPersonGap.UNCOVERED in planned.gaps:
        options: list[tuple[float, int, CallAction, OurTie | None, Path | None]] = []
        for tie, state in held:
            rekindle = state.faded(model) and state.once_strong(model)
            action = CallAction.REKINDLE if rekindle else CallAction.DEEPEN
            weight = state.rekindled if rekindle else state.now
            options.append((weight, 1 if rekindle else 2, action, tie, None))
        multi = [(p, w) for p, w in paths if p.hops >= 2]
        if multi:
            best, weight = multi[0]
            options.append((weight, 0, CallAction.INTRODUCE, None, best))
        if not options:
            return CallAction.NOBODY_IN_REACH, None, None, None
        # the heaviest way in; among weights equal within the tolerance, DEEPEN, then REKINDLE
        heaviest = max(o[0] for o in options)
        tied = [o for o in options if o[0] >= heaviest * (1 - TIE_TOLERANCE)]
        weight, _, action, way, path = max(tied, key=lambda o: (o[1], o[0]))
        return action, way, path, weight
    if faded_strong:
        faded, was = max(faded_strong, key=lambda ts: (TIER_RANK[ts[1].peak], ts[1].strength))
        return CallAction.REKINDLE, faded, None, was.rekindled
    if KeyPersonGap.SINGLE_THREADED in planned.gaps and paths:
        return CallAction.INTRODUCE, None, paths[0][0], paths[0][1]
    strongest = entry.strongest
    assert strongest is not None  # covered
    known = states.get(strongest.relationship.id)
    return (
        CallAction.DEEPEN,
        strongest,
        None,
        known.now if known else strongest.relationship.strength,
    )


def why(
    planned: Planned,
    action: CallAction,
    tie: OurTie | None,
    path: Path | None,
    nearest: Path | None,
    weight: float | None,
    states: Mapping[str, TieState],
    now: Mapping[str, float],
    name: Mapping[str, str],
    company_name: str,
) -> str:
    """The step in one sentence a planner can act on. A strength is quoted as the map and the
    path show it (stored), and beside it the strength now (`now`, by tie id; `weight`, the
    path's) when decay has moved it, which is what weighed the step."""
    entry = planned.entry
    who = f"{name[entry.person_id]} ({_role_words(entry)})"
    gaps = _gap_words(planned.gaps, entry, name)
    if action is CallAction.NOBODY_IN_REACH:
        if nearest is None:
            return (
                f"{who} is uncovered and none of our people reaches them within {PLAN_HOPS} "
                f"hops, nor anyone at {company_name}: find a first contact there."
            )
        there = name[nearest.person_ids[-1]]
        return (
            f"{who} is uncovered and none of our people reaches them within {PLAN_HOPS} hops; "
            f"the nearest we reach at {company_name} is {there}, {nearest.hops} "
            f"hop{'s' if nearest.hops > 1 else ''} from {name[nearest.person_ids[0]]}."
        )
    if action is CallAction.INTRODUCE:
        assert path is not None
        return (
            f"{who} {gaps}: ask {name[path.person_ids[0]]} to get an introduction through "
            f"{_path_words(path, name, now)}, a path of {_strength_words(path.strength, weight)}."
        )
    assert tie is not None
    state = states.get(tie.relationship.id)
    ours = name[tie.our_person_id]
    strength = _strength_words(tie.relationship.strength, state.now if state else None)
    days = state.last_contact_days if state else None
    if action is CallAction.REKINDLE:
        peak = state.peak if state else tie.relationship.tier
        return (
            f"{who} {gaps}: ask {ours} to rekindle their tie, once {tier_words(peak)}, now "
            f"faded: {strength} ({_contact(days)})."
        )
    along = (
        " and bring a colleague of ours along"
        if KeyPersonGap.SINGLE_THREADED in planned.gaps
        and KeyPersonGap.UNCOVERED not in planned.gaps
        else ""
    )
    return (
        f"{who} {gaps}: ask {ours}, who knows them as {tier_words(tie.relationship.tier)} "
        f"({strength}, {_contact(days)}), to meet them{along}."
    )


def plan_steps(
    planned: Sequence[Planned],
    states: Mapping[str, TieState],
    paths: Mapping[str, Sequence[Path]],
    hops_now: Mapping[str, float],
    nearest: Path | None,
    name: Mapping[str, str],
    company_name: str,
    model: StrengthModel,
) -> list[CallStep]:
    """The steps of these ranked key persons (a pure function of what was read): `paths` as
    the search ranked them, `hops_now` the strength now of relationship hops on them, by tie
    id, beside those of `states`."""
    now = {**hops_now, **{tie_id: state.now for tie_id, state in states.items()}}
    steps: list[CallStep] = []
    for rank, item in enumerate(planned, start=1):
        found = [(p, path_weight(p, now)) for p in paths.get(item.entry.person_id, ())]
        # heaviest first; equal weights (within the paths' tolerance) in the search's order
        found = [pw for _, pw in strength_groups(found, lambda pw: pw[1])]
        action, tie, path, weight = choose(item, states, found, model)
        state = states.get(tie.relationship.id) if tie else None
        reached = nearest if action is CallAction.NOBODY_IN_REACH else None
        steps.append(
            CallStep(
                rank=rank,
                action=action,
                key_person_id=item.entry.person_id,
                gaps=item.gaps,
                who_id=(
                    tie.our_person_id
                    if tie is not None
                    else path.person_ids[0]
                    if path is not None
                    else None
                ),
                tie=tie,
                last_contact_days=state.last_contact_days if state else None,
                path=path,
                nearest_id=reached.person_ids[-1] if reached else None,
                nearest_path=reached,
                strength=None if weight is None else round(weight, 4),
                score=item.score,
                why=why(item, action, tie, path, reached, weight, states, now, name, company_name),
            )
        )
    return steps


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def map_ties(found: KeyPersonMap) -> list[list[Any]]:
    """The ties of the map's entries as `tie_states` reads them: [tie id, their person's id,
    our person's id, tier, strength, strengthRaw, strengthAtMs, createdAt, last interaction
    (ms)] (the map read every tie of ours with the customer's people it shows, with all their
    properties)."""
    rows: list[list[Any]] = []
    for entry in found.entries:
        for tie in entry.ties:
            k = tie.relationship
            last = k.last_interaction_at
            rows.append(
                [
                    k.id,
                    entry.person_id,
                    tie.our_person_id,
                    k.tier.value,
                    k.strength,
                    k.strength_raw,
                    k.strength_at_ms,
                    k.created_at,
                    None if last is None else (last - _EPOCH) // dt.timedelta(milliseconds=1),
                ]
            )
    return rows


_Read = tuple[
    str,
    list[Planned],
    dict[str, TieState],
    dict[str, list[Path]],
    dict[str, float],
    Path | None,
    dict[str, Person],
]


def call_plan(
    graph: Graph,
    found: KeyPersonMap,
    *,
    model: StrengthModel,
    first: int = 10,
    now: dt.datetime | None = None,
    seen: introductions.Seen | None = None,
) -> CallPlan:
    """The call plan of a current key-person map: its reads (the recorded states of the map's
    ties with our people, the customer's org), then one bounded path search per key person
    among the top `first` who may need an introduction (run together), in one read
    transaction. With `seen`, the paths pass only through the people it accepts."""
    if not 1 <= first <= MAX_STEPS:
        raise InvalidInput(f"first: must be between 1 and {MAX_STEPS} (got {first})", field="first")
    now_ms = to_ms(now or dt.datetime.now(dt.UTC))
    ours = introductions.our_ties(graph)
    kinds = frozenset(PathStepKind)
    rows = map_ties(found)

    def work(tx: Tx) -> _Read:
        ids = sorted({tie[0] for tie in rows})
        read = tx.run(cypher.CALL_PLAN_HISTORIES, ids=ids, companyId=found.company_id)
        if not read:  # deleted since the map was read
            raise NotFound("company", found.company_id, field="companyId")
        row = read[0]
        histories: dict[str, tuple[list[int], list[str]]] = {}
        for tie_id, at, recorded in row["histories"]:
            histories[tie_id] = (list(at or []), list(recorded or []))
        states = tie_states(rows, histories, model, now_ms)
        value = row["valueClass"]
        top = ranked(found, states, None if value is None else ValueClass(value), model)[:first]
        wanted = [p for p in top if p.wants_path]
        paths: dict[str, list[Path]] = {}
        hops_now: dict[str, float] = {}
        nearest: Path | None = None
        if wanted:
            org = introductions.read_org(tx, [found.company_id], kinds)
            requests = [
                (p.entry.person_id, p.left_out(), p.entry.threads + PLAN_PATHS) for p in wanted
            ]
            paths = introductions.paths_at_customer(
                tx, ours, org, requests, max_hops=PLAN_HOPS, seen=seen
            )
            hops = sorted(
                {
                    (path.person_ids[i], tie.id)
                    for some in paths.values()
                    for path in some
                    for i, tie in enumerate(path.ties)
                    if hop_kind(tie) is PathStepKind.RELATIONSHIP and tie.id not in states
                }
            )
            if hops:
                [hop_row] = tx.run(cypher.HOP_STATES, hops=[list(hop) for hop in hops])
                hops_now = {
                    tie_id: strength_now(model, float(strength), raw, raw_at, created, now_ms)
                    for tie_id, strength, raw, raw_at, created in hop_row["hops"]
                }
            if any(not p.entry.ties and not paths.get(p.entry.person_id) for p in wanted):
                there = [person for people in org.members.values() for person in people]
                nearest = introductions.nearest_at_customer(
                    tx, ours, there, max_hops=NEAREST_HOPS, seen=seen
                )
        named = {
            *(p.entry.person_id for p in top),
            *(t.our_person_id for p in top for t in p.entry.ties),
            *(person for some in paths.values() for path in some for person in path.person_ids),
            *(nearest.person_ids if nearest else ()),
        }
        missing = named - found.people.keys()
        people = {**found.people, **introductions.people_on(tx, missing)}
        return str(row["name"]), top, states, paths, hops_now, nearest, people

    company_name, top, states, paths, hops_now, nearest, people = graph.read_tx(work)
    name = {id_: person.name for id_, person in people.items()}
    steps = plan_steps(top, states, paths, hops_now, nearest, name, company_name, model)
    return CallPlan(found.company_id, company_name, steps, people)
