"""Key-person maps, org charts, job moves and introduction paths."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from graph.core.history import ChangeNote
from graph.core.models import PersonTier
from graph.evolution.strength import configured_model
from graph.keypersons import callplan, introductions
from graph.keypersons import maps as keypersons
from graph.keypersons.callplan import CallPlan
from graph.keypersons.introductions import PathLabel, PathStepKind
from graph.keypersons.maps import CoverageRule, KeyPersonMap, Move, OrgChartEntry
from graph.keypersons.paths import Path
from resolvers.context import Context, off_loop
from resolvers.scope import as_seen, seen


async def key_person_map(
    ctx: Context,
    company_id: str,
    *,
    everyone: bool,
    covered_min_tier: PersonTier,
    covered_min_strength: float | None,
    min_covered_key_persons: int,
    as_of: dt.datetime | None = None,
) -> KeyPersonMap:
    rule = CoverageRule(min_tier=covered_min_tier, min_strength=covered_min_strength)
    found = await off_loop(
        keypersons.key_person_map,
        ctx.graph,
        company_id,
        rule=rule,
        everyone=everyone,
        min_covered_key_persons=min_covered_key_persons,
        as_of=as_of,
    )
    v = await off_loop(ctx.visibility)
    if not v.everything:  # their stored figures count ties the credential may not see
        found = dataclasses.replace(
            found, people={k: as_seen(v, p) for k, p in found.people.items()}
        )
    ctx.loaders.people.prime_many(found.people)  # the people it names, read with it
    return found


async def org_chart(
    ctx: Context, company_id: str, as_of: dt.datetime | None = None
) -> list[OrgChartEntry]:
    return await off_loop(keypersons.org_chart, ctx.graph, company_id, as_of=as_of)


async def set_reporting_line(
    ctx: Context,
    person_id: str,
    manager_id: str,
    since: dt.date | None,
    note: ChangeNote | None = None,
) -> None:
    seen_person = await _seen_people(ctx)
    await off_loop(
        lambda: keypersons.set_reporting_line(
            ctx.graph, person_id, manager_id, since, note=note, seen=seen_person
        )
    )


async def remove_reporting_line(
    ctx: Context, person_id: str, note: ChangeNote | None = None
) -> bool:
    seen_person = await _seen_people(ctx)
    return await off_loop(
        lambda: keypersons.remove_reporting_line(ctx.graph, person_id, note=note, seen=seen_person)
    )


async def recent_moves(ctx: Context, days: int, min_tier: PersonTier) -> list[Move]:
    found = await off_loop(keypersons.recent_moves, ctx.graph, days=days, min_tier=min_tier)
    v = await off_loop(ctx.visibility)
    if v.everything:
        return found
    return [  # both roles seen, and the ties with people seen only
        dataclasses.replace(move, ties=[t for t in move.ties if seen(v, t)])
        for move in found
        if seen(v, move.role) and seen(v, move.previous)
    ]


async def introduction_paths(
    ctx: Context,
    from_id: str,
    to_id: str,
    *,
    max_hops: int,
    first: int,
    min_tier: PersonTier | None,
    via: list[PathStepKind],
) -> list[Path]:
    found = await off_loop(
        introductions.find_introductions,
        ctx.graph,
        from_id,
        to_id,
        max_hops=max_hops,
        first=first,
        min_tier=min_tier,
        via=via,
        seen=await _seen_people(ctx),
    )
    ctx.loaders.people.prime_many(found.people)  # the people on the paths, read with them
    return found.paths


async def best_introductions(
    ctx: Context,
    *,
    to_person_id: str | None,
    to_company_id: str | None,
    key_persons_only: bool,
    max_hops: int,
    first: int,
    min_tier: PersonTier | None,
    via: list[PathStepKind],
) -> list[Path]:
    return await off_loop(
        introductions.best_introductions,
        ctx.graph,
        to_person_id=to_person_id,
        to_company_id=to_company_id,
        key_persons_only=key_persons_only,
        max_hops=max_hops,
        first=first,
        min_tier=min_tier,
        via=via,
        seen=await _seen_people(ctx),
    )


async def _seen_people(ctx: Context) -> Callable[[str], bool] | None:
    """Whom a path may pass through: None (anyone) unless the credential is scoped to
    account teams (graph/auth/scope.py)."""
    v = await off_loop(ctx.visibility)
    return None if v.everything else v.person


def path_label(path: Path) -> PathLabel:
    return introductions.label(path.strength)


async def call_plan(ctx: Context, found: KeyPersonMap, first: int) -> CallPlan:
    model = configured_model()
    seen = await _seen_people(ctx)
    plan = await off_loop(
        lambda: callplan.call_plan(ctx.graph, found, model=model, first=first, seen=seen)
    )
    v = await off_loop(ctx.visibility)
    if not v.everything:  # their stored figures count ties the credential may not see
        plan = dataclasses.replace(plan, people={k: as_seen(v, p) for k, p in plan.people.items()})
    ctx.loaders.people.prime_many(plan.people)  # everyone its steps name, read with it
    return plan
