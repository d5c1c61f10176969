"""Deals (orders) recorded against customer companies, and the depth figures they give.

A customer's relationship depth shows in its deals: repeat purchases in a product line and
cross-selling into other lines. Each write is one transaction; reads are batch-first (results
in key order, one round trip whatever the number of keys).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

from pydantic import field_validator

from graph.core.currency import DEFAULT_CURRENCY, Amount, Currency
from graph.core.idempotency import Idempotency, create_once_read
from graph.core.inputs import Fields, Name, Notes, Patch
from graph.core.models import Page, to_date, to_datetime
from graph.core.reads import checked_external_ids
from graph.core.writes import changed_fields
from graph.cypher.deals import deals as cypher
from graph.db import recorder
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, NotFound

ID_PREFIX = "de"


class DealFields(Fields):
    """A deal's user-set fields; currency is an ISO 4217 code (null or absent: CNY); the
    amount is from 0 to MAX_AMOUNT (1e15) in that currency."""

    amount: Amount
    currency: Currency = DEFAULT_CURRENCY
    date: dt.date
    product_line: Name
    note: Notes | None = None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        if value is None:
            return DEFAULT_CURRENCY
        return value.strip().upper() if isinstance(value, str) else value


def _required_date(value: Any) -> dt.date:
    date = to_date(value)
    if date is None:
        raise ValueError("a stored deal has no date")
    return date


@dataclass(frozen=True)
class Deal:
    """An order a customer placed with us."""

    id: str
    company_id: str
    external_id: str | None
    amount: float
    currency: str
    date: dt.date
    product_line: str
    note: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    # the credential of its latest write, creation or update (graph/db/recorder.py; None: made
    # before it was kept)
    recorded_by: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            company_id=row["companyId"],
            external_id=row.get("externalId"),
            amount=float(row["amount"]),
            currency=row.get("currency") or DEFAULT_CURRENCY,
            date=_required_date(row["date"]),
            product_line=row["productLine"],
            note=row.get("note"),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            recorded_by=row.get("credential"),
        )


@dataclass(frozen=True)
class DealDepth:
    """How deep a customer's buying goes.

    `repeat_purchases`: deals beyond the first in each product line. `cross_sell_count`:
    distinct product lines beyond the first. `total_amount` adds amounts whatever their
    currency; `totals_by_currency` keeps them apart, by currency code.
    """

    company_id: str
    deal_count: int
    total_amount: float
    totals_by_currency: dict[str, float]
    first_deal_date: dt.date | None
    last_deal_date: dt.date | None
    product_lines: list[str]
    repeat_purchases: int
    cross_sell_count: int


def _stamp() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _update_in(tx: Tx, deal_id: str, patch: Patch) -> str:
    """Apply `patch` to the deal, read under the write lock; returns its id."""
    rows = tx.run(cypher.DEAL_PROPS_LOCKED, id=deal_id)
    if not rows:
        raise NotFound("deal", deal_id, field="id")
    after = changed_fields(DealFields, rows[0]["props"], patch.values)
    if after is not None:
        props = {**after, "updatedAt": _stamp(), "credential": recorder.current()}
        tx.run(cypher.DEAL_SET, id=deal_id, props=props)
    return deal_id


def _read_back(tx: Tx, deal_id: str) -> Deal:
    """The deal as this transaction leaves it (NotFound when it is gone: a key replayed after
    the deal it made was deleted)."""
    rows = tx.run(cypher.DEALS_BY_ID, ids=[deal_id])
    if not rows:
        raise NotFound("deal", deal_id)
    return Deal.from_row(rows[0]["deal"])


def record_deal(
    graph: Graph, company_id: str, fields: DealFields, *, idempotency_key: str | None = None
) -> Deal:
    """Record a deal for a company; answers with it as recorded.

    With an `externalId` that already names a deal, it updates that deal with the fields the
    client sent instead (the same company only); a repeat that changes nothing writes nothing.
    With an `idempotency_key` already used for the same request, answers with that deal.
    """
    data = fields.to_props()
    key = Idempotency.of(idempotency_key, "recordDeal", {"companyId": company_id, **data})
    external_id = fields.external_id

    def work(tx: Tx) -> str:
        if not tx.run(cypher.DEAL_COMPANY_EXISTS, companyId=company_id):
            raise NotFound("company", company_id, field="companyId")
        if external_id is not None:
            rows = tx.run(cypher.DEAL_PROPS_BY_EXTERNAL_ID, externalId=external_id)
            if rows:
                row = rows[0]
                if row["companyId"] != company_id:
                    raise Conflict(
                        f"externalId '{external_id}' already names a deal of company "
                        f"'{row['companyId']}'; a deal cannot move to another company",
                        field="externalId",
                    )
                return _update_in(tx, str(row["props"]["id"]), fields.sent())
        stamp = _stamp()
        props = {
            **data,
            "id": f"{ID_PREFIX}_{uuid.uuid4().hex}",
            "createdAt": stamp,
            "updatedAt": stamp,
            "credential": recorder.current(),
        }
        return str(tx.run(cypher.DEAL_CREATE, companyId=company_id, props=props)[0]["id"])

    return create_once_read(graph, key, work, _read_back)


def update_deal(graph: Graph, deal_id: str, patch: Patch) -> Deal:
    """Change the given fields of a deal (None clears `note`); its company stays. Answers with
    the deal as changed."""
    return graph.write_tx(lambda tx: _read_back(tx, _update_in(tx, deal_id, patch)))


def delete_deal(graph: Graph, deal_id: str) -> None:
    """Delete a deal (its company stays)."""

    def work(tx: Tx) -> None:
        if not tx.run(cypher.DEAL_PROPS, id=deal_id):
            raise NotFound("deal", deal_id, field="id")
        tx.run(cypher.DEAL_DELETE, id=deal_id)

    graph.write_tx(work)


def deals_by_id(graph: Graph, ids: Sequence[str]) -> list[Deal | None]:
    """The deals with these ids, in key order (None where there is none)."""
    rows = graph.read(cypher.DEALS_BY_ID, ids=list(ids))
    found = {row["deal"]["id"]: Deal.from_row(row["deal"]) for row in rows}
    return [found.get(id_) for id_ in ids]


def deals_by_external_id(graph: Graph, external_ids: Sequence[str]) -> list[Deal | None]:
    """The deals with these external ids, in the order given (None where none has it); at
    most MAX_EXTERNAL_IDS, in one statement."""
    keys = checked_external_ids(external_ids)
    rows = graph.read(cypher.DEALS_BY_EXTERNAL_IDS, externalIds=sorted(set(keys)))
    found = {row["key"]: Deal.from_row(row["deal"]) for row in rows}
    return [found.get(key) for key in keys]


def deals_for_companies(graph: Graph, ids: Sequence[str]) -> list[list[Deal]]:
    """Each company's deals, newest first, in key order."""
    rows = graph.read(cypher.DEALS_FOR_COMPANIES, ids=list(ids))
    groups: dict[str, list[Deal]] = {id_: [] for id_ in ids}
    for row in rows:
        groups[row["key"]].append(Deal.from_row(row["deal"]))
    return [groups[id_] for id_ in ids]


