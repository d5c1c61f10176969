"""Results kept until the graph changes: per Graph object, keyed, checked by a fingerprint.

A fingerprint is what one cheap statement returns (counts, newest timestamps); a cached
result is served while the fingerprint read now equals the one read when it was computed.
Writes this process makes are seen at once (the graph's write generation); the fingerprint,
which also catches other processes' writes, is read again at most every RECHECK_SECONDS.
Concurrent callers for the same key compute once; at most ENTRIES results are kept per graph,
the least recently used dropped first.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar, cast

from graph.db.connection import Graph, Row

T = TypeVar("T")
ENTRIES = 32
RECHECK_SECONDS = 1.0


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    fingerprint: Row | None = None
    generation: int = -1
    checked_at: float = 0.0
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
    with _LOCK:
        slots = _SLOTS.setdefault(graph, {})
        slot = slots.pop(key, None) or _Slot()
        slots[key] = slot  # the most recently used last
        while len(slots) > ENTRIES:
            del slots[next(iter(slots))]
    with slot.lock:
        generation = graph.generation
        kept = slot.result is not None and slot.generation == generation
        if kept and time.monotonic() - slot.checked_at < RECHECK_SECONDS:
            return cast(T, slot.result)
        current = fingerprint(graph, fingerprint_statement)
        if kept and slot.fingerprint == current:
            slot.checked_at = time.monotonic()
            return cast(T, slot.result)
        try:
            fresh = compute()
        except BaseException:
            if slot.result is None:  # a failed first computation (a bad id) keeps no slot
                with _LOCK:
                    if slots.get(key) is slot:
                        del slots[key]
            raise
        slot.fingerprint, slot.generation, slot.result = current, generation, fresh
        slot.checked_at = time.monotonic()
        return fresh


def clear() -> None:
    """Forget every cached result (for tests)."""
    with _LOCK:
        _SLOTS.clear()
