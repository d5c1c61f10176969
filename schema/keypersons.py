"""Key-person maps, org charts, job moves and introduction paths, as GraphQL types and fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

import strawberry

from graph.core import models
from graph.db.errors import InvalidInput, NotFound
from graph.keypersons import callplan as cp
from graph.keypersons import maps as km
from graph.keypersons.callplan import CallAction, KeyPersonGap
from graph.keypersons.introductions import (
    MAX_BEST_HOPS,
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

for _enum in (CallAction, KeyPersonGap, PathStepKind):
    strawberry.enum(_enum)

# The map's entries and ties hold plain values, built once when the entries are answered: a
# field read from an attribute is a "basic" field to Strawberry, which skips its resolver
# wrapper (a `strawberry.Info`, argument conversion, the resolver's call). A map answers
# hundreds of fields (the benchmark's query: 723 for 49 people); with the people, roles and
# relationships of entries and ties as attributes too, its execution takes 22% less CPU.


@strawberry.type(description="A relationship one of our people holds with someone there.")
class OurRelationship:
    is_strongest: bool = strawberry.field(description="The strongest of this person's ties to us.")
    tier: PersonTier
    strength: float = strawberry.field(description=described("The relationship's strength."))
    level: RelationshipLevel | None
    last_updated: dt.datetime | None = strawberry.field(
        description="When the relationship last changed."
    )
    relationship: PersonRelationship
    our_person: Person = strawberry.field(description="Who on our side holds it.")


@strawberry.type(description="One person at the customer and our relationships with them.")
class KeyPersonEntry:
    is_key_person: bool
    is_executive: bool
    covered: bool = strawberry.field(
        description="Whether one of our relationships meets the coverage rule."
    )
    threads: int = strawberry.field(
        description="How many of our people hold a relationship with them."
    )
    desired_tier: PersonTier | None
    stance: Stance | None
    tier_gap: int | None = strawberry.field(
        description="Tiers from the strongest current tie up to the desired tier (no tie counts "
        "as one below passer-by); null without a desired tier."
    )
    person: Person
    roles: list[Role] = strawberry.field(description="Their current roles at the customer.")
    relationships: list[OurRelationship] = strawberry.field(
        description="Our people's relationships with them, strongest first."
    )
    strongest: OurRelationship | None


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


@strawberry.type
class TierCount:
    tier: PersonTier | None = strawberry.field(description="null: no relationship at all.")
    count: int


@strawberry.type(description="Figures over the key persons (not everyone) at the customer.")
class KeyPersonSummary:
    key_persons: int
    covered: int
    uncovered: int
    single_threaded: int = strawberry.field(
        description="Key persons whom only one of our people has a relationship with."
    )
    coverage_ratio: float | None = strawberry.field(
        description=described("covered / keyPersons; null without key persons.")
    )
    tier_distribution: list[TierCount] = strawberry.field(
        description="Key persons by the tier of their strongest tie to us."
    )
    reaches_executives: bool = strawberry.field(
        description="Some executive there has a covering relationship with one of our people."
    )


@strawberry.type(description="Where the company tier and the key-person map disagree.")
class TierMismatch:
    rule: str
    reason: str


@strawberry.type(description="Who the key persons at a customer are and who of ours knows them.")
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

    @strawberry.field(description="The closest tier of its relationships with our companies.")
    def tier_with_us(self) -> CompanyTier | None:
        return self.model.tier_with_us

    @strawberry.field
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

    @strawberry.field(description="Key persons first, then others; by seniority within each.")
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

    @strawberry.field
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
            int, strawberry.argument(description=f"At most {cp.MAX_STEPS} steps.")
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

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return await load_person(info, self.model.person_id)

    @strawberry.field
    def roles(self) -> list[Role]:
        return [from_model(Role, role) for role in self.model.roles]

    @strawberry.field
    def manager_id(self) -> strawberry.ID | None:
        return None if self.model.manager_id is None else strawberry.ID(self.model.manager_id)

    @strawberry.field(description="0 for the people who report to nobody there.")
    def depth(self) -> int:
        return self.model.depth

    @strawberry.field
    def reports(self) -> list[OrgChartNode]:
        return self.children


@strawberry.type(description="A customer's reporting lines among its current people.")
class OrgChart:
    roots: list[OrgChartNode]
    people: list[OrgChartNode] = strawberry.field(description="Everyone, managers first.")


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

    @strawberry.field
    def kind(self) -> PathStepKind:
        return hop_kind(self.tie)

    @strawberry.field
    async def from_person(self, info: Info) -> Person:
        return await load_person(info, self.from_id)

    @strawberry.field
    async def to_person(self, info: Info) -> Person:
        return await load_person(info, self.to_id)

    @strawberry.field(description="null for a reporting-line or colleague hop.")
    def relationship_id(self) -> strawberry.ID | None:
        if hop_kind(self.tie) is not PathStepKind.RELATIONSHIP:
            return None
        return strawberry.ID(self.tie.id)

    @strawberry.field(description="null for a reporting-line or colleague hop.")
    def tier(self) -> PersonTier | None:
        if hop_kind(self.tie) is not PathStepKind.RELATIONSHIP:
            return None
        return PersonTier(self.tie.tier)

    @strawberry.field(description=described("The tie's strength."))
    def strength(self) -> float:
        return rounded(self.tie.strength)


@strawberry.type(
    description=f"A chain of introductions. Strength is the product of the hops' strengths; "
    f"STRONG from {STRONG}, MODERATE from {MODERATE}, WEAK below."
)
class IntroductionPath:
    model: strawberry.Private[PathModel]

    @strawberry.field(description=described("The product of the hops' strengths."))
    def strength(self) -> float:
        return rounded(self.model.strength)

    @strawberry.field
    def hops(self) -> int:
        return self.model.hops

    @strawberry.field
    def label(self) -> PathLabel:
        return resolve.path_label(self.model)

    @strawberry.field(description="From the first person to the last.")
    async def people(self, info: Info) -> list[Person]:
        found = await info.context.loaders.people.load_many(list(self.model.person_ids))
        return [from_model(Person, person) for person in found]

    @strawberry.field
    def steps(self) -> list[PathStep]:
        ids = self.model.person_ids
        return [
            PathStep(tie=tie, from_id=ids[i], to_id=ids[i + 1])
            for i, tie in enumerate(self.model.ties)
        ]


@strawberry.type(description="The next step for a key person: who should act, and why.")
class CallStep:
    rank: int = strawberry.field(description="1 = call first.")
    action: CallAction
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
        description="The weight of the way in: the tie's strength now (the strength model's "
        "decay since it was last evaluated), or the path's strength."
    )
    score: float = strawberry.field(
        description="What the step changes (higher first): value factor x (coverage + tier "
        "gap + fading + buying role + seniority points)."
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

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return await load_person(info, self.model.role.person_id)

    @strawberry.field(description="The role they started.")
    def role(self) -> Role:
        return from_model(Role, self.model.role)

    @strawberry.field(description="The role they left.")
    def previous_role(self) -> Role:
        return from_model(Role, self.model.previous)

    @strawberry.field(description=described("The strongest of our relationships with them."))
    def strongest(self) -> float:
        return rounded(self.model.strongest)

    @strawberry.field
    def relationships(self) -> list[PersonRelationship]:
        return [from_model(PersonRelationship, tie) for tie in self.model.ties]


HopsArg = Annotated[int, strawberry.argument(description=f"At most {MAX_HOPS}.")]
ViaArg = Annotated[
    list[PathStepKind],
    strawberry.argument(
        description="The kinds of hop a path may take; REPORTING_LINE and COLLEAGUE join "
        "people with a current role at the target's customer (must include RELATIONSHIP)."
    ),
]
RELATIONSHIPS = [PathStepKind.RELATIONSHIP]  # the default: never changed in place
BestHopsArg = Annotated[int, strawberry.argument(description=f"At most {MAX_BEST_HOPS}.")]


@strawberry.type
class KeyPersonQuery:
    @strawberry.field(description="The key-person map of a customer.")
    async def key_person_map(
        self,
        info: Info,
        company_id: strawberry.ID,
        everyone: Annotated[
            bool, strawberry.argument(description="Also list people who are not key persons.")
        ] = False,
        covered_min_tier: Annotated[
            PersonTier, strawberry.argument(description="A tie at this tier or above covers.")
        ] = PersonTier.FRIEND,
        covered_min_strength: Annotated[
            float | None,
            strawberry.argument(
                description="If given, a tie this strong covers, whatever its tier."
            ),
        ] = None,
        min_covered_key_persons: Annotated[
            int,
            strawberry.argument(
                description="Covered key persons a preferred supplier should have."
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
        company_id: strawberry.ID,
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
        self, info: Info, days: int = 90, min_tier: PersonTier = PersonTier.FRIEND
    ) -> list[Move]:
        return [Move(model=m) for m in await resolve.recent_moves(info.context, days, min_tier)]

    @strawberry.field(description="The strongest simple paths from one person to another.")
    async def introduction_paths(
        self,
        info: Info,
        from_person_id: strawberry.ID,
        to_person_id: strawberry.ID,
        max_hops: HopsArg = 4,
        first: int = 5,
        min_tier: Annotated[
            PersonTier | None,
            strawberry.argument(description="Every relationship hop at least this tier."),
        ] = None,
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
        to_person_id: strawberry.ID | None = None,
        to_company_id: strawberry.ID | None = None,
        key_persons_only: bool = False,
        max_hops: BestHopsArg = 3,
        first: int = 5,
        min_tier: PersonTier | None = None,
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
        person_id: strawberry.ID,
        manager_id: strawberry.ID,
        since: dt.date | None = None,
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
        self, info: Info, person_id: strawberry.ID, change: ChangeNoteInput | None = None
    ) -> bool | None:
        return await resolve.remove_reporting_line(info.context, person_id, to_note(change))
