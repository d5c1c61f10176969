"""The statements every kind of node and edge is read by id and written with, built once per
kind from its label or type (fixed names from graph/core/kinds.py, never input).

Batch statements take `$rows` and serve the API (one row), the import and the synthetic
loader (thousands) alike (the `find` ones only the import):
- `find_by_external_id` / `find_by_id` (nodes) and `find` (edges), rows {line, key, byId,
  fromId, toId}: the stored items the rows name, with `$lock` each written to itself first
  (the write lock: a concurrent write then waits, or conflicts and is retried, instead of
  being overwritten), as `existing` [line, properties, (edges) from id, to id], and `lines`,
  the rows whose ends exist. A sync looks everything up unlocked and locks what changed (a
  lock is a write: it cost a third of a sync's look-ups). An edge is found from its ends,
  never by its own properties, which no index serves;
  of a kind with at most one edge per pair, whichever edge joins the pair is found.
- `create`, rows {line, props, (edges) fromId, toId}: new items, `lines` those created (an
  edge whose end is gone is not).
- `set`, rows {id, props, (edges) fromId}: changed properties; a versioned edge counts its
  version up.
Look-ups go by values named with WITH: the embedded engine scans when a look-up names another
variable's property (`{id: row.id}`).
"""

from __future__ import annotations

from typing import Final, LiteralString, NamedTuple

from graph.cypher.core import _rows


class NodeStatements(NamedTuple):
    """What a kind of node is read and written with."""

    by_id: LiteralString  # $ids -> `item`, the stored properties
    read_back: LiteralString  # $id -> `item`, as `by_id`: what a write answers with
    props: LiteralString  # $id -> `props`
    props_locked: LiteralString  # `props` under the write lock
    props_by_external_id: LiteralString  # $externalId -> `props`
    # $externalIds -> `key` (the external id), `item` as `by_id`: one row per item found
    by_external_ids: LiteralString
    find_by_external_id: LiteralString
    find_by_id: LiteralString
    create: LiteralString
    set: LiteralString


class EdgeStatements(NamedTuple):
    """What a kind of edge is read and written with."""

    by_id: LiteralString  # $ids -> `item`, the edge as the API reads it
    read_back: LiteralString
    props: LiteralString  # $id -> `props`, `fromId`, `toId`
    props_locked: LiteralString  # the same under the write lock
    props_by_external_id: LiteralString  # $externalId -> `props`, `fromId`, `toId`
    # $externalIds -> `key` (the external id), `item` as `by_id`: one row per edge found
    by_external_ids: LiteralString
    endpoints: LiteralString  # $fromId, $toId -> `fromFound`, `toFound`
    # $fromId, $toId -> the `id` of an edge joining them, either way (kinds with at most one
    # edge per pair; None for the others)
    between: LiteralString | None
    find: LiteralString
    create: LiteralString
    set: LiteralString
    delete: LiteralString  # $id
    versioned: bool  # whether `set` counts the version up


def node_statements(label: LiteralString) -> NodeStatements:
    """The statements of the nodes labelled `label`."""
    node = "(n:" + label
    find_tail = """
FOREACH (locked IN CASE WHEN n IS NULL OR NOT $lock THEN [] ELSE [n] END |
         SET locked.id = locked.id)
RETURN collect(CASE WHEN n IS NOT NULL THEN [row.line, properties(n)] END) AS existing,
       collect(row.line) AS lines
"""
    find_head = """
UNWIND $rows AS row
WITH row, row.key AS key
OPTIONAL MATCH """
    return NodeStatements(
        by_id="""
UNWIND $ids AS id
MATCH """
        + node
        + """ {id: id})
RETURN properties(n) AS item
""",
        read_back="MATCH " + node + " {id: $id}) RETURN properties(n) AS item",
        props="MATCH " + node + " {id: $id}) RETURN properties(n) AS props",
        props_locked="MATCH "
        + node
        + """ {id: $id})
SET n.id = n.id
RETURN properties(n) AS props
""",
        props_by_external_id="MATCH "
        + node
        + " {externalId: $externalId}) RETURN properties(n) AS props",
        by_external_ids="""
UNWIND $externalIds AS key
MATCH """
        + node
        + """ {externalId: key})
RETURN key, properties(n) AS item
""",
        find_by_external_id=find_head + node + " {externalId: key})" + find_tail,
        find_by_id=find_head + node + " {id: key})" + find_tail,
        create="""
UNWIND $rows AS row
CREATE """
        + node
        + """)
SET n = row.props
RETURN collect(row.line) AS lines
""",
        set="""
UNWIND $rows AS row
WITH row, row.id AS id
MATCH """
        + node
        + """ {id: id})
SET n += row.props
""",
    )


# After `row` and its `fromId` and `toId` are bound: the two parties (a person or a company
# each, looked up by label, as an unlabelled match scans), only where both exist.
_PARTY_ENDS: Final[LiteralString] = """
OPTIONAL MATCH (fromPerson:Person {id: fromId})
OPTIONAL MATCH (fromCompany:Company {id: fromId})
OPTIONAL MATCH (toPerson:Person {id: toId})
OPTIONAL MATCH (toCompany:Company {id: toId})
WITH row, coalesce(fromPerson, fromCompany) AS a, coalesce(toPerson, toCompany) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
"""

# The same for the start alone.
_PARTY_START: Final[LiteralString] = """
OPTIONAL MATCH (fromPerson:Person {id: fromId})
OPTIONAL MATCH (fromCompany:Company {id: fromId})
WITH row, coalesce(fromPerson, fromCompany) AS a
WHERE a IS NOT NULL
"""