def deal_page(
    graph: Graph,
    *,
    company_id: str | None = None,
    since: dt.date | None = None,
    offset: int,
    limit: int,
) -> Page[Deal]:
    """One page of deals, newest first, of one company or all, on or after `since`."""
    row = graph.read(
        cypher.DEAL_PAGE, companyId=company_id, since=since, skip=offset, end=offset + limit
    )[0]
    return Page(
        items=[Deal.from_row(item) for item in row["page"]], total=row["total"], offset=offset
    )


def _fold(company_id: str, rows: list[dict[str, Any]]) -> DealDepth:
    """The depth figures from one company's (product line, currency) rows."""
    rows = [row for row in rows if row["deals"]]
    per_line: dict[str, int] = {}
    per_currency: dict[str, float] = {}
    for row in rows:
        line = row["productLine"]
        per_line[line] = per_line.get(line, 0) + row["deals"]
        currency = row["currency"] or DEFAULT_CURRENCY
        per_currency[currency] = per_currency.get(currency, 0.0) + float(row["amount"])
    first = [d for d in (to_date(row["firstDate"]) for row in rows) if d is not None]
    last = [d for d in (to_date(row["lastDate"]) for row in rows) if d is not None]
    return DealDepth(
        company_id=company_id,
        deal_count=sum(per_line.values()),
        total_amount=sum(per_currency.values()),
        totals_by_currency=dict(sorted(per_currency.items())),
        first_deal_date=min(first, default=None),
        last_deal_date=max(last, default=None),
        product_lines=sorted(per_line),
        repeat_purchases=sum(count - 1 for count in per_line.values()),
        cross_sell_count=max(len(per_line) - 1, 0),
    )


def depth_figures(graph: Graph, company_ids: Sequence[str]) -> list[DealDepth | None]:
    """Each company's depth figures, in key order; None for an id that names no company."""
    rows = graph.read(cypher.DEAL_DEPTH_ROWS, ids=list(company_ids))
    by_company: dict[str, list[dict[str, Any]]] = {}
    found: set[str] = set()
    for row in rows:
        by_company.setdefault(row["key"], []).append(row)
        if row["found"]:
            found.add(row["key"])
    return [_fold(id_, by_company.get(id_, [])) if id_ in found else None for id_ in company_ids]
