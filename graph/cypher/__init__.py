"""Every Cypher statement of Guanxi, as module-level constants, and a registry of them all."""

from __future__ import annotations

from types import ModuleType
from typing import LiteralString

from graph.cypher import (
    admin,
    bulk,
    business,
    classes,
    companies,
    deals,
    deleted,
    history,
    idempotency,
    interactions,
    keypersons,
    measures,
    network,
    paths,
    people,
    referrals,
    relationships,
    roles,
    setup,
    tokens,
    transfer,
)

MODULES: tuple[ModuleType, ...] = (
    admin,
    bulk,
    business,
    classes,
    companies,
    deals,
    deleted,
    history,
    idempotency,
    interactions,
    keypersons,
    measures,
    network,
    paths,
    people,
    referrals,
    relationships,
    roles,
    setup,
    tokens,
    transfer,
)


def all_statements() -> dict[str, LiteralString]:
    """Every statement by `module.NAME` (public upper-case constants; tuples are numbered)."""
    found: dict[str, LiteralString] = {}
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_"):
                continue
            if isinstance(value, str):
                found[f"{short}.{name}"] = value
            elif isinstance(value, tuple):
                for index, statement in enumerate(value):
                    found[f"{short}.{name}[{index}]"] = statement
    return found