_ENDS_FOUND: Final[LiteralString] = """
OPTIONAL MATCH (fromPerson:Person {id: $fromId})
OPTIONAL MATCH (fromCompany:Company {id: $fromId})
OPTIONAL MATCH (toPerson:Person {id: $toId})
OPTIONAL MATCH (toCompany:Company {id: $toId})
RETURN fromPerson IS NOT NULL OR fromCompany IS NOT NULL AS fromFound,
       toPerson IS NOT NULL OR toCompany IS NOT NULL AS toFound
"""


def edge_statements(
    type_: LiteralString,
    from_label: LiteralString | None,
    to_label: LiteralString | None,
    *,
    projection: LiteralString,
    versioned: bool,
    one_per_pair: bool,
) -> EdgeStatements:
    """The statements of the edges of `type_` from a node labelled `from_label` to one
    labelled `to_label` (None on both: either end a person or a company).

    `projection` is the edge as the API reads it, with `a`, `r` and `b` bound."""
    rel = "-[r:" + type_
    # The embedded engine seeks the edge index only for a bare pattern and a WHERE on the edge:
    # `{id: $id}` on the edge, or a label on an end, makes it scan every edge of the type (8-26 s
    # for one KNOWS at 100,000 people, 4-24 ms this way). The ends' labels are checked after.
    checked: LiteralString = ""
    if from_label is not None and to_label is not None:
        checked = "\nWITH a, r, b WHERE a:" + from_label + " AND b:" + to_label
    elif from_label is not None or to_label is not None:
        raise ValueError("label both ends of an edge, or neither")
    by_id_pattern = "(a)" + rel + "]->(b) WHERE r.id = $id" + checked
    by_external_id_pattern = "(a)" + rel + "]->(b) WHERE r.externalId = $externalId" + checked
    props_columns = " RETURN properties(r) AS props, a.id AS fromId, b.id AS toId"
    rows_ends = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
"""
    if from_label is None or to_label is None:
        ends = _PARTY_ENDS
        start = _PARTY_START
        endpoints = _ENDS_FOUND
        between = None
    else:
        ends = (
            "MATCH (a:"
            + from_label
            + """ {id: fromId})
MATCH (b:"""
            + to_label
            + """ {id: toId})
"""
        )
        start = "MATCH (a:" + from_label + " {id: fromId})\n"
        endpoints = (
            "OPTIONAL MATCH (a:"
            + from_label
            + """ {id: $fromId})
OPTIONAL MATCH (b:"""
            + to_label
            + """ {id: $toId})
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound
"""
        )
        between = (
            "MATCH (:"
            + from_label
            + " {id: $fromId})"
            + rel
            + "]-(:"
            + to_label
            + " {id: $toId}) RETURN r.id AS id LIMIT 1"
        )
    if one_per_pair:
        existing = "OPTIONAL MATCH (a)" + rel + "]-(b)"
    else:
        existing = (
            "OPTIONAL MATCH (a)"
            + rel
            + """]->(b)
  WHERE (row.byId AND r.id = row.key) OR (NOT row.byId AND r.externalId = row.key)"""
        )
    version = ", r.version = coalesce(r.version, 1) + 1" if versioned else ""
    return EdgeStatements(
        by_id="MATCH (a)"
        + rel
        + "]->(b) WHERE r.id IN $ids"
        + checked
        + """
RETURN """
        + projection
        + " AS item\n",
        read_back="MATCH " + by_id_pattern + " RETURN " + projection + " AS item",
        props="MATCH " + by_id_pattern + props_columns,
        props_locked="MATCH " + by_id_pattern + "\nSET r.id = r.id\n" + props_columns,
        props_by_external_id="MATCH " + by_external_id_pattern + props_columns,
        # as `by_id`: a bare pattern and a WHERE on the edge, which the engine serves from the
        # edge's index
        by_external_ids="MATCH (a)"
        + rel
        + "]->(b) WHERE r.externalId IN $externalIds"
        + checked
        + """
RETURN r.externalId AS key, """
        + projection
        + " AS item\n",
        endpoints=endpoints,
        between=between if one_per_pair else None,
        find=rows_ends
        + ends
        + existing
        + """
FOREACH (locked IN CASE WHEN r IS NULL OR NOT $lock THEN [] ELSE [r] END |
         SET locked.id = locked.id)
RETURN collect(CASE WHEN r IS NOT NULL
                    THEN [row.line, properties(r), startNode(r).id, endNode(r).id] END)
         AS existing,
       collect(row.line) AS lines
""",
        create=rows_ends
        + ends
        + "CREATE (a)"
        + rel
        + """]->(b)
SET r = row.props
RETURN collect(row.line) AS lines
""",
        set=rows_ends
        + start
        + "MATCH (a)"
        + rel
        + """]-()
WHERE r.id = row.id
SET r += row.props"""
        + version
        + "\n",
        delete="MATCH " + by_id_pattern + " DELETE r",
        versioned=versioned,
    )


COMPANY: Final = node_statements("Company")
PERSON: Final = node_statements("Person")
ROLE: Final = edge_statements(
    "HOLDS_ROLE",
    "Person",
    "Company",
    projection=_rows.ROLE_ROW,
    versioned=False,
    one_per_pair=False,
)
RELATIONSHIP: Final = edge_statements(
    "KNOWS",
    "Person",
    "Person",
    projection=_rows.RELATIONSHIP_ROW,
    versioned=True,
    one_per_pair=True,
)
COMPANY_RELATIONSHIP: Final = edge_statements(
    "DOES_BUSINESS_WITH",
    "Company",
    "Company",
    projection=_rows.RELATIONSHIP_ROW,
    versioned=True,
    one_per_pair=True,
)
REFERRAL: Final = edge_statements(
    "REFERRED",
    None,
    None,
    projection=_rows.REFERRAL_ROW,
    versioned=False,
    one_per_pair=False,
)
