"""Search keys: (:SearchKey {text})-[:KEY_OF]->(item), every suffix of an item's search lines
(graph/core/search.py). Built per label (fixed names, never input)."""

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
UNWIND row.keys AS text
CREATE (:SearchKey {text: text})-[:KEY_OF]->(n)
""",
    )


COMPANY_SEARCH_KEYS: Final = search_key_statements("Company")
PERSON_SEARCH_KEYS: Final = search_key_statements("Person")

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
