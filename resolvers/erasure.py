"""Erasure of a person (graph/core/erasure.py)."""

from __future__ import annotations

from graph.core import erasure
from resolvers.context import Context, off_loop


async def erase_person(ctx: Context, person_id: str) -> erasure.Erasure:
    """Erase the person, live or deleted; NotFound when there is none."""
    return await off_loop(erasure.erase_person, ctx.graph, person_id)
