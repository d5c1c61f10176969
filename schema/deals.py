"""Deals (orders) against customers and the depth figures they give, as GraphQL."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.core.inputs import validate
from graph.deals import deals as dm
from graph.deals.deals import DealFields
from resolvers import deals as resolve
from resolvers.pagination import window
from schema.auth import ADMIN_ONLY
from schema.history import recorded_by_description
from schema.inputs import IdempotencyKey, given, patch_of
from schema.node import Node
from schema.pagination import After, Connection, First, backward_paging
from schema.types import Company, Info, from_model

_CURRENCY = "ISO 4217 code, e.g. CNY (the default), USD, EUR."


@strawberry.type(description="An order a customer placed with us.")
class Deal(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `de_`); use it in `updateDeal` and `deleteDeal`."
    )
    company_id: strawberry.Private[str]
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters); `recordDeal` "
        "with the same externalId updates this deal. Null when not set."
    )
    amount: float = strawberry.field(description="The amount, from 0 to 10^15, in `currency`.")
    currency: str = strawberry.field(description=_CURRENCY)
    date: dt.date = strawberry.field(description="The day the order was placed.")
    product_line: str = strawberry.field(
        description="The product line it buys from (1-200 characters); repeat purchases and "
        "cross-selling count by it."
    )
    note: str | None = strawberry.field(
        description="Free note (up to 5,000 characters); null if none."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When it was recorded (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When it last changed (UTC); null if not recorded."
    )
    recorded_by: str | None = strawberry.field(
        description=recorded_by_description(
            "made its latest write (its recording, or its last change: `updatedAt`)",
            "that write was made",
            beside_by=False,
        )
    )

    @strawberry.field(description="The customer.")
    async def company(self, info: Info) -> Company:
        return from_model(Company, await info.context.loaders.companies.load(self.company_id))


@strawberry.type(description="The amount of a customer's deals in one currency.")
class CurrencyTotal:
    currency: str = strawberry.field(description="ISO 4217 code, e.g. CNY.")
    amount: float = strawberry.field(
        description="The sum of the customer's deals in this currency."
    )


@strawberry.type(description="How deep a customer's buying goes, from its deals.")
class DealDepth:
    company_id: strawberry.Private[str]
    deal_count: int = strawberry.field(description="Deals recorded for the customer.")
    total_amount: float = strawberry.field(
        description="All amounts added up whatever their currency; see totalsByCurrency."
    )
    totals_by_currency: list[CurrencyTotal] = strawberry.field(description="By currency code.")
    first_deal_date: dt.date | None = strawberry.field(
        description="The date of its first deal; null without deals."
    )
    last_deal_date: dt.date | None = strawberry.field(
        description="The date of its latest deal; null without deals."
    )
    product_lines: list[str] = strawberry.field(description="Distinct, sorted.")
    repeat_purchases: int = strawberry.field(
        description="Deals beyond the first in each product line."
    )
    cross_sell_count: int = strawberry.field(description="Distinct product lines beyond the first.")

    @strawberry.field(description="The customer.")
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
    company_id: strawberry.ID = strawberry.field(
        description="The customer: a company's id (`co_`)."
    )
    amount: float = strawberry.field(description="The amount, from 0 to 10^15, in `currency`.")
    date: dt.date = strawberry.field(description="The day the order was placed.")
    product_line: str = strawberry.field(
        description="The product line it buys from, 1-200 characters (repeat purchases and "
        "cross-selling count by it)."
    )
    currency: str | None = strawberry.field(default=strawberry.UNSET, description=_CURRENCY)
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free note, up to 5,000 characters."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Its id in the system it comes from (1-200 characters): a deal of the "
        "same company with this id is updated instead of a new one recorded.",
    )


@strawberry.input(description="Only the fields given change; null clears the note.")
class DealPatch:
    amount: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The amount, from 0 to 10^15, in `currency`. Cannot be null.",
    )
    date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The day the order was placed. Cannot be null."
    )
    product_line: str | None = strawberry.field(
        default=strawberry.UNSET, description="The product line, 1-200 characters. Cannot be null."
    )
    currency: str | None = strawberry.field(default=strawberry.UNSET, description=_CURRENCY)
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free note, up to 5,000 characters; null clears it."
    )


@strawberry.type
class DealQuery:
    @backward_paging
    @strawberry.field(description="Deals, newest first; of one company with `companyId`.")
    async def deals(
        self,
        info: Info,
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only this customer's deals (`co_` id); null (the default): every "
                "customer's."
            ),
        ] = None,
        since: Annotated[
            dt.date | None,
            strawberry.argument(
                description="Only deals dated on or after this day; null (the default): all."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Deal]:
        offset, limit = window(first, after)
        page = await resolve.deal_page(
            info.context, company_id=company_id, since=since, offset=offset, limit=limit
        )
        return Connection.from_page(page, to_deal)

    @strawberry.field(description="A customer's repeat purchases and cross-selling.")
    async def deal_depth(
        self,
        info: Info,
        company_id: Annotated[
            strawberry.ID, strawberry.argument(description="The customer (`co_` id).")
        ],
    ) -> DealDepth:
        return to_depth(await resolve.deal_depth(info.context, company_id))


@strawberry.type
class DealMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Record a deal (or update the one with its externalId).",
    )
    async def record_deal(
        self,
        info: Info,
        input: Annotated[DealInput, strawberry.argument(description="The deal.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Deal | None:
        data = given(input)
        company_id = str(data.pop("companyId"))
        fields = validate(DealFields, data)
        return to_deal(await resolve.record_deal(info.context, company_id, fields, idempotency_key))

    @strawberry.mutation(
        description="Change the fields given of a deal.", permission_classes=ADMIN_ONLY
    )
    async def update_deal(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The deal to change (`de_` id).")
        ],
        input: Annotated[DealPatch, strawberry.argument(description="The fields to change.")],
    ) -> Deal | None:
        return to_deal(await resolve.update_deal(info.context, id, patch_of(input)))

    @strawberry.mutation(
        permission_classes=ADMIN_ONLY, description="Delete a deal; returns its id."
    )
    async def delete_deal(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The deal to delete (`de_` id); it is deleted for good, its company "
                "stays."
            ),
        ],
    ) -> strawberry.ID | None:
        return strawberry.ID(await resolve.delete_deal(info.context, id))
