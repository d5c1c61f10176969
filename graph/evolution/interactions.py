"""Logging interactions, the chain they form, and the strength they move.

`log_interaction` writes, in one transaction: the interaction, who took part on each side, the
customers it concerns, a link to the previous interaction of each pair of people taking part,
and for each pair (one of ours, one of theirs) the relationship's new strength by the model of
graph/evolution/strength.py, recorded in the history with the interaction as its evidence. A
pair with no relationship yet gets one, as passers-by.

An interaction counts from the time it was held, or, when it is logged after a later change of
one of its relationships, from that change on: recorded history is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from graph.core import figures, kinds
from graph.core.events import InteractionLogged
from graph.core.history import (
    FUTURE_TOLERANCE,
    ChangeNote,
    ChangeRecord,
    Effective,
    EvidenceKind,
    SubjectKind,
    from_ms,
    record,
    to_ms,
)
from graph.core.idempotency import Idempotency, create_once
from graph.core.inputs import Fields, Notes, checked_external_id, checked_instant
from graph.core.models import Page, PersonRelationship, PersonTier, to_date, to_datetime
from graph.core.reads import checked_external_ids
from graph.core.writes import create_edge_in
from graph.cypher.evolution import interactions as cypher
from graph.db import recorder
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound
from graph.evolution.strength import InteractionKind, StrengthModel, clamp, configured_model

MAX_OURS = 20
MAX_THEIRS = 50
LOCAL_DAY_BEHIND = dt.timedelta(hours=12)  # the furthest a local clock is behind UTC

Ids = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(min_length=1)]


class InteractionFields(Fields):
    kind: InteractionKind
    at: dt.datetime
    our_person_ids: Annotated[Ids, Field(max_length=MAX_OURS)]
    their_person_ids: Annotated[Ids, Field(max_length=MAX_THEIRS)]
    company_id: str | None = None
    summary: Notes | None = None
    sentiment: Annotated[int, Field(ge=-2, le=2)] = 0
    follow_up: Notes | None = None
    follow_up_date: dt.date | None = None
    by: Annotated[str, Field(min_length=1, max_length=200)] | None = None

    @field_validator("our_person_ids", "their_person_ids")
    @classmethod
    def _distinct(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("lists a person twice")
        return ids

    @field_validator("at")
    @classmethod
    def _not_future(cls, at: dt.datetime) -> dt.datetime:
        at = checked_instant(at)  # from 1900 on: nothing earlier is a meeting we held
        if at > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            raise ValueError("must not be in the future")
        return at

    @field_validator("follow_up_date")
    @classmethod
    def _follow_up_after(cls, date: dt.date | None, info: ValidationInfo) -> dt.date | None:
        at: dt.datetime | None = info.data.get("at")  # absent when `at` itself was refused
        # `at` is in UTC here and the sender's day may be the one before (offsets down to
        # -12:00): refused only before the interaction's day in every time zone
        if date is not None and at is not None and date < (at - LOCAL_DAY_BEHIND).date():
            raise ValueError(f"must not be before the interaction ({at.isoformat()})")
        return date

    @model_validator(mode="after")
    def _sides_apart(self) -> InteractionFields:
        both = set(self.our_person_ids) & set(self.their_person_ids)
        if both:
            raise ValueError(f"theirPersonIds: '{sorted(both)[0]}' is also in ourPersonIds")
        return self


@dataclass(frozen=True)
class Interaction:
    id: str
    external_id: str | None
    kind: InteractionKind
    at: dt.datetime
    applied_at: dt.datetime
    summary: str | None
    sentiment: int
    follow_up: str | None
    follow_up_date: dt.date | None
    by: str | None  # on whose behalf, as the client wrote it
    our_person_ids: list[str]
    their_person_ids: list[str]
    company_ids: list[str]
    previous_ids: list[str]
    relationship_ids: list[str]
    seq: int = 0  # orders interactions applied in the same millisecond (logging order)
    credential: str | None = None  # the credential that logged it (None: logged before it was kept)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Interaction:
        return cls(
            id=row["id"],
            external_id=row.get("externalId"),
            kind=InteractionKind(row["kind"]),
            at=from_ms(int(row["atMs"])),
            applied_at=from_ms(int(row["appliedAtMs"])),
            summary=row.get("summary"),
            sentiment=int(row.get("sentiment") or 0),
            follow_up=row.get("followUp"),
            follow_up_date=to_date(row.get("followUpDate")),
            by=row.get("by"),
            our_person_ids=list(row.get("ourPersonIds") or []),
            their_person_ids=list(row.get("theirPersonIds") or []),
            company_ids=list(row.get("companyIds") or []),
            previous_ids=list(row.get("previousIds") or []),
            relationship_ids=list(row.get("relationshipIds") or []),
            seq=int(row.get("seq") or 0),
            credential=row.get("credential"),
        )


def _check_people(tx: Tx, fields: InteractionFields) -> list[str]:
    """Refuse unknown people and sides mixed up; returns the customers concerned."""
    ours, theirs = fields.our_person_ids, fields.their_person_ids
    rows = {row["id"]: row for row in tx.run(cypher.INTERACTION_PEOPLE, ids=[*ours, *theirs])}
    for side, ids in (("ourPersonIds", ours), ("theirPersonIds", theirs)):
        for id_ in ids:
            if not rows[id_]["found"]:
                raise NotFound("person", id_, field=side)
    for id_ in ours:
        if not rows[id_]["isOurs"]:
            raise InvalidInput(
                f"ourPersonIds: '{id_}' holds no current role at one of our companies",
                field="ourPersonIds",
            )
    for id_ in theirs:
        if rows[id_]["isOurs"]:
            raise InvalidInput(
                f"theirPersonIds: '{id_}' is one of our people; list them in ourPersonIds",
                field="theirPersonIds",
            )
    if fields.company_id is not None:
        if not tx.run(kinds.COMPANY.statements.by_id, ids=[fields.company_id]):
            raise NotFound("company", fields.company_id, field="companyId")
        return [fields.company_id]
    found: list[str] = []
    for id_ in theirs:
        found.extend(c for c in rows[id_]["employers"] if c not in found)
    return found


def log_interaction(
    graph: Graph,
    fields: InteractionFields,
    *,
    model: StrengthModel | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Log an interaction and move the strength of every relationship it touches; returns its
    id. With an `externalId` already logged, or an `idempotency_key` already used for the same
    request, returns that interaction and changes nothing."""
    request = fields.model_dump(mode="json", by_alias=True)
    key = Idempotency.of(idempotency_key, "logInteraction", request)
    model = model or configured_model()
    external_id = None if fields.external_id is None else checked_external_id(fields.external_id)

    def work(tx: Tx) -> str:
        if external_id is not None:
            found = tx.run(cypher.INTERACTION_BY_EXTERNAL_ID, externalId=external_id)
            if found:
                return str(found[0]["id"])
        company_ids = _check_people(tx, fields)
        pairs = [
            {"ourId": o, "theirId": t}
            for o in fields.our_person_ids
            for t in fields.their_person_ids
        ]
        rows = tx.run(cypher.INTERACTION_PAIRS, pairs=pairs)
        held_ms = to_ms(fields.at)
        applied_ms = max([held_ms, *(int(r["lastAtMs"]) for r in rows if r["lastAtMs"])])
        applied = from_ms(applied_ms)
        tracked = frozenset(r["props"]["id"] for r in rows if r["lastAtMs"] is not None)
        interaction_id = f"in_{uuid.uuid4().hex}"
        note = ChangeNote(by=fields.by, reason=f"{fields.kind.value.lower()} logged", at=applied)
        deposit = model.deposit(fields.kind, fields.sentiment)
        updates: list[dict[str, Any]] = []
        changes: list[ChangeRecord] = []
        relationship_ids: list[str] = []
        previous: list[str] = []
        for row in rows:
            props = row["props"]
            if props is None:
                relationship_ids.append(
                    _new_relationship(tx, row, model, applied, interaction_id, fields)
                )
                continue
            raw_at = props.get("strengthAtMs")
            if raw_at is None:  # never moved since it was loaded: its strength then
                raw_at = to_ms(to_datetime(props["createdAt"]) or applied)
            raw = model.after_interaction(
                float(props.get("strengthRaw", props["strength"])),
                int(raw_at),
                deposit,
                held_ms,
                applied_ms,
            )
            last_held = props.get("lastInteractionAtMs")
            fresh = {
                "strength": clamp(raw),
                "strengthRaw": raw,
                "strengthAtMs": applied_ms,
                "changedAtMs": applied_ms,
                "lastInteractionAtMs": max(held_ms, int(last_held or held_ms)),
                "lastInteractionId": interaction_id,
                "interactionCount": int(props.get("interactionCount") or 0) + 1,
                "updatedAt": dt.datetime.now(dt.UTC),
            }
            if props.get("lastInteractionId"):
                previous.append(props["lastInteractionId"])
            updates.append(
                {
                    "id": props["id"],
                    "ourId": row["ourId"],
                    "theirId": row["theirId"],
                    "props": fresh,
                }
            )
            relationship_ids.append(props["id"])
            changes.append(
                ChangeRecord(
                    SubjectKind.RELATIONSHIP,
                    props["id"],
                    props,
                    {**props, **fresh},
                    ends=(row["ourId"], row["theirId"]),
                    people_ids=[row["ourId"], row["theirId"]],
                    evidence_kind=EvidenceKind.INTERACTION,
                    evidence_id=interaction_id,
                )
            )
        tx.run(
            cypher.INTERACTION_CREATE,
            props={
                "id": interaction_id,
                "externalId": external_id,
                "kind": fields.kind.value,
                "at": fields.at,
                "atMs": held_ms,
                "appliedAtMs": applied_ms,
                "seq": time.time_ns(),
                "summary": fields.summary,
                "sentiment": fields.sentiment,
                "followUp": fields.follow_up,
                "followUpDate": fields.follow_up_date,
                "by": fields.by,
                "credential": recorder.current(),
                "ourPersonIds": fields.our_person_ids,
                "theirPersonIds": fields.their_person_ids,
                "companyIds": company_ids,
                "previousIds": sorted(set(previous)),
                "relationshipIds": relationship_ids,
                "createdAt": dt.datetime.now(dt.UTC),
            },
            parties=[{"id": p, "side": "OURS"} for p in fields.our_person_ids]
            + [{"id": p, "side": "THEIRS"} for p in fields.their_person_ids],
        )
        if updates:
            tx.run(cypher.RELATIONSHIPS_APPLY, updates=updates)
            record(tx, changes, Effective(applied, tracked), note)
            # strengths moved: the two people's strongest tie (no company figure reads them)
            ends = [(u["ourId"], u["theirId"]) for u in updates]
            figures.refresh(tx, figures.affected_by_ties(tx, ends, counted=False))
        people = frozenset(fields.our_person_ids) | frozenset(fields.their_person_ids)
        tx.publish(InteractionLogged(interaction_id, people, frozenset(company_ids)))
        return interaction_id

    try:
        return create_once(graph, key, work)
    except Conflict:
        if external_id is None:
            raise
        # another request logged the same external id at the same time: that one stands
        found = graph.read(cypher.INTERACTION_BY_EXTERNAL_ID, externalId=external_id)
        if not found:
            raise
        return str(found[0]["id"])


