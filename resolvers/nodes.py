"""Companies and people: look-ups, lists and writes."""

from __future__ import annotations

from typing import Any

from graph import kinds, reads, writes
from graph.errors import InvalidInput, NotFound
from graph.inputs import MAX_TEXT
from graph.models import Company, Page, Person
from graph.search import search_term
from resolvers.context import Context, off_loop, reload


def checked_search(text: str | None) -> str | None:
    term = search_term(text)
    if term is not None and len(term) > MAX_TEXT:
        raise InvalidInput(f"search: at most {MAX_TEXT} characters", field="filter.search")
    return term


async def company(ctx: Context, id_: str) -> Company | None:
    return await ctx.loaders.companies.load(id_)


async def person(ctx: Context, id_: str) -> Person | None:
    return await ctx.loaders.people.load(id_)


async def company_by_external_id(ctx: Context, external_id: str) -> Company | None:
    id_ = await off_loop(reads.id_by_external_id, ctx.graph, "company", external_id)
    return None if id_ is None else await company(ctx, id_)


async def person_by_external_id(ctx: Context, external_id: str) -> Person | None:
    id_ = await off_loop(reads.id_by_external_id, ctx.graph, "person", external_id)
    return None if id_ is None else await person(ctx, id_)


async def company_page(ctx: Context, **query: Any) -> Page[Company]:
    page = await off_loop(reads.company_page, ctx.graph, **query)
    for item in page.items:
        ctx.loaders.companies.prime(item.id, item)
    return page


async def person_page(ctx: Context, **query: Any) -> Page[Person]:
    page = await off_loop(reads.person_page, ctx.graph, **query)
    for item in page.items:
        ctx.loaders.people.prime(item.id, item)
    return page


async def _fresh_company(ctx: Context, id_: str) -> Company:
    found = await reload(ctx.loaders.companies, id_)
    if found is None:
        raise NotFound("company", id_)
    return found


async def _fresh_person(ctx: Context, id_: str) -> Person:
    found = await reload(ctx.loaders.people, id_)
    if found is None:
        raise NotFound("person", id_)
    return found


async def create_company(ctx: Context, data: dict[str, Any]) -> Company:
    id_ = await off_loop(writes.create_node, ctx.graph, kinds.COMPANY, data)
    return await _fresh_company(ctx, id_)


async def update_company(ctx: Context, id_: str, patch: dict[str, Any]) -> Company:
    await off_loop(writes.update_node, ctx.graph, kinds.COMPANY, id_, patch)
    return await _fresh_company(ctx, id_)


async def upsert_company(ctx: Context, external_id: str, data: dict[str, Any]) -> Company:
    id_ = await off_loop(writes.upsert_node, ctx.graph, kinds.COMPANY, external_id, data)
    return await _fresh_company(ctx, id_)


async def delete_company(ctx: Context, id_: str, force: bool) -> str:
    await off_loop(writes.delete_node, ctx.graph, kinds.COMPANY, id_, force=force)
    return id_


async def create_person(ctx: Context, data: dict[str, Any]) -> Person:
    id_ = await off_loop(writes.create_node, ctx.graph, kinds.PERSON, data)
    return await _fresh_person(ctx, id_)


async def update_person(ctx: Context, id_: str, patch: dict[str, Any]) -> Person:
    await off_loop(writes.update_node, ctx.graph, kinds.PERSON, id_, patch)
    return await _fresh_person(ctx, id_)


async def upsert_person(ctx: Context, external_id: str, data: dict[str, Any]) -> Person:
    id_ = await off_loop(writes.upsert_node, ctx.graph, kinds.PERSON, external_id, data)
    return await _fresh_person(ctx, id_)


async def delete_person(ctx: Context, id_: str, force: bool) -> str:
    await off_loop(writes.delete_node, ctx.graph, kinds.PERSON, id_, force=force)
    return id_
