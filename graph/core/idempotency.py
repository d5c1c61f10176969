"""Idempotency keys: a create sent again with the same key returns what the first one made.

A client (or the driver, or a proxy) may send a create twice: after a timeout, a dropped
connection, or a commit whose answer was lost. With an idempotency key, the first request
remembers the key and the id it created in the same transaction as the creation, as an
(:IdempotencyKey) node whose key is unique; a repeat finds it and writes nothing. Two
requests with the same key at the same moment: one commits, the other hits the uniqueness
rule and returns the winner's result. The same key with a different request is refused.
Keys are forgotten after GUANXI_IDEMPOTENCY_DAYS (graph/core/retention.py purges them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.core.history import to_ms
from graph.cypher.core import idempotency as cypher
from graph.db.connection import Graph, Tx
from graph.db.errors import Conflict, InvalidInput

MAX_KEY_LENGTH = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Idempotency:
    """A client's key for one create request, and a fingerprint of that request."""

    key: str
    operation: str
    fingerprint: str

    @classmethod
    def of(cls, key: str | None, operation: str, request: Mapping[str, Any]) -> Idempotency | None:
        """The key for `request` (None without a key); InvalidInput for a malformed key."""
        if key is None:
            return None
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidInput(
                f"idempotencyKey: 1 to {MAX_KEY_LENGTH} printable characters",
                field="idempotencyKey",
            )
        canonical = json.dumps([operation, request], sort_keys=True, default=str)
        return cls(key, operation, hashlib.sha256(canonical.encode()).hexdigest())


def replayed(tx: Tx, idempotency: Idempotency) -> str | None:
    """The id the first request with this key created, or None if this is the first."""
    rows = tx.run(cypher.IDEMPOTENCY_FIND, key=idempotency.key)
    if not rows:
        return None
    row = rows[0]
    if (row["operation"], row["fingerprint"]) != (idempotency.operation, idempotency.fingerprint):
        raise Conflict(
            f"idempotencyKey '{idempotency.key}' was already used for a different request "
            f"({row['operation']}); use a new key for a new request",
            field="idempotencyKey",
        )
    return str(row["resultId"])


def _remember(tx: Tx, idempotency: Idempotency, result_id: str) -> None:
    tx.run(
        cypher.IDEMPOTENCY_REMEMBER,
        key=idempotency.key,
        operation=idempotency.operation,
        fingerprint=idempotency.fingerprint,
        resultId=result_id,
        createdAtMs=to_ms(dt.datetime.now(dt.UTC)),
    )


def create_once(graph: Graph, idempotency: Idempotency | None, create: Callable[[Tx], str]) -> str:
    """Run `create` (returning the id it made) in a write transaction, once per key: a
    repeat of the key returns the first id and writes nothing."""
    return create_once_read(graph, idempotency, create, lambda tx, made: made)


def create_once_read(
    graph: Graph,
    idempotency: Idempotency | None,
    create: Callable[[Tx], str],
    read: Callable[[Tx, str], T],
) -> T:
    """`create_once`, answering with `read` of the id made, in the same transaction (a
    repeat of the key reads what the first request made, as it is now)."""
    if idempotency is None:
        return graph.write_tx(lambda tx: read(tx, create(tx)))
    key = idempotency

    def once(tx: Tx) -> T:
        found = replayed(tx, key)
        if found is not None:
            return read(tx, found)
        made = create(tx)
        _remember(tx, key, made)
        return read(tx, made)

    def again(tx: Tx) -> T | None:
        found = replayed(tx, key)
        return None if found is None else read(tx, found)

    try:
        return graph.write_tx(once)
    except Conflict:
        # the same key committed by a request running at the same time: that one stands
        answer = graph.read_tx(again)
        if answer is None:
            raise
        return answer