def _new_relationship(
    tx: Tx,
    row: dict[str, Any],
    model: StrengthModel,
    applied: dt.datetime,
    interaction_id: str,
    fields: InteractionFields,
) -> str:
    """A first contact: a passer-by relationship whose strength is this interaction's."""
    applied_ms, held_ms = to_ms(applied), to_ms(fields.at)
    raw = model.deposit(fields.kind, fields.sentiment) * model.decay(applied_ms - held_ms)
    note = ChangeNote(
        by=fields.by, reason=f"first contact: {fields.kind.value.lower()} logged", at=applied
    )
    return create_edge_in(
        tx,
        kinds.RELATIONSHIP,
        row["ourId"],
        row["theirId"],
        kinds.RELATIONSHIP.checked(
            {"tier": PersonTier.PASSER_BY, "strength": clamp(raw), "since": fields.at.date()}
        ),
        note,
        evidence=(EvidenceKind.INTERACTION, interaction_id),
        extra={
            "strengthRaw": raw,
            "strengthAtMs": applied_ms,
            "lastInteractionAtMs": held_ms,
            "lastInteractionId": interaction_id,
            "interactionCount": 1,
        },
    )


def interactions_by_id(graph: Graph, ids: Sequence[str]) -> list[Interaction | None]:
    rows = graph.read(cypher.INTERACTIONS_BY_ID, ids=list(ids))
    found = {row["interaction"]["id"]: Interaction.from_row(row["interaction"]) for row in rows}
    return [found.get(id_) for id_ in ids]


