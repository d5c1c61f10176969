"""Idempotency keys: what a create request with a client's key made, remembered with it."""

from typing import Final, LiteralString

IDEMPOTENCY_FIND: Final[LiteralString] = """
MATCH (k:IdempotencyKey {key: $key})
RETURN k.operation AS operation, k.fingerprint AS fingerprint, k.resultId AS resultId
"""

IDEMPOTENCY_REMEMBER: Final[LiteralString] = """
CREATE (:IdempotencyKey {
  key: $key, operation: $operation, fingerprint: $fingerprint, resultId: $resultId,
  createdAtMs: $createdAtMs
})
"""

# keys older than the retention window, a batch at a time
IDEMPOTENCY_PURGE: Final[LiteralString] = """
MATCH (k:IdempotencyKey) WHERE k.createdAtMs < $beforeMs
WITH k LIMIT $limit
DELETE k
RETURN count(*) AS purged
"""
