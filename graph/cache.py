"""Results kept until the graph changes: per Graph object, keyed, checked by a fingerprint.

A fingerprint is what one cheap statement returns (counts, newest timestamps); a cached
result is served while the fingerprint read now equals the one read when it was computed.
Concurrent callers for the same key compute once; at most ENTRIES results are kept per graph,
the least recently used dropped first.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from graph.connection import Graph, Row

T = TypeVar("T")
ENTRIES = 32


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    fingerprint: Row | None = None
    result: Any = None


_SLOTS: weakref.WeakKeyDictionary[Graph, dict[Hashable, _Slot]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def fingerprint(graph: Graph, statement: LiteralString) -> Row:
    """The single row a fingerprint statement returns."""
    return graph.read(statement)[0]


def cached(
    graph: Graph, key: Hashable, fingerprint_statement: LiteralString, compute: Callable[[], T]
) -> T:
    """`compute()`'s result for `key`, reused while the fingerprint stays the same."""
    current = fingerprint(graph, fingerprint_statement)
    with _LOCK:
        slots = _SLOTS.setdefault(graph, {})
        slot = slots.pop(key, None) or _Slot()
        slots[key] = slot  # the most recently used last
        while len(slots) > ENTRIES:
            del slots[next(iter(slots))]
    with slot.lock:
        if slot.result is not None and slot.fingerprint == current:
            result: T = slot.result
            return result
        fresh = compute()
        slot.fingerprint, slot.result = current, fresh
        return fresh


def clear() -> None:
    """Forget every cached result (for tests)."""
    with _LOCK:
        _SLOTS.clear()