def interactions_by_external_id(
    graph: Graph, external_ids: Sequence[str]
) -> list[Interaction | None]:
    """The interactions with these external ids, in the order given (None where none has
    it); at most MAX_EXTERNAL_IDS, in one statement."""
    keys = checked_external_ids(external_ids)
    rows = graph.read(cypher.INTERACTIONS_BY_EXTERNAL_IDS, externalIds=sorted(set(keys)))
    found = {row["key"]: Interaction.from_row(row["interaction"]) for row in rows}
    return [found.get(key) for key in keys]


def interaction_page(
    graph: Graph,
    *,
    person_id: str | None = None,
    company_id: str | None = None,
    relationship: PersonRelationship | None = None,
    offset: int,
    limit: int,
) -> Page[Interaction]:
    """Interactions of a person, a company or a relationship, newest first."""
    window = {"skip": offset, "end": offset + limit}
    if relationship is not None:
        row = graph.read(
            cypher.INTERACTIONS_OF_RELATIONSHIP,
            personId=relationship.from_person_id,
            otherId=relationship.to_person_id,
            relationshipId=relationship.id,
            **window,
        )[0]
    elif person_id is not None:
        row = graph.read(cypher.INTERACTIONS_OF_PERSON, personId=person_id, **window)[0]
    elif company_id is not None:
        row = graph.read(cypher.INTERACTIONS_OF_COMPANY, companyId=company_id, **window)[0]
    else:
        raise InvalidInput(
            "filter: give one of personId, companyId or relationshipId", field="filter"
        )
    items = [Interaction.from_row(item) for item in row["page"]]
    return Page(items=items, total=int(row["total"]), offset=offset)
