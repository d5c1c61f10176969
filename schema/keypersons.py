"""Key-person maps, org charts, job moves and introduction paths, as GraphQL types and fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Annotated

import strawberry

from graph.core import models
from graph.db.errors import InvalidInput, NotFound
from graph.keypersons import callplan as cp
from graph.keypersons import maps as km
from graph.keypersons.callplan import CallAction, KeyPersonGap
from graph.keypersons.introductions import (
    MAX_BEST_HOPS,
    MAX_PATHS,
    MODERATE,
    ORG_HOP_STRENGTH,
    STRONG,
    PathStepKind,
    hop_kind,
)
from graph.keypersons.paths import MAX_HOPS, Tie
from graph.keypersons.paths import Path as PathModel
from resolvers import keypersons as resolve
from schema.auth import ADMIN_ONLY, PLANNER_WRITE
from schema.descriptions import describe_values
from schema.enums import CompanyTier, PathLabel, PersonTier, RelationshipLevel, Stance
from schema.history import ChangeNoteInput, to_note
from schema.rounding import described, rounded, rounded_or_none
from schema.types import (
    Company,
    Info,
    Person,
    PersonRelationship,
    Role,
    from_model,
    load_person,
)

strawberry.enum(CallAction, description="The next step for a key person in the call plan.")
describe_values(
    CallAction,
    DEEPEN="Meet them over a tie one of our people holds, to deepen it.",
    REKINDLE=f"Rekindle a tie of ours that was once strong (its peak tier, or the tier its peak "
    f"strength suggests, {cp.ONCE_STRONG.value} or closer) and has faded; weighed at "
    f"{cp.REKINDLE_SHARE} of its peak strength (at least its strength now).",
    INTRODUCE="Get introduced along a path from one of our people (at least two hops; it may "
    "run through the customer's reporting lines and colleagues).",
    NOBODY_IN_REACH=f"None of our people reaches them within {cp.PLAN_HOPS} hops: `nearest` "
    f"names the nearest person at the customer we do reach.",
)
strawberry.enum(KeyPersonGap, description="Why a key person needs a step in the call plan.")
describe_values(
    KeyPersonGap,
    UNCOVERED="No tie of ours meets the map's coverage rule (by default a 朋友 friend or closer).",
    SINGLE_THREADED="Only one of our people knows them.",
    BELOW_DESIRED_TIER="Their strongest tie with us is below the desired tier set on their role "
    "(tierGap above 0).",
    FADING=f"A tie of ours with them has faded: its strength now is under {cp.FADED_SHARE} of "
    f"the floor of the highest tier it ever had, or fell by more than {cp.FADING_DROP} over the "
    f"last {cp.FADING_WINDOW_DAYS} days.",
)
strawberry.enum(
    PathStepKind, description="What joins the two people of a hop in an introduction path."
)
describe_values(
    PathStepKind,
    RELATIONSHIP="A person-to-person relationship, at its strength.",
    REPORTING_LINE=f"One reports to the other, both with a current role at the target's "
    f"customer; counts as strength {ORG_HOP_STRENGTH[PathStepKind.REPORTING_LINE]} (like a "
    f"朋友 friend).",
    COLLEAGUE=f"Both hold a current role at the target's customer, nothing more known; counts "
    f"as strength {ORG_HOP_STRENGTH[PathStepKind.COLLEAGUE]} (like a 熟人 acquaintance).",
)

# The map's entries and ties hold plain values, built once when the entries are answered: a
# field read from an attribute is a "basic" field to Strawberry, which skips its resolver
# wrapper (a `strawberry.Info`, argument conversion, the resolver's call). A map answers
# hundreds of fields (the benchmark's query: 723 for 49 people); with the people, roles and
# relationships of entries and ties as attributes too, its execution takes 22% less CPU.


@strawberry.type(description="A relationship one of our people holds with someone there.")
class OurRelationship:
    is_strongest: bool = strawberry.field(
        description="The strongest of this person's ties to us (by strength, then tier, then id)."
    )
    tier: PersonTier = strawberry.field(
        description="The relationship's tier, set by people: 过客 passer-by, 熟人 acquaintance, "
        "朋友 friend or 知己 confidant."
    )
    strength: float = strawberry.field(
        description=described("The relationship's strength, 0 to 1, as stored.")
    )
    level: RelationshipLevel | None = strawberry.field(
        description="The relationship's level (信任 trust, 价值 value, 情感 emotion, 愿景 "
        "vision); null when unset."
    )
    last_updated: dt.datetime | None = strawberry.field(
        description="When the relationship last changed."
    )
    relationship: PersonRelationship = strawberry.field(description="The relationship itself.")
    our_person: Person = strawberry.field(description="Who on our side holds it.")


@strawberry.type(description="One person at the customer and our relationships with them.")
class KeyPersonEntry:
    is_key_person: bool = strawberry.field(
        description="Whether one of their current roles there is marked a key person (关键人物)."
    )
    is_executive: bool = strawberry.field(
        description="Whether one of their current roles there is EXECUTIVE (top management)."
    )
    covered: bool = strawberry.field(
        description="Whether one of our relationships meets the coverage rule (by default a "
        "朋友 friend or closer)."
    )
    threads: int = strawberry.field(
        description="How many of our people hold a relationship with them."
    )
    desired_tier: PersonTier | None = strawberry.field(
        description="The tier we want with them, as set on one of their current roles there; "
        "null when none is set."
    )
    stance: Stance | None = strawberry.field(
        description="Their stance toward us, as set on one of their current roles there; null "
        "when none is set."
    )
    tier_gap: int | None = strawberry.field(
        description="Tiers from the strongest current tie up to the desired tier (no tie counts "
        "as one below passer-by); null without a desired tier."
    )
    person: Person = strawberry.field(description="The person at the customer.")
    roles: list[Role] = strawberry.field(description="Their current roles at the customer.")
    relationships: list[OurRelationship] = strawberry.field(
        description="Our people's relationships with them, strongest first."
    )
    strongest: OurRelationship | None = strawberry.field(
        description="Our strongest relationship with them (the first of relationships); null "
        "when none of our people knows them."
    )


class _Built:
    """GraphQL types of the people a map or a plan names (`people` holds them all, theirs and
    ours), each built once however many entries, ties and steps name them."""

    def __init__(self, people: Mapping[str, models.Person]) -> None:
        self._people = people
        self._built: dict[str, Person] = {}

    def person(self, id_: str) -> Person:
        found = self._built.get(id_)
        if found is None:
            found = self._built[id_] = from_model(Person, self._people[id_])
        return found

    def our(self, tie: km.OurTie) -> OurRelationship:
        relationship = tie.relationship
        return OurRelationship(
            is_strongest=tie.is_strongest,
            tier=relationship.tier,
            strength=rounded(relationship.strength),
            level=relationship.level,
            last_updated=relationship.updated_at,
            relationship=from_model(PersonRelationship, relationship),
            our_person=self.person(tie.our_person_id),
        )


def _entries(
    entries: list[km.KeyPersonEntry], people: Mapping[str, models.Person]
) -> list[KeyPersonEntry]:
    """The entries as GraphQL types; `people` holds everyone they name, theirs and ours."""
    built = _Built(people)
    person, our = built.person, built.our

    found: list[KeyPersonEntry] = []
    for entry in entries:
        ties = [our(tie) for tie in entry.ties]
        found.append(
            KeyPersonEntry(
                is_key_person=entry.is_key_person,
                is_executive=entry.is_executive,
                covered=entry.covered,
                threads=entry.threads,
                desired_tier=entry.desired_tier,
                stance=entry.stance,
                tier_gap=entry.tier_gap,
                person=person(entry.person_id),
                roles=[from_model(Role, role) for role in entry.roles],
                relationships=ties,
                strongest=next((tie for tie in ties if tie.is_strongest), None),
            )
        )
    return found


@strawberry.type(description="How many key persons have their strongest tie with us at one tier.")
class TierCount:
    tier: PersonTier | None = strawberry.field(
        description="The tier of the strongest tie; null for the key persons none of our people "
        "knows."
    )
    count: int = strawberry.field(description="Key persons with that, 0 included.")


@strawberry.type(description="Figures over the key persons (not everyone) at the customer.")
class KeyPersonSummary:
    key_persons: int = strawberry.field(
        description="Key persons (关键人物) there: people with a current role marked key person."
    )
    covered: int = strawberry.field(
        description="Key persons with a relationship that meets the coverage rule."
    )
    uncovered: int = strawberry.field(description="Key persons without one.")
    single_threaded: int = strawberry.field(
        description="Key persons whom only one of our people has a relationship with."
    )
    coverage_ratio: float | None = strawberry.field(
        description=described(
            "Covered key persons over all key persons, 0 to 1; null without key persons."
        )
    )
    tier_distribution: list[TierCount] = strawberry.field(
        description="Key persons by the tier of their strongest tie to us: every tier, then "
        "null for those none of our people knows."
    )
    reaches_executives: bool = strawberry.field(
        description="Some executive there has a covering relationship with one of our people."
    )


@strawberry.type(description="Where the company tier and the key-person map disagree.")
class TierMismatch:
    rule: str = strawberry.field(
        description="The rule broken, by the seeds' tier definitions: "
        "TOO_FEW_COVERED_KEY_PERSONS (a 优先供应 preferred supplier or closer without enough "
        "covered key persons), NO_EXECUTIVE_RELATIONSHIP (a 合作伙伴 partnership or closer that "
        "reaches no executive) or DEEPER_THAN_TIER (a 买卖 transactional customer whose map is "
        "already deep)."
    )
    reason: str = strawberry.field(description="The mismatch in one sentence, with its figures.")


@strawberry.type(
    description="Who the key persons (关键人物) at a customer are, who of ours knows them and how "
    "well: the account planner's central question."
)
class KeyPersonMap:
    model: strawberry.Private[km.KeyPersonMap]
    as_of: strawberry.Private[dt.datetime | None] = None

    @strawberry.field(
        description="The company: with asOf, as it was then (status, classes, lifecycle stage)."
    )
    async def company(self, info: Info) -> Company:
        then = self.model.company
        if then is not None:
            return from_model(Company, then)
        return from_model(Company, await info.context.loaders.companies.load(self.model.company_id))

    @strawberry.field(
        description="The closest tier of its company relationships with our companies (买卖 "
        "transactional, 优先供应 preferred supplier, 合作伙伴 partnership, 战略联盟 strategic "
        "alliance); null without one."
    )
    def tier_with_us(self) -> CompanyTier | None:
        return self.model.tier_with_us

    @strawberry.field(description="Figures over its key persons.")
    def summary(self) -> KeyPersonSummary:
        s = self.model.summary
        return KeyPersonSummary(
            key_persons=s.key_persons,
            covered=s.covered,
            uncovered=s.uncovered,
            single_threaded=s.single_threaded,
            coverage_ratio=rounded_or_none(s.coverage_ratio),
            tier_distribution=[TierCount(tier=t, count=n) for t, n in s.tier_distribution.items()],
            reaches_executives=s.reaches_executives,
        )

    @strawberry.field(
        description="Key persons, then (with everyone) the others; by seniority within each, "
        "then by id."
    )
    async def entries(self, info: Info) -> list[KeyPersonEntry]:
        return _entries(self.model.entries, await self.named_people(info, self.model.entries))

    @strawberry.field(description="Key persons with a desired tier, the widest gap first.")
    async def plan(self, info: Info) -> list[KeyPersonEntry]:
        return _entries(self.model.plan, await self.named_people(info, self.model.plan))

    async def named_people(
        self, info: Info, entries: list[km.KeyPersonEntry]
    ) -> Mapping[str, models.Person]:
        """Everyone these entries name, theirs and ours: read with the map, so the entries'
        people resolve without awaiting a loader each (any missing come from the loader)."""
        named = {e.person_id for e in entries} | {t.our_person_id for e in entries for t in e.ties}
        missing = sorted(named - self.model.people.keys())
        if not missing:
            return self.model.people
        loaded = await info.context.loaders.people.load_many(missing)
        found = {p.id: p for p in loaded if p is not None}
        if len(found) < len(missing):
            raise NotFound("person", next(i for i in missing if i not in found))
        return {**self.model.people, **found}

    @strawberry.field(
        description="Where its tier with us and the map disagree; empty without a tier."
    )
    def mismatches(self) -> list[TierMismatch]:
        return [TierMismatch(rule=m.rule, reason=m.reason) for m in self.model.mismatches]

    @strawberry.field(
        description="The next calls at this customer, ranked across the account: one step per "
        "key person with a gap (uncovered, single-threaded, below the desired tier, fading), "
        "the highest score first. Current map only: on a map asked with asOf it is null with "
        "a BAD_USER_INPUT error (the rest of the map stands), since introductions are searched "
        "in today's graph."
    )
    async def call_plan(
        self,
        info: Info,
        first: Annotated[
            int,
            strawberry.argument(
                description=f"How many steps, the highest scores first: 1 to {cp.MAX_STEPS}."
            ),
        ] = 10,
    ) -> list[CallStep] | None:
        if self.as_of is not None:
            raise InvalidInput(
                "callPlan: only for the current map; ask keyPersonMap without asOf",
                field="asOf",
            )
        return _call_steps(await resolve.call_plan(info.context, self.model, first))


@strawberry.type(description="A person in the org chart, with the people reporting to them.")
class OrgChartNode:
    model: strawberry.Private[km.OrgChartEntry]
    children: strawberry.Private[list[OrgChartNode]]

    @strawberry.field(description="The person.")
    async def person(self, info: Info) -> Person:
        return await load_person(info, self.model.person_id)

    @strawberry.field(description="Their current roles at the company (those of then, with asOf).")
    def roles(self) -> list[Role]:
        return [from_model(Role, role) for role in self.model.roles]

    @strawberry.field(description="Their manager's id; null for the head of a tree.")
    def manager_id(self) -> strawberry.ID | None:
        return None if self.model.manager_id is None else strawberry.ID(self.model.manager_id)

    @strawberry.field(description="0 for the people who report to nobody there.")
    def depth(self) -> int:
        return self.model.depth

    @strawberry.field(description="The people who report to them directly, by seniority then id.")
    def reports(self) -> list[OrgChartNode]:
        return self.children


@strawberry.type(description="A customer's reporting lines among its current people.")
class OrgChart:
    roots: list[OrgChartNode] = strawberry.field(
        description="The people who report to nobody there, by seniority then id."
    )
    people: list[OrgChartNode] = strawberry.field(
        description="Everyone, each manager before their reports (each tree depth first, by "
        "seniority then id): read this flat list with managerId for a deep chart."
    )


def _org_chart(entries: list[km.OrgChartEntry]) -> OrgChart:
    nodes = {e.person_id: OrgChartNode(model=e, children=[]) for e in entries}
    for entry in entries:
        if entry.manager_id is not None:
            nodes[entry.manager_id].children.append(nodes[entry.person_id])
    people = [nodes[e.person_id] for e in entries]
    return OrgChart(roots=[n for n in people if n.model.manager_id is None], people=people)


@strawberry.type(
    description="One hop of a path: a relationship between two people, or (when the search "
    "was asked `via` them) a reporting line or colleagues at the customer, which have no "
    "relationship id nor tier, and the strength "
    + ", ".join(f"{kind.value} {value}" for kind, value in ORG_HOP_STRENGTH.items())
    + "."
)
class PathStep:
    tie: strawberry.Private[Tie]
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @strawberry.field(description="What joins the two people.")
    def kind(self) -> PathStepKind:
        return hop_kind(self.tie)

    @strawberry.field(description="The hop's first person, nearer the path's start.")
    async def from_person(self, info: Info) -> Person:
        return await load_person(info, self.from_id)

    @strawberry.field(description="The hop's second person, nearer the path's end.")
    async def to_person(self, info: Info) -> Person:
        return await load_person(info, self.to_id)

    @strawberry.field(
        description="The relationship's id; null for a reporting-line or colleague hop."
    )
    def relationship_id(self) -> strawberry.ID | None:
        if hop_kind(self.tie) is not PathStepKind.RELATIONSHIP:
            return None
        return strawberry.ID(self.tie.id)

    @strawberry.field(
        description="The relationship's tier; null for a reporting-line or colleague hop."
    )
    def tier(self) -> PersonTier | None:
        if hop_kind(self.tie) is not PathStepKind.RELATIONSHIP:
            return None
        return PersonTier(self.tie.tier)

    @strawberry.field(
        description=described(
            "The hop's strength: the relationship's as stored, or the org hop's fixed one."
        )
    )
    def strength(self) -> float:
        return rounded(self.tie.strength)


@strawberry.type(
    description=f"A chain of introductions. Strength is the product of the hops' strengths; "
    f"STRONG from {STRONG}, MODERATE from {MODERATE}, WEAK below. Paths rank by strength "
    f"(strengths within a relative 1e-10 of each other are equal), then fewer hops, then the "
    f"person ids along them."
)
class IntroductionPath:
    model: strawberry.Private[PathModel]

    @strawberry.field(description=described("The product of the hops' strengths."))
    def strength(self) -> float:
        return rounded(self.model.strength)

    @strawberry.field(description="How many hops: the people on it less one.")
    def hops(self) -> int:
        return self.model.hops

    @strawberry.field(
        description=f"STRONG from {STRONG}, MODERATE from {MODERATE}, WEAK below (of the "
        f"unrounded strength)."
    )
    def label(self) -> PathLabel:
        return resolve.path_label(self.model)

    @strawberry.field(description="From the first person to the last.")
    async def people(self, info: Info) -> list[Person]:
        found = await info.context.loaders.people.load_many(list(self.model.person_ids))
        return [from_model(Person, person) for person in found]

    @strawberry.field(description="The hops in order, from the first person to the last.")
    def steps(self) -> list[PathStep]:
        ids = self.model.person_ids
        return [
            PathStep(tie=tie, from_id=ids[i], to_id=ids[i + 1])
            for i, tie in enumerate(self.model.ties)
        ]


def _points(points: Iterable[tuple[Enum | None, float]], *, words: bool = True) -> str:
    """A table of the call plan's points, in words ("decision maker 3, blocker 3, …") or by
    name ("A 1, B 0.8, …"); points of 0 and the None key left out."""
    return ", ".join(
        f"{key.value.lower().replace('_', ' ') if words else key.value} {value:g}"
        for key, value in points
        if key is not None and value
    )


@strawberry.type(description="The next step for a key person: who should act, and why.")
class CallStep:
    rank: int = strawberry.field(description="1 = call first.")
    action: CallAction = strawberry.field(description="What to do.")
    key_person: Person = strawberry.field(description="Whom the step is about.")
    gaps: list[KeyPersonGap] = strawberry.field(description="Why they need a step.")
    who: Person | None = strawberry.field(
        description="Our person who should act (null for NOBODY_IN_REACH)."
    )
    relationship: OurRelationship | None = strawberry.field(
        description="DEEPEN and REKINDLE: the tie."
    )
    last_contact_days: int | None = strawberry.field(
        description="DEEPEN and REKINDLE: days since the last interaction on the tie."
    )
    path: IntroductionPath | None = strawberry.field(
        description="INTRODUCE: the path, our person first, the key person last."
    )
    nearest: Person | None = strawberry.field(
        description="NOBODY_IN_REACH: the nearest person at the customer we do reach."
    )
    strength: float | None = strawberry.field(
        description=described(
            "The weight of the way in: the tie's strength now (the strength model's decay "
            "since it was last evaluated; for REKINDLE, half its peak if more), or the product "
            "of the path's hops' strengths now; null for NOBODY_IN_REACH."
        )
    )
    score: float = strawberry.field(
        description=described(
            f"What the step changes (higher first): value factor (value class "
            f"{_points(cp.VALUE_FACTOR.items(), words=False)}; unset as C) x (coverage: "
            f"{_points(cp.COVERAGE_POINTS.items())}; + {cp.TIER_GAP_POINTS:g} a tier of tier "
            f"gap, at most 4; + {cp.FADING_POINTS:g} if fading; + the best buying role: "
            f"{_points(cp.ROLE_POINTS.items())}; + the best seniority: "
            f"{_points(cp.SENIORITY_POINTS.items())})."
        )
    )
    why: str = strawberry.field(description="One sentence a planner can act on.")


def _call_steps(plan: cp.CallPlan) -> list[CallStep]:
    built = _Built(plan.people)
    person, our = built.person, built.our

    return [
        CallStep(
            rank=step.rank,
            action=step.action,
            key_person=person(step.key_person_id),
            gaps=list(step.gaps),
            who=None if step.who_id is None else person(step.who_id),
            relationship=None if step.tie is None else our(step.tie),
            last_contact_days=step.last_contact_days,
            path=None if step.path is None else IntroductionPath(model=step.path),
            nearest=None if step.nearest_id is None else person(step.nearest_id),
            strength=step.strength,
            score=step.score,
            why=step.why,
        )
        for step in plan.steps
    ]


@strawberry.type(description="Someone we know well who moved to another company recently.")
class Move:
    model: strawberry.Private[km.Move]

    @strawberry.field(description="The person who moved.")
    async def person(self, info: Info) -> Person:
        return await load_person(info, self.model.role.person_id)

    @strawberry.field(
        description="The current role they started within the window, at their new company."
    )
    def role(self) -> Role:
        return from_model(Role, self.model.role)

    @strawberry.field(
        description="The role they left: their latest role at another company, ended by the "
        "day the new one started."
    )
    def previous_role(self) -> Role:
        return from_model(Role, self.model.previous)

    @strawberry.field(
        description=described("The strongest of our relationships with them (at minTier or above).")
    )
    def strongest(self) -> float:
        return rounded(self.model.strongest)

    @strawberry.field(
        description="Our current people's relationships with them at minTier or above."
    )
    def relationships(self) -> list[PersonRelationship]:
        return [from_model(PersonRelationship, tie) for tie in self.model.ties]


HopsArg = Annotated[
    int, strawberry.argument(description=f"The most hops a path may have: 1 to {MAX_HOPS}.")
]
PathsArg = Annotated[
    int, strawberry.argument(description=f"How many paths, the strongest first: 1 to {MAX_PATHS}.")
]
MinTierArg = Annotated[
    PersonTier | None,
    strawberry.argument(
        description="Every relationship hop at least this tier (org hops are not bounded); any "
        "tier if left out."
    ),
]
ViaArg = Annotated[
    list[PathStepKind],
    strawberry.argument(
        description="The kinds of hop a path may take; REPORTING_LINE and COLLEAGUE join "
        "people with a current role at the target's customer (must include RELATIONSHIP)."
    ),
]
RELATIONSHIPS = [PathStepKind.RELATIONSHIP]  # the default: never changed in place
BestHopsArg = Annotated[
    int, strawberry.argument(description=f"The most hops a path may have: 1 to {MAX_BEST_HOPS}.")
]


@strawberry.type
class KeyPersonQuery:
    @strawberry.field(description="The key-person map of a customer.")
    async def key_person_map(
        self,
        info: Info,
        company_id: Annotated[strawberry.ID, strawberry.argument(description="The customer.")],
        everyone: Annotated[
            bool, strawberry.argument(description="Also list people who are not key persons.")
        ] = False,
        covered_min_tier: Annotated[
            PersonTier,
            strawberry.argument(
                description="A tie of ours at this tier or closer covers a key person."
            ),
        ] = PersonTier.FRIEND,
        covered_min_strength: Annotated[
            float | None,
            strawberry.argument(
                description="If given (0 to 1), a tie at least this strong covers, whatever its "
                "tier, in place of coveredMinTier."
            ),
        ] = None,
        min_covered_key_persons: Annotated[
            int,
            strawberry.argument(
                description="Covered key persons a 优先供应 preferred supplier (or closer) should "
                "have, at most all of them (TOO_FEW_COVERED_KEY_PERSONS); not negative."
            ),
        ] = km.DEFAULT_MIN_COVERED_KEY_PERSONS,
        as_of: Annotated[
            dt.datetime | None,
            strawberry.argument(
                description="The map as it was then: the company (status, classes, stage), "
                "roles, ties, tiers and strengths (as the strength model had them then)."
            ),
        ] = None,
    ) -> KeyPersonMap:
        found = await resolve.key_person_map(
            info.context,
            company_id,
            as_of=as_of,
            everyone=everyone,
            covered_min_tier=covered_min_tier,
            covered_min_strength=covered_min_strength,
            min_covered_key_persons=min_covered_key_persons,
        )
        return KeyPersonMap(model=found, as_of=as_of)

    @strawberry.field(description="A customer's reporting lines, as a tree.")
    async def org_chart(
        self,
        info: Info,
        company_id: Annotated[strawberry.ID, strawberry.argument(description="The company.")],
        as_of: Annotated[
            dt.datetime | None,
            strawberry.argument(
                description="The chart as it was then: the people with a role then, their "
                "roles then, and the reporting lines recorded as standing then."
            ),
        ] = None,
    ) -> OrgChart:
        return _org_chart(await resolve.org_chart(info.context, company_id, as_of))

    @strawberry.field(description="Our contacts (at minTier or above) who changed company lately.")
    async def recent_moves(
        self,
        info: Info,
        days: Annotated[
            int,
            strawberry.argument(
                description="How many days back the new role may have started: 1 to 3,650."
            ),
        ] = 90,
        min_tier: Annotated[
            PersonTier,
            strawberry.argument(
                description="Only people one of our current people knows at this tier or closer."
            ),
        ] = PersonTier.FRIEND,
    ) -> list[Move]:
        return [Move(model=m) for m in await resolve.recent_moves(info.context, days, min_tier)]

    @strawberry.field(description="The strongest simple paths from one person to another.")
    async def introduction_paths(
        self,
        info: Info,
        from_person_id: Annotated[
            strawberry.ID, strawberry.argument(description="The person the paths start from.")
        ],
        to_person_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The person to reach (not fromPersonId)."),
        ],
        max_hops: HopsArg = 4,
        first: PathsArg = 5,
        min_tier: MinTierArg = None,
        via: ViaArg = RELATIONSHIPS,
    ) -> list[IntroductionPath]:
        found = await resolve.introduction_paths(
            info.context,
            from_person_id,
            to_person_id,
            max_hops=max_hops,
            first=first,
            min_tier=min_tier,
            via=via,
        )
        return [IntroductionPath(model=path) for path in found]

    @strawberry.field(
        description="The strongest paths from any of our people to a person, or to anyone (or "
        "any key person) at a company. A path starts at one of our people and passes through "
        "none of our others."
    )
    async def best_introductions(
        self,
        info: Info,
        to_person_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The person to reach; give this or toCompanyId."),
        ] = None,
        to_company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Reach anyone with a current role at this company; give this or "
                "toPersonId."
            ),
        ] = None,
        key_persons_only: Annotated[
            bool,
            strawberry.argument(
                description="With toCompanyId: reach only its key persons (a current role "
                "marked key person)."
            ),
        ] = False,
        max_hops: BestHopsArg = 3,
        first: PathsArg = 5,
        min_tier: MinTierArg = None,
        via: ViaArg = RELATIONSHIPS,
    ) -> list[IntroductionPath]:
        found = await resolve.best_introductions(
            info.context,
            to_person_id=to_person_id,
            to_company_id=to_company_id,
            key_persons_only=key_persons_only,
            max_hops=max_hops,
            first=first,
            min_tier=min_tier,
            via=via,
        )
        return [IntroductionPath(model=path) for path in found]


@strawberry.type
class KeyPersonMutation:
    @strawberry.mutation(
        permission_classes=PLANNER_WRITE,
        description="Record that a person reports to a manager (one at a time).",
    )
    async def set_reporting_line(
        self,
        info: Info,
        person_id: Annotated[strawberry.ID, strawberry.argument(description="The report.")],
        manager_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Their manager: not the person, nor anyone who reports to them, "
                "directly or not."
            ),
        ],
        since: Annotated[
            dt.date | None,
            strawberry.argument(description="The day the line began; not in the future."),
        ] = None,
        change: Annotated[
            ChangeNoteInput | None,
            strawberry.argument(
                description="Who, why, and when the line took effect (default: the since "
                "day, else now). Lines keep a history, so orgChart(asOf:) shows past ones."
            ),
        ] = None,
    ) -> Person | None:
        await resolve.set_reporting_line(
            info.context, person_id, manager_id, since, to_note(change)
        )
        return await load_person(info, person_id)

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Remove a person's reporting line; false if there was none.",
    )
    async def remove_reporting_line(
        self,
        info: Info,
        person_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The person whose line to their manager goes."),
        ],
        change: Annotated[
            ChangeNoteInput | None,
            strawberry.argument(
                description="Who, why, and when the removal took effect (now by default)."
            ),
        ] = None,
    ) -> bool | None:
        return await resolve.remove_reporting_line(info.context, person_id, to_note(change))
