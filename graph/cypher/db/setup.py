"""Constraints and indexes of every label, created idempotently at start-up (one list here, so
that the whole schema can be read in one place)."""

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
    # a search seeks its keys by prefix (graph/core/search.py)
    "CREATE INDEX search_key_text IF NOT EXISTS FOR (k:SearchKey) ON (k.text)",
    "CREATE CONSTRAINT upgrade_name IF NOT EXISTS FOR (u:Upgrade) REQUIRE u.name IS UNIQUE",
    # the stored figures pages sort and filter by (graph/core/figures.py), and the day a
    # company's figures next change by themselves
    "CREATE INDEX company_people_count IF NOT EXISTS FOR (c:Company) ON (c.peopleCount)",
    "CREATE INDEX company_our_relationship_count IF NOT EXISTS "
    "FOR (c:Company) ON (c.ourRelationshipCount)",
    "CREATE INDEX company_figures_due IF NOT EXISTS FOR (c:Company) ON (c.figuresDue)",
    "CREATE INDEX person_strongest_tie IF NOT EXISTS FOR (p:Person) ON (p.strongestTie)",
    "CREATE INDEX person_relationship_count IF NOT EXISTS FOR (p:Person) ON (p.relationshipCount)",
)

DEAL_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT deal_id IF NOT EXISTS FOR (d:Deal) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT deal_external_id IF NOT EXISTS FOR (d:Deal) REQUIRE d.externalId IS UNIQUE",
    "CREATE INDEX deal_date IF NOT EXISTS FOR (d:Deal) ON (d.date)",
)

DELETED_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE INDEX deleted_item_id IF NOT EXISTS FOR (d:DeletedItem) ON (d.itemId)",
)

HISTORY_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT change_id IF NOT EXISTS FOR (ch:Change) REQUIRE ch.id IS UNIQUE",
    "CREATE INDEX change_subject IF NOT EXISTS FOR (ch:Change) ON (ch.subjectId)",
    "CREATE INDEX change_pair IF NOT EXISTS FOR (ch:Change) ON (ch.pairKey)",
    "CREATE CONSTRAINT history_subject IF NOT EXISTS FOR (h:History) REQUIRE h.subjectId IS UNIQUE",
)

IDEMPOTENCY_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT idempotency_key IF NOT EXISTS "
    "FOR (k:IdempotencyKey) REQUIRE k.key IS UNIQUE",
)

INTERACTION_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (i:Interaction) REQUIRE i.id IS UNIQUE",
    "CREATE CONSTRAINT interaction_external_id IF NOT EXISTS "
    "FOR (i:Interaction) REQUIRE i.externalId IS UNIQUE",
    "CREATE INDEX interaction_at IF NOT EXISTS FOR (i:Interaction) ON (i.at)",
)

TOKEN_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE",
    "CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE",
)

# What a first load into an empty database lifts while it writes, and `ensure_schema` builds
# again at its end (graph/db/setup.py `schema_lifted`): the edges' uniqueness rules and the
# search keys' index, which nothing of a load reads. Each kept current costs a bulk load about
# half its edge rate (4,451 against 8,353 KNOWS edges/s into 100,000 people, partly at
# commit, where the engine checks uniqueness); built at the end, they cost seconds. The
# nodes' ids stay indexed: a load looks every edge's ends up by them.
LIFTED_FOR_FIRST_LOAD: Final[tuple[LiteralString, ...]] = (
    "DROP CONSTRAINT role_id IF EXISTS",
    "DROP CONSTRAINT knows_id IF EXISTS",
    "DROP CONSTRAINT business_id IF EXISTS",
    "DROP CONSTRAINT referral_id IF EXISTS",
    "DROP CONSTRAINT role_external_id IF EXISTS",
    "DROP CONSTRAINT knows_external_id IF EXISTS",
    "DROP CONSTRAINT business_external_id IF EXISTS",
    "DROP CONSTRAINT referral_external_id IF EXISTS",
    "DROP INDEX search_key_text IF EXISTS",
)
