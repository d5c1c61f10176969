"""Search keys: (:SearchKey {text, gap, head, whole, item, of})-[:KEY_OF]->(item), every suffix
of an item's search lines, with what it says of a short term (graph/core/search.py), the item's
id and label. Built per label (fixed names, never input)."""

from typing import Final, LiteralString, NamedTuple


class SearchKeyStatements(NamedTuple):
    """How the search keys of one label's items are written."""

    clear: LiteralString  # $ids: remove the items' keys
    add: LiteralString  # $rows {id, keys}: give each item these keys


def search_key_statements(label: LiteralString) -> SearchKeyStatements:
    """The search key statements of the items labelled `label`."""
    return SearchKeyStatements(
        clear="""
UNWIND $ids AS id
MATCH (:"""
        + label
        + """ {id: id})<-[:KEY_OF]-(key:SearchKey)
DETACH DELETE key
""",
        # the keys are unwound after the look-up: a look-up by a value a row holds scans
        add="""
UNWIND $rows AS row
WITH row, row.id AS id
MATCH (n:"""
        + label
        + """ {id: id})
UNWIND row.keys AS key
CREATE (:SearchKey {text: key.text, gap: key.gap, head: key.head, whole: key.whole,
                    item: id, of: '"""
        + label
        + """'})-[:KEY_OF]->(n)
""",
    )


def keys_found(label: LiteralString) -> LiteralString:
    """The items labelled `label` that a term of at most 8 characters and no space ($key, of
    $length characters) lies in, from their keys alone (graph/core/search.py SearchKey): a row
    per rank (as the search's, `_rows.found`) with the ids of the items a key shows at that
    rank, repeats and all. (Flat lists of ids: 3,493 [id, rank] pairs took twice as long to
    hand over, 64 against 26 ms p50 at 100,000 people.)
    (Engine quirk: with the other conditions in the same WHERE as the STARTS WITH, the embedded
    engine scans every key, 0.4-0.6 s at 100,000 people; after a WITH it seeks the index.)"""
    return (
        """
MATCH (key:SearchKey) WHERE key.text STARTS WITH $key
WITH key
WHERE key.of = '"""
        + label
        + """' AND key.gap >= $length
WITH key, CASE WHEN key.whole AND key.text = $key THEN 0
               WHEN key.head >= $length THEN 1
               ELSE 2 END AS rank
RETURN rank, collect(key.item) AS items
"""
    )


COMPANY_SEARCH_KEYS: Final = search_key_statements("Company")
PERSON_SEARCH_KEYS: Final = search_key_statements("Person")

# The people a short term finds, from the keys alone (graph/core/reads.py person_page).
PERSON_KEYS_FOUND: Final[LiteralString] = keys_found("Person")

# Every item's searchText, for the one-off backfill of keys (one row of lists).
COMPANY_SEARCH_TEXTS: Final[LiteralString] = """
MATCH (n:Company)
RETURN collect([n.id, n.searchText]) AS items
"""

PERSON_SEARCH_TEXTS: Final[LiteralString] = """
MATCH (n:Person)
RETURN collect([n.id, n.searchText]) AS items
"""

# How many search keys there are (tests: no key is left pointing at nothing).
SEARCH_KEY_COUNT: Final[LiteralString] = """
MATCH (k:SearchKey)
RETURN count(k) AS keys
"""

# The keys of one item, all they hold (tests: every write keeps them as its name says).
SEARCH_KEYS_OF: Final[LiteralString] = """
MATCH (key:SearchKey)-[:KEY_OF]->(n)
WHERE n.id = $id
RETURN key.text AS text, key.gap AS gap, key.head AS head, key.whole AS whole,
       key.item AS item, key.of AS of
ORDER BY text
"""

# Keys as the search-keys upgrade wrote them, before they said more (tests: the upgrade).
SEARCH_KEY_RANKS_REMOVED: Final[LiteralString] = """
MATCH (key:SearchKey)
REMOVE key.gap, key.head, key.whole, key.item, key.of
"""
