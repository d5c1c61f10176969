"""Constraints and indexes, created idempotently at start-up."""

from typing import Final, LiteralString

CONSTRAINTS_AND_INDEXES: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT company_id IF NOT EXISTS FOR (c:Company) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT company_external_id IF NOT EXISTS "
    "FOR (c:Company) REQUIRE c.externalId IS UNIQUE",
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT person_external_id IF NOT EXISTS "
    "FOR (p:Person) REQUIRE p.externalId IS UNIQUE",
    "CREATE CONSTRAINT role_id IF NOT EXISTS FOR ()-[r:HOLDS_ROLE]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT knows_id IF NOT EXISTS FOR ()-[k:KNOWS]-() REQUIRE k.id IS UNIQUE",
    "CREATE CONSTRAINT business_id IF NOT EXISTS "
    "FOR ()-[b:DOES_BUSINESS_WITH]-() REQUIRE b.id IS UNIQUE",
    "CREATE CONSTRAINT referral_id IF NOT EXISTS FOR ()-[r:REFERRED]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT role_external_id IF NOT EXISTS "
    "FOR ()-[r:HOLDS_ROLE]-() REQUIRE r.externalId IS UNIQUE",
    "CREATE CONSTRAINT knows_external_id IF NOT EXISTS "
    "FOR ()-[k:KNOWS]-() REQUIRE k.externalId IS UNIQUE",
    "CREATE CONSTRAINT business_external_id IF NOT EXISTS "
    "FOR ()-[b:DOES_BUSINESS_WITH]-() REQUIRE b.externalId IS UNIQUE",
    "CREATE CONSTRAINT referral_external_id IF NOT EXISTS "
    "FOR ()-[r:REFERRED]-() REQUIRE r.externalId IS UNIQUE",
    "CREATE INDEX company_name IF NOT EXISTS FOR (c:Company) ON (c.name)",
    "CREATE INDEX company_is_ours IF NOT EXISTS FOR (c:Company) ON (c.isOurs)",
    "CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name)",
)
