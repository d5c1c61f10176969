"""Evolution in GraphQL: history, time travel, the interaction chain, strength, health,
fading relationships."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph.core import history as hist
from graph.core.inputs import validate
from graph.evolution import interactions as gi
from graph.evolution import measures as gm
from graph.evolution import strength as st
from graph.evolution import timelines as ev
from resolvers import evolution as resolve
from resolvers.pagination import window
from schema.auth import PLANNER_WRITE
from schema.enums import (
    ChangeCategory,
    EvidenceKind,
    InteractionKind,
    LifecycleStage,
    Operation,
    SubjectKind,
    Trend,
)
from schema.history import recorded_by_description
from schema.inputs import IdempotencyKey
from schema.node import Node
from schema.pagination import After, Connection, First, backward_paging
from schema.rounding import described, rounded, rounded_json, rounded_or_none
from schema.types import (
    Company,
    Info,
    Person,
    PersonRelationship,
    from_model,
    load_company,
    load_person,
)


async def _people(info: Info, ids: list[str]) -> list[Person]:
    """The people still in the graph, in order (a deleted one is left out)."""
    found = await info.context.loaders.people.load_many(ids)
    return [from_model(Person, p) for p in found if p is not None]


@strawberry.type(
    description="A logged meeting, call, visit… between our people and theirs: a link in the "
    "seeds' unbroken chain of customer information, and a deposit in the strength of each "
    "relationship between them."
)
class Interaction(Node):
    model: strawberry.Private[gi.Interaction]
    # the model's, set by __post_init__
    id: strawberry.ID = strawberry.field(default=strawberry.ID(""), description="Its id (in_…).")

    def __post_init__(self) -> None:
        self.id = strawberry.ID(self.model.id)

    @strawberry.field(description="The id another system gave it, if it was logged with one.")
    def external_id(self) -> str | None:
        return self.model.external_id

    @strawberry.field(
        description="What kind of contact it was; the kind sets its deposit in the strength "
        "model (a meal or a visit most, an email or a message least)."
    )
    def kind(self) -> InteractionKind:
        return self.model.kind

    @strawberry.field(description="When it was held.")
    def at(self) -> dt.datetime:
        return self.model.at

    @strawberry.field(
        description="From when it counts in strengths: when it was held, or the latest "
        "change of its relationships if it was logged after that."
    )
    def applied_at(self) -> dt.datetime:
        return self.model.applied_at

    @strawberry.field(description="What came of it, as logged.")
    def summary(self) -> str | None:
        return self.model.summary

    @strawberry.field(
        description="How it went, from -2 (badly) to +2 (very well): its deposit is the kind's "
        "weight times -1, -0.5, 0.5, 1 or 1.5 (by default), so a contact that went badly is a "
        "withdrawal."
    )
    def sentiment(self) -> int:
        return self.model.sentiment

    @strawberry.field(description="The follow-up agreed, if any.")
    def follow_up(self) -> str | None:
        return self.model.follow_up

    @strawberry.field(description="When the follow-up is due, if set.")
    def follow_up_date(self) -> dt.date | None:
        return self.model.follow_up_date

    @strawberry.field(
        description="On whose behalf it was logged, as the client wrote it (`by`); null if "
        "not given."
    )
    def by(self) -> str | None:
        return self.model.by

    @strawberry.field(description=recorded_by_description("logged it", "it was logged"))
    def recorded_by(self) -> str | None:
        return self.model.credential

    @strawberry.field(
        description="Our people who took part, in the order logged (one deleted since is left out)."
    )
    async def our_people(self, info: Info) -> list[Person]:
        return await _people(info, self.model.our_person_ids)

    @strawberry.field(
        description="The customer's people who took part, in the order logged (one deleted "
        "since is left out)."
    )
    async def their_people(self, info: Info) -> list[Person]:
        return await _people(info, self.model.their_person_ids)

    @strawberry.field(
        description="The customers it concerns: the one given when it was logged, else the "
        "companies (not ours) where their people held a current role then."
    )
    async def companies(self, info: Info) -> list[Company]:
        found = await info.context.loaders.companies.load_many(self.model.company_ids)
        return [from_model(Company, c) for c in found if c is not None]

    @strawberry.field(
        description="The previous interaction of each pair of people taking part: walk "
        "these to follow the chain back."
    )
    async def previous(self, info: Info) -> list[Interaction]:
        found = await resolve.interactions_by_id(info.context, self.model.previous_ids)
        return [Interaction(model=i) for i in found if i is not None]

    @strawberry.field(
        description="The relationships whose strength it moved: one per pair of one of ours and "
        "one of theirs (a first contact created one, at 过客 passer-by)."
    )
    async def relationships(self, info: Info) -> list[PersonRelationship]:
        found = await info.context.loaders.relationships.load_many(self.model.relationship_ids)
        return [from_model(PersonRelationship, r) for r in found if r is not None]


@strawberry.type(description="One recorded change: append-only, never edited.")
class Change(Node):
    model: strawberry.Private[hist.Change]
    # the model's, set by __post_init__
    id: strawberry.ID = strawberry.field(default=strawberry.ID(""), description="Its id.")

    def __post_init__(self) -> None:
        self.id = strawberry.ID(self.model.id)

    @strawberry.field(
        description="When it took effect: the change's `at` when one was given, else by default "
        "when it was written (a reporting line's since day; an interaction's appliedAt); never "
        "before the subject's previous change."
    )
    def at(self) -> dt.datetime:
        return self.model.at

    @strawberry.field(description="What kind of item changed.")
    def subject_kind(self) -> SubjectKind:
        return self.model.subject_kind

    @strawberry.field(
        description="The id of the item changed: a relationship, company relationship, role, "
        "company, referral, or a person's reporting line (rl_<personId>)."
    )
    def subject_id(self) -> strawberry.ID:
        return strawberry.ID(self.model.subject_id)

    @strawberry.field(description="Whether it created, updated or deleted the item.")
    def operation(self) -> Operation:
        return self.model.operation

    @strawberry.field(description="The recorded fields that changed (all of them on creation).")
    def changed(self) -> list[str]:
        return self.model.changed

    @strawberry.field(description=described("The recorded fields before (null on creation)."))
    def before(self) -> JSON | None:
        return None if self.model.before is None else JSON(rounded_json(self.model.before))

    @strawberry.field(description=described("The recorded fields after (null on deletion)."))
    def after(self) -> JSON | None:
        return None if self.model.after is None else JSON(rounded_json(self.model.after))

    @strawberry.field(
        description="On whose behalf it was made, as the client wrote it (change.by); null "
        "if not given."
    )
    def by(self) -> str | None:
        return self.model.by

    @strawberry.field(description=recorded_by_description("made it", "it was recorded"))
    def recorded_by(self) -> str | None:
        return self.model.credential

    @strawberry.field(
        description='Why, as given (change.reason); for an interaction, e.g. "meeting logged".'
    )
    def reason(self) -> str | None:
        return self.model.reason

    @strawberry.field(
        description="Where the strength changed, what moved it: MANUAL (a person set it) or "
        "INTERACTION (a logged interaction); null when the strength did not change."
    )
    def evidence_kind(self) -> EvidenceKind | None:
        return self.model.evidence_kind

    @strawberry.field(description="The interaction that moved the strength, if one did.")
    async def interaction(self, info: Info) -> Interaction | None:
        if self.model.evidence_id is None:
            return None
        found = await resolve.interaction(info.context, self.model.evidence_id)
        return None if found is None else Interaction(model=found)


@strawberry.type(description="A stretch of time a company spent in one lifecycle stage.")
class StagePeriod:
    model: strawberry.Private[ev.StagePeriod]

    @strawberry.field(
        description="The lifecycle stage: 考察期 exploration, 形成期 formation, 稳定期 "
        "stability or 衰退期 decline; null for a stretch when the stage was cleared."
    )
    def stage(self) -> LifecycleStage | None:
        return self.model.stage

    @strawberry.field(description="When the recorded change into this stage took effect.")
    def start(self) -> dt.datetime:
        return self.model.start

    @strawberry.field(description="Null while the company is still in this stage.")
    def end(self) -> dt.datetime | None:
        return self.model.end

    @strawberry.field(
        description="Whole days in this stage (so far, for the current one), rounded down."
    )
    def days(self) -> int:
        return self.model.days

    @strawberry.field(
        description="On whose behalf the change into this stage was made, as the client wrote "
        "it (change.by)."
    )
    def by(self) -> str | None:
        return self.model.by

    @strawberry.field(
        description=recorded_by_description("made the change into this stage", "it was recorded")
    )
    def recorded_by(self) -> str | None:
        return self.model.credential

    @strawberry.field(description="Why, as recorded with that change.")
    def reason(self) -> str | None:
        return self.model.reason


@strawberry.type(description="One net move in a customer's neighbourhood between two dates.")
class NeighbourhoodChange:
    model: strawberry.Private[ev.NeighbourhoodChange]

    @strawberry.field(description="What kind of move it is.")
    def category(self) -> ChangeCategory:
        return self.model.category

    @strawberry.field(
        description="What moved: a role there, a relationship of its people, a company "
        "relationship, or the company itself."
    )
    def subject_kind(self) -> SubjectKind:
        return self.model.subject_kind

    @strawberry.field(description="The id of the item that moved.")
    def subject_id(self) -> strawberry.ID:
        return strawberry.ID(self.model.subject_id)

    @strawberry.field(description="The field that moved (null for new or removed items).")
    def field(self) -> str | None:
        return self.model.field

    @strawberry.field(description=described("Its value at the start of the window."))
    def before(self) -> JSON | None:
        return None if self.model.before is None else JSON(rounded_json(self.model.before))

    @strawberry.field(description=described("Its value at the end of the window."))
    def after(self) -> JSON | None:
        return None if self.model.after is None else JSON(rounded_json(self.model.after))

    @strawberry.field(description="When the last change behind this move took effect.")
    def at(self) -> dt.datetime:
        return self.model.at

    @strawberry.field(
        description="How many recorded changes this move sums up (0 for a role that started or "
        "ended in the window by its dates, without a change recorded then)."
    )
    def changes(self) -> int:
        return self.model.changes


@strawberry.type(description="How many moves of one category a customer saw in the window.")
class CategoryCount:
    category: ChangeCategory = strawberry.field(description="A category of move.")
    count: int = strawberry.field(description="Moves of that category.")


@strawberry.type(description="What changed at a customer between two dates.")
class CustomerChanges:
    company_id: strawberry.Private[str]
    start: dt.datetime = strawberry.field(
        name="from", description="The start of the window (included)."
    )
    end: dt.datetime = strawberry.field(name="to", description="The end of the window (excluded).")
    changes: list[NeighbourhoodChange] = strawberry.field(
        description="The net moves, by the time of their last change, then category, item id "
        "and field."
    )

    @strawberry.field(description="The customer.")
    async def company(self, info: Info) -> Company:
        return await load_company(info, self.company_id)

    @strawberry.field(description="How many moves of each category (only those with a move).")
    def counts(self) -> list[CategoryCount]:
        counted: dict[ev.ChangeCategory, int] = {}
        for change in self.changes:
            counted[change.model.category] = counted.get(change.model.category, 0) + 1
        return [CategoryCount(category=c, count=n) for c, n in counted.items()]


@strawberry.type(description="One item behind a strength and what is left of it.")
class StrengthContribution:
    model: strawberry.Private[st.Deposit]
    source: EvidenceKind = strawberry.field(
        description="MANUAL for the strength last set by hand, INTERACTION for a logged "
        "interaction."
    )
    interaction: Interaction | None = strawberry.field(
        description="The interaction, for an INTERACTION item; null for the manual setting."
    )

    @strawberry.field(description="When it was made (held, for an interaction).")
    def at(self) -> dt.datetime:
        return hist.from_ms(self.model.at_ms)

    @strawberry.field(description="Who set the strength (for a manual setting).")
    def by(self) -> str | None:
        return self.model.by

    @strawberry.field(
        description=described(
            "Its full worth when made: the strength set by hand, or the interaction's deposit "
            "(the kind's weight times the sentiment's factor; negative for a withdrawal)."
        )
    )
    def value(self) -> float:
        return rounded(self.model.value)

    @strawberry.field(
        description=described(
            "The share of it left when the strength was computed, 0 to 1: 0.5 ** (days from "
            "when it was made to then / halfLifeDays)."
        )
    )
    def remaining(self) -> float:
        return rounded(self.model.left)

    @strawberry.field(description=described("What it adds to the strength: value x remaining."))
    def contribution(self) -> float:
        return rounded(self.model.contribution)


@strawberry.type(description="Why a relationship's strength is what it is, at a time.")
class StrengthExplanation:
    model: strawberry.Private[ev.StrengthExplanation]

    @strawberry.field(description="The relationship explained, as it is now.")
    async def relationship(self, info: Info) -> PersonRelationship:
        found = await info.context.loaders.relationships.load(self.model.relationship_id)
        return from_model(PersonRelationship, found)

    @strawberry.field(description="The time asked about.")
    def at(self) -> dt.datetime:
        return self.model.at

    @strawberry.field(
        description="When the strength in effect then was computed: the latest of the manual "
        "setting and the interactions applied by then; null when there is neither."
    )
    def evaluated_at(self) -> dt.datetime | None:
        return self.model.evaluated_at

    @strawberry.field(
        description=described("The strength: the sum of the contributions, kept in [0, 1].")
    )
    def strength(self) -> float:
        return rounded(self.model.strength)

    @strawberry.field(
        description=described("The sum of the contributions before keeping it in [0, 1].")
    )
    def raw(self) -> float:
        return rounded(self.model.raw)

    @strawberry.field(
        description="The strength model's half-life in days (GUANXI_STRENGTH_HALF_LIFE_DAYS, 90 "
        "by default): every item counts half as much after it, a quarter after twice it."
    )
    def half_life_days(self) -> float:
        return self.model.half_life_days

    @strawberry.field(description="The manual setting first, then each interaction.")
    def contributions(self) -> list[StrengthContribution]:
        found = []
        for deposit in self.model.deposits:
            # an interaction the credential does not see (account teams) is not named
            interaction = (
                None
                if deposit.interaction_id is None
                else self.model.interactions.get(deposit.interaction_id)
            )
            found.append(
                StrengthContribution(
                    model=deposit,
                    source=hist.EvidenceKind.MANUAL
                    if deposit.interaction_id is None
                    else hist.EvidenceKind.INTERACTION,
                    interaction=None if interaction is None else Interaction(model=interaction),
                )
            )
        return found


@strawberry.type(description="Health (0-100): strength mixed with how recent the last contact.")
class RelationshipHealth:
    model: strawberry.Private[ev.Health]

    @strawberry.field(
        description="Health at asOf, 0 to 100: 100 x (0.7 x strength + 0.3 x recency), rounded "
        "to a whole number (the 0.7 is GUANXI_STRENGTH_HEALTH_STRENGTH_WEIGHT)."
    )
    def health(self) -> int:
        return self.model.health

    @strawberry.field(
        description="Health at the start of the window (windowDays before asOf), worked out "
        "the same way."
    )
    def previous(self) -> int:
        return self.model.previous

    @strawberry.field(
        description="UP when health rose by more than 5 points over the window, DOWN when it "
        "fell by more than 5, else FLAT (the 5 is GUANXI_STRENGTH_TREND_THRESHOLD)."
    )
    def trend(self) -> Trend:
        return self.model.trend

    @strawberry.field(
        description=described(
            "The strength recorded as in effect at asOf (as computed at the last interaction "
            "or setting, not decayed since: recency shows the silence)."
        )
    )
    def strength(self) -> float:
        return rounded(self.model.strength)

    @strawberry.field(
        description=described(
            "1 just after a contact, halving every half-life since; 0 when there was none."
        )
    )
    def recency(self) -> float:
        return rounded(self.model.recency)

    @strawberry.field(
        description="When the last interaction on it held by asOf took place; null if none."
    )
    def last_interaction_at(self) -> dt.datetime | None:
        return self.model.last_interaction_at

    @strawberry.field(description="The window the trend compares over, in days.")
    def window_days(self) -> int:
        return self.model.window_days


@strawberry.type(description="A relationship of ours at a customer that is fading.")
class FadingRelationship:
    model: strawberry.Private[ev.FadingRelationship]

    @strawberry.field(description="The relationship, as it is now.")
    def relationship(self) -> PersonRelationship:
        return from_model(PersonRelationship, self.model.relationship)

    @strawberry.field(description="Our person who holds it (a current role at one of ours).")
    async def our_person(self, info: Info) -> Person:
        return await load_person(info, self.model.our_person_id)

    @strawberry.field(description="Their person, with a current role at the customer.")
    async def their_person(self, info: Info) -> Person:
        return await load_person(info, self.model.their_person_id)

    @strawberry.field(description="The customer where their person holds that role.")
    async def company(self, info: Info) -> Company:
        return await load_company(info, self.model.company_id)

    @strawberry.field(
        description=described(
            "The strength in effect at the start of the window, decayed to then by the "
            "strength model."
        )
    )
    def strength_before(self) -> float:
        return rounded(self.model.strength_before)

    @strawberry.field(
        description=described("The strength in effect now, decayed to now by the strength model.")
    )
    def strength_now(self) -> float:
        return rounded(self.model.strength_now)

    @strawberry.field(
        description=described(
            "How much the strength fell over the window: strengthBefore - strengthNow (negative "
            "when it rose). Silence counts (decay), and so do interactions that went badly."
        )
    )
    def drop(self) -> float:
        return rounded(self.model.drop)

    @strawberry.field(description="Days since the last interaction; null if there was none.")
    def days_silent(self) -> int | None:
        return self.model.days_silent

    @strawberry.field(
        description="The customer's deal revenue: the amounts of all its deals added, whatever "
        "their currency (it ranks customers of one value class)."
    )
    def revenue(self) -> float:
        return self.model.revenue

    @strawberry.field(
        description="Why it is listed, in words: its fall over the window, its days without "
        "an interaction, or both."
    )
    def reasons(self) -> list[str]:
        return self.model.reasons


@strawberry.type(
    description="The seeds' three measures of a customer relationship: length (关系长度: how "
    "long it lasts, its lifecycle stage), depth (关系深度: its quality, repeat purchases, "
    "cross-selling, referrals) and breadth (关系广度: here, how many relationships we hold at "
    "the customer)."
)
class RelationshipMeasures:
    model: strawberry.Private[gm.RelationshipMeasures]

    @strawberry.field(description="The customer.")
    async def company(self, info: Info) -> Company:
        return await load_company(info, self.model.company_id)

    @strawberry.field(
        description="Length: the earliest of the business relationship's start, the first "
        "deal and the first interaction."
    )
    def since(self) -> dt.date | None:
        return self.model.since

    @strawberry.field(
        description="Length: years from since to today (365.25 days a year), to 2 decimals; "
        "null without a since."
    )
    def years(self) -> float | None:
        return self.model.years

    @strawberry.field(
        description="Length: the company's lifecycle stage now: 考察期 exploration, 形成期 "
        "formation, 稳定期 stability or 衰退期 decline."
    )
    def stage(self) -> LifecycleStage | None:
        return self.model.stage

    @strawberry.field(
        description="Length: since when it has been in that stage (its last recorded stage "
        "change); null when none is recorded."
    )
    def stage_since(self) -> dt.datetime | None:
        return self.model.stage_since

    @strawberry.field(
        description="Length: whole days since stageSince; null when no stage change is recorded."
    )
    def days_in_stage(self) -> int | None:
        return self.model.days_in_stage

    @strawberry.field(description="Depth: deals recorded.")
    def deal_count(self) -> int:
        return self.model.deal_count

    @strawberry.field(description="Depth: deal revenue (amounts added whatever the currency).")
    def revenue(self) -> float:
        return self.model.revenue

    @strawberry.field(
        description="Depth: repeat purchases (重复购买), deals beyond the first in each product "
        "line."
    )
    def repeat_purchases(self) -> int:
        return self.model.repeat_purchases

    @strawberry.field(
        description="Depth: cross-selling (交叉销售), product lines bought beyond the first."
    )
    def cross_sell(self) -> int:
        return self.model.cross_sell

    @strawberry.field(
        description="Depth: referrals (推荐) made by the customer and by its current people."
    )
    def referrals(self) -> int:
        return self.model.referrals

    @strawberry.field(description="Interactions logged about the customer.")
    def interactions(self) -> int:
        return self.model.interactions

    @strawberry.field(
        description="Breadth: our people (a current role at one of ours) who know one of its "
        "current people."
    )
    def our_people(self) -> int:
        return self.model.our_people

    @strawberry.field(description="Breadth: their current people one of ours knows.")
    def their_people_known(self) -> int:
        return self.model.their_people_known

    @strawberry.field(
        description="Breadth: its current people, counted by current role (someone holding two "
        "roles there counts twice)."
    )
    def their_people(self) -> int:
        return self.model.their_people

    @strawberry.field(
        description="Breadth: relationships between our people and its current people."
    )
    def relationships(self) -> int:
        return self.model.relationships

    @strawberry.field(
        description=described(
            "Breadth: theirPeopleKnown / theirPeople, 0 to 1; null without current people."
        )
    )
    def coverage(self) -> float | None:
        return rounded_or_none(self.model.coverage)


@strawberry.input(description="Whose interactions to list: give exactly one.")
class InteractionFilter:
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="The interactions this person took part in."
    )
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="The interactions about this customer."
    )
    relationship_id: strawberry.ID | None = strawberry.field(
        default=None, description="The interactions that moved this relationship's strength."
    )


@strawberry.input(
    description="An interaction to log: who took part on each side, when, and what came of it."
)
class InteractionInput:
    kind: InteractionKind = strawberry.field(
        description="What kind of contact; it sets the deposit (a meal or a visit most, an "
        "email or a message least)."
    )
    at: dt.datetime = strawberry.field(
        description="When it was held; not in the future (5 minutes' grace), not before 1900."
    )
    our_person_ids: list[strawberry.ID] = strawberry.field(
        description=f"Our people who took part, 1 to {gi.MAX_OURS}, each once, each with a "
        "current role at one of our companies."
    )
    their_person_ids: list[strawberry.ID] = strawberry.field(
        description=f"Their people who took part, 1 to {gi.MAX_THEIRS}, each once, none of "
        "them ours."
    )
    company_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The customer it concerns; by default the companies of their people.",
    )
    summary: str | None = strawberry.field(
        default=None, description="What came of it, up to 5,000 characters."
    )
    sentiment: int = strawberry.field(
        default=0,
        description="How it went, from -2 (badly) to +2 (very well); 0, neutral, by default.",
    )
    follow_up: str | None = strawberry.field(
        default=None, description="The follow-up agreed, up to 5,000 characters."
    )
    follow_up_date: dt.date | None = strawberry.field(
        default=None, description="When the follow-up is due; not before the interaction's day."
    )
    by: str | None = strawberry.field(
        default=None, description="Who logs it, up to 200 characters."
    )
    external_id: str | None = strawberry.field(
        default=None,
        description="The id another system gave it: logging the same external id again "
        "changes nothing and returns the interaction logged first.",
    )


_AS_OF = "The state at this time (now if left out)."
_RELATIONSHIP = "The id of a person-to-person relationship."


@strawberry.type
class EvolutionQuery:
    @backward_paging
    @strawberry.field(
        description="The changes of the relationship between two people or two companies, "
        "oldest first."
    )
    async def relationship_history(
        self,
        info: Info,
        a: Annotated[
            strawberry.ID, strawberry.argument(description="One person's or company's id.")
        ],
        b: Annotated[
            strawberry.ID,
            strawberry.argument(description="The other person's or company's id (not a)."),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Change]:
        offset, limit = window(first, after)
        page = await resolve.relationship_history(info.context, a, b, offset, limit)
        return Connection.from_page(page, lambda c: Change(model=c))

    @backward_paging
    @strawberry.field(description="The changes of one company, role or relationship, oldest first.")
    async def change_history(
        self,
        info: Info,
        subject_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The id of a company, role, relationship, company relationship or "
                "referral, or rl_<personId> for a person's reporting line."
            ),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Change]:
        offset, limit = window(first, after)
        page = await resolve.subject_history(info.context, subject_id, offset, limit)
        return Connection.from_page(page, lambda c: Change(model=c))

    @strawberry.field(description="A company's lifecycle stages over time, oldest first.")
    async def lifecycle_timeline(
        self,
        info: Info,
        company_id: Annotated[strawberry.ID, strawberry.argument(description="The company.")],
    ) -> list[StagePeriod]:
        found = await resolve.lifecycle_timeline(info.context, company_id)
        return [StagePeriod(model=p) for p in found]

    @strawberry.field(
        description="What changed at a customer between two dates: new and ended roles, tier "
        "and strength moves, stage and status changes (net of moves that cancel out)."
    )
    async def customer_changes(
        self,
        info: Info,
        company_id: Annotated[strawberry.ID, strawberry.argument(description="The customer.")],
        start: Annotated[
            dt.datetime,
            strawberry.argument(name="from", description="The start of the window (included)."),
        ],
        end: Annotated[
            dt.datetime,
            strawberry.argument(
                name="to", description="The end of the window (excluded); after from."
            ),
        ],
    ) -> CustomerChanges:
        found = await resolve.neighbourhood_diff(info.context, company_id, start, end)
        return CustomerChanges(
            company_id=company_id,
            start=start,
            end=end,
            changes=[NeighbourhoodChange(model=c) for c in found],
        )

    @strawberry.field(description="Length, depth and breadth of our relationship with a customer.")
    async def relationship_measures(
        self,
        info: Info,
        company_id: Annotated[strawberry.ID, strawberry.argument(description="The customer.")],
    ) -> RelationshipMeasures:
        found = await resolve.relationship_measures(info.context, company_id)
        return RelationshipMeasures(model=found)

    @strawberry.field(description="An interaction by id; null when there is none.")
    async def interaction(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The interaction's id.")],
    ) -> Interaction | None:
        found = await resolve.interaction(info.context, id)
        return None if found is None else Interaction(model=found)

    @backward_paging
    @strawberry.field(
        description="Interactions of a person, a company or a relationship, newest first."
    )
    async def interactions(
        self,
        info: Info,
        filter: Annotated[
            InteractionFilter,
            strawberry.argument(
                description="Whose: a person's, a company's or a relationship's (exactly one)."
            ),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Interaction]:
        offset, limit = window(first, after)
        page = await resolve.interaction_page(
            info.context,
            person_id=filter.person_id,
            company_id=filter.company_id,
            relationship_id=filter.relationship_id,
            offset=offset,
            limit=limit,
        )
        return Connection.from_page(page, lambda i: Interaction(model=i))

    @strawberry.field(
        description="The manual setting and the interactions behind a relationship's "
        "strength, with what each contributes."
    )
    async def strength_explanation(
        self,
        info: Info,
        relationship_id: Annotated[strawberry.ID, strawberry.argument(description=_RELATIONSHIP)],
        as_of: Annotated[dt.datetime | None, strawberry.argument(description=_AS_OF)] = None,
    ) -> StrengthExplanation:
        found = await resolve.explain_strength(info.context, relationship_id, as_of)
        return StrengthExplanation(model=found)

    @strawberry.field(description="A relationship's health (0-100) and its trend over a window.")
    async def relationship_health(
        self,
        info: Info,
        relationship_id: Annotated[strawberry.ID, strawberry.argument(description=_RELATIONSHIP)],
        as_of: Annotated[dt.datetime | None, strawberry.argument(description=_AS_OF)] = None,
        window_days: Annotated[
            int,
            strawberry.argument(
                description=f"How many days before asOf the trend compares with, 1 to "
                f"{ev.MAX_WINDOW_DAYS:,}."
            ),
        ] = 90,
    ) -> RelationshipHealth:
        found = await resolve.relationship_health(info.context, relationship_id, as_of, window_days)
        return RelationshipHealth(model=found)

    @backward_paging
    @strawberry.field(
        description="Our relationships at customers whose strength fell by more than "
        "`minDrop` over `windowDays`, or with no interaction for `silentDays` (null turns a "
        "test off); most valuable customers first. The fall is the strength model's: the "
        "strength in effect at the window's start decayed to then, against the strength in "
        "effect now decayed to now."
    )
    async def fading_relationships(
        self,
        info: Info,
        min_drop: Annotated[
            float | None,
            strawberry.argument(
                description="List a tie whose strength fell by more than this over the "
                "window, 0 to 1; null turns this test off."
            ),
        ] = 0.1,
        window_days: Annotated[
            int,
            strawberry.argument(
                description=f"The window of the fall, in days back from now, 1 to "
                f"{ev.MAX_WINDOW_DAYS:,}."
            ),
        ] = 90,
        silent_days: Annotated[
            int | None,
            strawberry.argument(
                description=f"List a tie with no interaction for at least this many days (from "
                f"when it was recorded if it never had one), 1 to {ev.MAX_WINDOW_DAYS:,}; null "
                f"turns this test off (give it or minDrop)."
            ),
        ] = 90,
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the ties at this customer; all if left out."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[FadingRelationship]:
        offset, limit = window(first, after)
        page = await resolve.fading_relationships(
            info.context,
            min_drop=min_drop,
            window_days=window_days,
            silent_days=silent_days,
            company_id=company_id,
            offset=offset,
            limit=limit,
        )
        return Connection.from_page(page, lambda f: FadingRelationship(model=f))


@strawberry.type
class EvolutionMutation:
    @strawberry.mutation(
        permission_classes=PLANNER_WRITE,
        description="Log an interaction: it joins the chain of each pair taking part and "
        "moves the strength of their relationships (a first contact creates one).",
    )
    async def log_interaction(
        self,
        info: Info,
        input: Annotated[
            InteractionInput, strawberry.argument(description="The interaction to log.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Interaction | None:
        data = {
            "kind": input.kind,
            "at": input.at,
            "ourPersonIds": [str(i) for i in input.our_person_ids],
            "theirPersonIds": [str(i) for i in input.their_person_ids],
            "companyId": input.company_id,
            "summary": input.summary,
            "sentiment": input.sentiment,
            "followUp": input.follow_up,
            "followUpDate": input.follow_up_date,
            "by": input.by,
            "externalId": input.external_id,
        }
        fields = validate(gi.InteractionFields, data)
        return Interaction(
            model=await resolve.log_interaction(info.context, fields, idempotency_key)
        )
