"""The change feed (graph/db/feed.py): one entry per committed write transaction, numbered by
a counter that every write transaction increments, so that positions follow commit order."""

from typing import Final, LiteralString

FEED_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT feed_entry_position IF NOT EXISTS "
    "FOR (e:FeedEntry) REQUIRE e.position IS UNIQUE",
    "CREATE CONSTRAINT feed_head_key IF NOT EXISTS FOR (h:FeedHead) REQUIRE h.key IS UNIQUE",
    "CREATE INDEX feed_entry_at IF NOT EXISTS FOR (e:FeedEntry) ON (e.atMs)",
)

# The last statement of every write transaction. Incrementing the one head node takes its
# write lock until commit on Neo4j (the read of `head.position` is part of the SET, so no
# update is lost), and makes a concurrent writer fail at commit and be retried on the
# embedded engine (optimistic: both changed the same record). Either way a transaction that
# commits later gets a higher position, and one rolled back leaves no gap.
FEED_APPEND: Final[LiteralString] = """
MERGE (head:FeedHead {key: 'feed'})
ON CREATE SET head.position = 0
SET head.position = head.position + 1
CREATE (entry:FeedEntry {position: head.position, atMs: $atMs, topic: $topic,
  events: $events, origin: $origin})
RETURN entry.position AS position
"""

# Where the feed stands, with the database's clock (what cached results also depend on).
FEED_HEAD: Final[LiteralString] = """
OPTIONAL MATCH (head:FeedHead {key: 'feed'})
RETURN coalesce(head.position, 0) AS position, toString(date()) AS today,
  datetime().epochSeconds AS epochSeconds
"""

# What changed after position $after, up to $upTo (the head, or less), in commit order: a seek
# of the position's index per position. Not `WHERE entry.position > $after ORDER BY ... LIMIT`:
# the embedded engine uses no index for a range, and would read and sort every entry
# (docs/ARCHITECTURE.md, engine quirks). Positions have no gaps, so the range is exact; the
# entries purged past their retention are simply not found.
FEED_AFTER: Final[LiteralString] = """
UNWIND range($after + 1, $upTo) AS wanted
MATCH (entry:FeedEntry {position: wanted})
RETURN entry.position AS position, entry.topic AS topic, entry.events AS events,
  entry.atMs AS atMs, entry.origin AS origin
ORDER BY position
"""

# Forget entries older than the feed's retention, a batch at a time.
FEED_PURGE: Final[LiteralString] = """
MATCH (entry:FeedEntry)
WHERE entry.atMs < $beforeMs
WITH entry LIMIT $limit
DELETE entry
RETURN count(*) AS purged
"""
