"""Faster packing of time-zone-aware `datetime` parameters for the Bolt driver.

Every stored item carries `createdAt` and `updatedAt`, sent as `datetime` values with a fixed
offset (`datetime.timezone`). The driver packs each through its own `neo4j.time` arithmetic in
pure Python: 88 µs a value, 18-21 s of Python for the 200,000 instants of 100,000 relationships,
while the engine waits (issue 19; `docs/ARCHITECTURE.md`, "Loading"). The same Bolt structure
comes from plain `datetime` subtraction in under 2 µs.

`install()` puts that computation in front of the driver's own, for exactly those values
(`type(value) is datetime` with `type(value.tzinfo) is timezone`); anything else (naive
datetimes, named zones, `neo4j.time.DateTime`) goes on to the driver's function unchanged. It
relies on the driver's private hydration modules; `tests/db/test_packing.py` checks, value by
value, that the structures are the ones the driver makes, and `install()` leaves the driver
as it is if those modules are not where it expects them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The driver's hydration modules, and whether each is Bolt 4's: Bolt 5 (v2, "I": UTC
# seconds) and Bolt 4 (v1, "F": local seconds)
_MODULES = (
    ("neo4j._codec.hydration.bolt.v2.temporal", False),
    ("neo4j._codec.hydration.bolt.v1.temporal", True),
)
_INSTALLED = "_guanxi_fast_datetime"


def _fixed_offset(value: object) -> tuple[int, int, int] | None:
    """(UTC epoch seconds, nanoseconds, offset seconds) of a fixed-offset datetime, else None."""
    if type(value) is not dt.datetime:
        return None
    tz = value.tzinfo
    if type(tz) is not dt.timezone:
        return None
    offset = tz.utcoffset(None)
    since = value - _EPOCH
    return (
        since.days * 86_400 + since.seconds,
        since.microseconds * 1000,
        offset.days * 86_400 + offset.seconds,
    )


def fast_dehydrator(
    original: Callable[[Any], Any], structure: type, *, bolt4: bool
) -> Callable[[Any], Any]:
    """The fast dehydrator in front of `original`: Bolt 5's Structure(b"I", UTC seconds,
    nanoseconds, offset), or with `bolt4` Bolt 4's Structure(b"F", local seconds, ...)."""
    tag = b"F" if bolt4 else b"I"

    def dehydrate(value: Any) -> Any:
        parts = _fixed_offset(value)
        if parts is None:
            return original(value)
        seconds, nanoseconds, offset = parts
        return structure(tag, seconds + offset if bolt4 else seconds, nanoseconds, offset)

    setattr(dehydrate, _INSTALLED, original)
    return dehydrate


def install() -> bool:
    """Put the fast dehydrators in front of the driver's (once; before any driver is made,
    as each connection copies them when it starts). False if the driver's modules moved."""
    try:
        packstream = importlib.import_module("neo4j._codec.packstream")
        modules = [importlib.import_module(name) for name, _ in _MODULES]
        structure: type = packstream.Structure
        originals = [module.dehydrate_datetime for module in modules]
    except (ImportError, AttributeError):
        log.warning("the neo4j driver's temporal modules moved: datetimes packed the slow way")
        return False
    for module, original, (_, bolt4) in zip(modules, originals, _MODULES, strict=True):
        if not hasattr(original, _INSTALLED):
            fast = fast_dehydrator(original, structure, bolt4=bolt4)
            setattr(module, "dehydrate_datetime", fast)  # noqa: B010
    return True
