"""Every Cypher statement of Guanxi, as module-level constants, and a registry of them all.

The tree mirrors graph/: the statements of graph/core/writes.py and its neighbours live in
graph/cypher/core/, those of graph/keypersons/ in graph/cypher/keypersons/, and so on.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType
from typing import cast


def modules() -> list[ModuleType]:
    """Every statement module below this package, in name order (a private module, `_rows`,
    holds fragments that statements are built from, not statements)."""
    found = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}.")
        if not info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_")
    ]
    return sorted(found, key=lambda module: module.__name__)


def _collect(found: dict[str, str], key: str, value: object) -> None:
    """A statement under `key`; a kind's statements (a NamedTuple) by field name, other tuples
    numbered, a dict's by key, nested ones likewise; anything else (a flag) is no statement."""
    if isinstance(value, str):
        found[key] = value
    elif isinstance(value, dict):
        for name, item in cast("dict[str, object]", value).items():
            _collect(found, f"{key}[{name}]", item)
    elif isinstance(value, tuple):
        items = cast("tuple[object, ...]", value)
        names: Sequence[str | int] = getattr(items, "_fields", range(len(items)))
        for index, item in zip(names, items, strict=True):
            _collect(found, f"{key}.{index}" if isinstance(index, str) else f"{key}[{index}]", item)


def all_statements() -> dict[str, str]:
    """Every statement by `package.module.NAME` (public upper-case constants; a kind's
    statements by field, other tuples numbered), e.g. `core.kinds.COMPANY.props_locked`. Plain
    `str`: read back by reflection, they are text to list and lint, not statements to run."""
    found: dict[str, str] = {}
    for module in modules():
        short = module.__name__.removeprefix(f"{__name__}.")
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_"):
                continue
            _collect(found, f"{short}.{name}", value)
    return found
