"""Deals (orders) against customers and the depth figures they give, as GraphQL."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph.core.inputs import validate
from graph.deals import deals as dm
from graph.deals.deals import DealFields
from resolvers import deals as resolve
from resolvers.pagination import window
from schema.auth import ADMIN_ONLY
from schema.inputs import IdempotencyKey, given, patch_of
from schema.node import Node
from schema.pagination import Connection, backward_paging
from schema.types import Company, Info, from_model

_CURRENCY = "ISO 4217 code, e.g. CNY (the default), USD, EUR."


@strawberry.type(description="An order a customer placed with us.")
class Deal(Node):
    id: strawberry.ID
    company_id: strawberry.Private[str]
    external_id: str | None
    amount: float
    currency: str = strawberry.field(description=_CURRENCY)
    date: dt.date
    product_line: str
    note: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @strawberry.field(description="The customer.")
    async def company(self, info: Info) -> Company:
        return from_model(Company, await info.context.loaders.companies.load(self.company_id))


@strawberry.type(description="The amount of a customer's deals in one currency.")
class CurrencyTotal:
    currency: str
    amount: float


@strawberry.type(description="How deep a customer's buying goes, from its deals.")
class DealDepth:
    company_id: strawberry.Private[str]
    deal_count: int
    total_amount: float = strawberry.field(
        description="All amounts added up whatever their currency; see totalsByCurrency."
    )
    totals_by_currency: list[CurrencyTotal] = strawberry.field(description="By currency code.")
    first_deal_date: dt.date | None
    last_deal_date: dt.date | None
    product_lines: list[str] = strawberry.field(description="Distinct, sorted.")
    repeat_purchases: int = strawberry.field(
        description="Deals beyond the first in each product line."
    )
    cross_sell_count: int = strawberry.field(description="Distinct product lines beyond the first.")

    @strawberry.field
    async def company(self, info: Info) -> Company:
        return from_model(Company, await info.context.loaders.companies.load(self.company_id))


def to_deal(model: dm.Deal) -> Deal:
    return from_model(Deal, model)


def to_depth(model: dm.DealDepth) -> DealDepth:
    return DealDepth(
        company_id=model.company_id,
        deal_count=model.deal_count,
        total_amount=model.total_amount,
        totals_by_currency=[
            CurrencyTotal(currency=currency, amount=amount)
            for currency, amount in model.totals_by_currency.items()
        ],
        first_deal_date=model.first_deal_date,
        last_deal_date=model.last_deal_date,
        product_lines=model.product_lines,
        repeat_purchases=model.repeat_purchases,
        cross_sell_count=model.cross_sell_count,
    )


@strawberry.input(
    description="A deal for a company. With an externalId that names a deal already, the "
    "same company's deal is updated instead."
)
class DealInput:
    company_id: strawberry.ID
    amount: float
    date: dt.date
    product_line: str
    currency: str | None = strawberry.field(default=strawberry.UNSET, description=_CURRENCY)
    note: str | None = strawberry.UNSET
    external_id: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change; null clears the note.")
class DealPatch:
    amount: float | None = strawberry.UNSET
    date: dt.date | None = strawberry.UNSET
    product_line: str | None = strawberry.UNSET
    currency: str | None = strawberry.field(default=strawberry.UNSET, description=_CURRENCY)
    note: str | None = strawberry.UNSET


@strawberry.type
class DealQuery:
    @backward_paging
    @strawberry.field(description="Deals, newest first; of one company with `companyId`.")
    async def deals(
        self,
        info: Info,
        company_id: strawberry.ID | None = None,
        since: dt.date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Deal]:
        offset, limit = window(first, after)
        page = await resolve.deal_page(
            info.context, company_id=company_id, since=since, offset=offset, limit=limit
        )
        return Connection.from_page(page, to_deal)

    @strawberry.field(description="A customer's repeat purchases and cross-selling.")
    async def deal_depth(self, info: Info, company_id: strawberry.ID) -> DealDepth:
        return to_depth(await resolve.deal_depth(info.context, company_id))


@strawberry.type
class DealMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Record a deal (or update the one with its externalId).",
    )
    async def record_deal(
        self, info: Info, input: DealInput, idempotency_key: IdempotencyKey = None
    ) -> Deal | None:
        data = given(input)
        company_id = str(data.pop("companyId"))
        fields = validate(DealFields, data)
        return to_deal(await resolve.record_deal(info.context, company_id, fields, idempotency_key))

    @strawberry.mutation(permission_classes=ADMIN_ONLY)
    async def update_deal(self, info: Info, id: strawberry.ID, input: DealPatch) -> Deal | None:
        return to_deal(await resolve.update_deal(info.context, id, patch_of(input)))

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY, description="Delete a deal; returns its id."
    )
    async def delete_deal(self, info: Info, id: strawberry.ID) -> strawberry.ID | None:
        return strawberry.ID(await resolve.delete_deal(info.context, id))
