"""The core entities: companies, people, roles, relationships and referrals; their kinds,
validation, reads, writes, history, soft deletes, idempotency keys and retention."""
