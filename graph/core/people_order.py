"""The people list's sort orders, kept in memory: a page of everyone costs an index look-up.

The embedded engine uses no index to sort or to compare ranges (docs/ARCHITECTURE.md, engine
quirks), so a page of all people sorted in a statement reads every person: 0.75-2.9 s at
100,000 people. Here every person's sort and filter fields are read once
(PEOPLE_ORDER_FIELDS, 3-6 s at 100,000 people) and kept in the change-keyed cache
(graph/db/cache.py); each sort order is made from them once, on first use; a page is a slice
of it, filtered in memory, and its people are read by id.

The order is exactly the statement's (`PERSON_PAGE`, which the tests hold it to): the sort
field, nulls last ascending and first descending (null sorts above every value, as in Cypher),
then the id ascending.

How stale: the people and their fields are read again (off the request path once the read
is slow) after any write of graph data by any process (the change feed, graph/db/feed.py),
and otherwise every ten minutes (`Expiry.TEN_MINUTES`). Meanwhile a page may place a person
where their fields put them at the last read (it shows their fields as they are now: its
people are read afresh), and leaves out a person deleted since. graph/db/cache.py says how
far behind that can be.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from graph.cypher.core import people as cypher
from graph.db import cache
from graph.db.connection import Graph

# What each sort sorts by: the position of its field in a person's row.
SORT_FIELDS: Final[dict[str, int]] = {
    "NAME": 1,
    "CREATED_AT": 2,
    "STRONGEST_TIE": 3,
    "RELATIONSHIP_COUNT": 4,
}
_ID, _TIE, _STYLE = 0, 3, 5

FILTERED: Final = 16  # filtered orders kept
_Filtered = tuple[str, bool, frozenset[str] | None, float | None]
PersonFields = list[Any]  # [id, name, createdAt ns, strongestTie or -1.0, relationshipCount, style]


@dataclass
class PeopleOrder:
    """Every person's sort and filter fields, and the sort orders made from them so far."""

    people: list[PersonFields]
    _orders: dict[tuple[str, bool], list[PersonFields]] = field(default_factory=dict)
    # the filtered orders asked for lately, the least recently used dropped past FILTERED
    _filtered: dict[_Filtered, list[PersonFields]] = field(default_factory=dict)
    # each sort order's place of every person, made on first use (ranked_page_ids)
    _places: dict[tuple[str, bool], dict[str, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def sorted_by(self, sort: str, descending: bool) -> list[PersonFields]:
        """Everyone in the order of `sort`, then id ascending (made once, then kept)."""
        with self._lock:
            order = self._orders.get((sort, descending))
            if order is None:
                column = SORT_FIELDS[sort]
                by_id = sorted(self.people, key=lambda row: row[_ID])
                order = sorted(by_id, key=_null_last(column), reverse=descending)
                self._orders[(sort, descending)] = order
            return order

    def page_ids(
        self,
        *,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        styles: Sequence[str] | None,
        min_strongest_tie: float | None,
    ) -> tuple[list[str], int]:
        """The ids of one page of everyone who passes the filters, and how many pass."""
        order = self.sorted_by(sort, descending)
        if styles is None and min_strongest_tie is None:
            chosen = order
        else:
            key = (
                sort,
                descending,
                None if styles is None else frozenset(styles),
                min_strongest_tie,
            )
            with self._lock:
                kept = self._filtered.pop(key, None)
                if kept is None:
                    kept = [row for row in order if _passes(row, styles, min_strongest_tie)]
                chosen = self._filtered[key] = kept  # the most recently used last
                while len(self._filtered) > FILTERED:
                    del self._filtered[next(iter(self._filtered))]
        return [row[_ID] for row in chosen[offset : offset + limit]], len(chosen)

    def ranked_page_ids(
        self,
        ranks: dict[str, int],
        *,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        styles: Sequence[str] | None,
        min_strongest_tie: float | None,
        skip_unknown: bool = False,
    ) -> tuple[list[str], int] | None:
        """The ids of one page of the people a search found (id -> rank) who pass the
        filters, by rank and then as `sorted_by`, and how many pass; None when one of them is
        not in the order (added since it was read: the caller asks the statement), unless
        `skip_unknown`: then they are left out."""
        order = self.sorted_by(sort, descending)
        with self._lock:
            places = self._places.get((sort, descending))
            if places is None:
                places = {row[_ID]: place for place, row in enumerate(order)}
                self._places[(sort, descending)] = places
        found: list[tuple[int, int]] = []
        for id_, rank in ranks.items():
            place = places.get(id_)
            if place is None:
                if skip_unknown:
                    continue
                return None
            found.append((rank, place))
        found.sort()
        rows = [order[place] for _, place in found]
        if styles is not None or min_strongest_tie is not None:
            rows = [row for row in rows if _passes(row, styles, min_strongest_tie)]
        return [row[_ID] for row in rows[offset : offset + limit]], len(rows)


def _null_last(column: int) -> Callable[[PersonFields], tuple[bool, Any]]:
    """A sort key that puts a null above every value, as Cypher's ORDER BY does."""

    def key(row: PersonFields) -> tuple[bool, Any]:
        value = row[column]
        return (True, 0) if value is None else (False, value)

    return key


def _passes(row: PersonFields, styles: Sequence[str] | None, min_tie: float | None) -> bool:
    if styles is not None and row[_STYLE] not in styles:
        return False
    # a person with no tie stores none; the order keeps -1.0 for them, which no filter passes
    return min_tie is None or (row[_TIE] >= 0 and row[_TIE] >= min_tie)


def people_order(graph: Graph) -> PeopleOrder:
    """Everyone's sort and filter fields, as of the last read (see the module docstring)."""

    def compute() -> PeopleOrder:
        return PeopleOrder(graph.read(cypher.PEOPLE_ORDER_FIELDS)[0]["people"])

    return cache.cached(graph, "people-order", compute, expires=cache.Expiry.TEN_MINUTES)
