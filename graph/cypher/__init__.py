"""Every Cypher statement of Guanxi, as module-level constants, and a registry of them all.

The tree mirrors graph/: the statements of graph/core/writes.py and its neighbours live in
graph/cypher/core/, those of graph/keypersons/ in graph/cypher/keypersons/, and so on.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import cast


def modules() -> list[ModuleType]:
    """Every statement module below this package, in name order."""
    found = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}.")
        if not info.ispkg
    ]
    return sorted(found, key=lambda module: module.__name__)


def all_statements() -> dict[str, str]:
    """Every statement by `package.module.NAME` (public upper-case constants; tuples are
    numbered), e.g. `core.companies.COMPANY_PROPS`. Plain `str`: read back by reflection, they
    are text to list and lint, not statements to run."""
    found: dict[str, str] = {}
    for module in modules():
        short = module.__name__.removeprefix(f"{__name__}.")
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_"):
                continue
            if isinstance(value, str):
                found[f"{short}.{name}"] = value
            elif isinstance(value, tuple):
                for index, statement in enumerate(cast("tuple[str, ...]", value)):
                    found[f"{short}.{name}[{index}]"] = statement
    return found
