"""Stored figures: the counts the company and people pages sort and filter by, kept on the
items by the writes that change them, in the same transaction.

A company stores `peopleCount`, `ourRelationshipCount` and `figuresDue`; a person
`strongestTie` and `relationshipCount` (graph/cypher/core/figures.py defines them). They are
system properties (writes.SYSTEM_KEYS): no user field, no recorded change.

Which items a write affects (the `affected_by_*` functions; each reads the graph as the write
left it, except for a node's delete, whose edges are read before they go):
- a tie (KNOWS) created, deleted or restored: both people; and each one's current companies
  where the other holds a current role at one of our companies. A tie's strength changed:
  both people only.
- a role (HOLDS_ROLE) created, deleted, restored or its `endDate` changed: its company; and,
  where that company is ours, the current companies of the person's contacts.
- a company's `isOurs` changed: the company, and the current companies of the contacts of its
  current people.
- a company or person created: itself. A node deleted or restored: what its tracked edges
  affect (and itself, restored).

`refresh_figures` recounts exactly those, one statement per kind of item: `create_in` and
`update_in` call it for their batch (so the import, per batch), the deletes and restores in
writes.py and `log_interaction` for theirs; the synthetic loader counts everything once at its
end (`backfill_figures`). "Current" depends
on the date, so a company's figures can change without a write: it stores `figuresDue`, the
last day its counts hold, and `refresh_due_figures` recounts the companies past it. It runs
every hour (server.py) and before a page sorted or filtered by figures (graph/core/reads.py:
there, once a day per process, as no write stores a `figuresDue` before today);
a company read on its own whose figures are past due is recounted for the answer
(`company_figures_by_id`), so no read shows stale figures. Existing databases get their
figures once, at start-up (`backfill_figures`).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import weakref
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from graph.core import kinds
from graph.cypher.core import figures as cypher
from graph.db.connection import Graph, Tx
from graph.db.feed import Topic

log = logging.getLogger(__name__)

# The stored figures' properties (and `figuresDue`): system properties, not user fields.
COMPANY_FIGURE_KEYS = frozenset({"peopleCount", "ourRelationshipCount", "figuresDue"})
PERSON_FIGURE_KEYS = frozenset({"strongestTie", "relationshipCount"})
FIGURE_KEYS = COMPANY_FIGURE_KEYS | PERSON_FIGURE_KEYS

BACKFILL_BATCH = 500  # items a backfill transaction counts


@dataclass
class Affected:
    """The people and companies whose figures a write may have changed."""

    people: set[str] = field(default_factory=set[str])
    companies: set[str] = field(default_factory=set[str])

    def __or__(self, other: Affected) -> Affected:
        return Affected(self.people | other.people, self.companies | other.companies)

    def __bool__(self) -> bool:
        return bool(self.people or self.companies)


def _ids(tx: Tx, statement: Any, **params: Any) -> set[str]:
    return {str(id_) for id_ in tx.run(statement, **params)[0]["ids"]}


def affected_by_ties(tx: Tx, ends: Iterable[tuple[str, str]], *, counted: bool = True) -> Affected:
    """What a change of the ties between these pairs of people affects; `counted` False when
    only their strength changed (no count changes, and no company's figure reads strength)."""
    pairs = list(ends)
    people = {person for pair in pairs for person in pair}
    if not counted or not pairs:
        return Affected(people)
    rows = [{"personId": a, "otherId": b} for x, y in pairs for a, b in ((x, y), (y, x))]
    return Affected(people, _ids(tx, cypher.COMPANIES_BY_TIES, rows=rows))


def affected_by_roles(tx: Tx, ends: Iterable[tuple[str, str]]) -> Affected:
    """What a change of the roles held by these (person, company) pairs affects."""
    pairs = set(ends)
    if not pairs:
        return Affected()
    rows = [{"personId": person, "companyId": company} for person, company in pairs]
    further = _ids(tx, cypher.COMPANIES_BY_ROLES, rows=rows)
    return Affected(companies={company for _, company in pairs} | further)


def affected_by_ours(tx: Tx, company_ids: Collection[str]) -> Affected:
    """What a change of whether these companies are ours affects."""
    if not company_ids:
        return Affected()
    further = _ids(tx, cypher.COMPANIES_BY_OURS, ids=sorted(company_ids))
    return Affected(companies=set(company_ids) | further)


def affected_by_edges(tx: Tx, tracked: Mapping[str, list[list[Any]]]) -> Affected:
    """What the tracked edges of a node (`tracked_edges`' row: roles and relationships as
    [properties, from id, to id]) affect, taken away or brought back."""
    roles = [(str(r[1]), str(r[2])) for r in tracked.get("roles", []) if r[0] is not None]
    ties = [(str(k[1]), str(k[2])) for k in tracked.get("relationships", []) if k[0] is not None]
    return affected_by_roles(tx, roles) | affected_by_ties(tx, ties)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def affected_by_new(
    tx: Tx, kind: Any, created: Iterable[tuple[str, tuple[str, str] | None]]
) -> Affected:
    """What creating these items (id, ends of an edge) of `kind` affects."""
    items = list(created)
    if kind is kinds.COMPANY:
        return Affected(companies={id_ for id_, _ in items})
    if kind is kinds.PERSON:
        return Affected(people={id_ for id_, _ in items})
    return affected_by_gone(tx, kind, [ends for _, ends in items if ends is not None])


def affected_by_gone(tx: Tx, kind: Any, ends: Iterable[tuple[str, str]]) -> Affected:
    """What creating or deleting edges of `kind` between these ends affects."""
    if kind is kinds.ROLE:
        return affected_by_roles(tx, ends)
    if kind is kinds.RELATIONSHIP:
        return affected_by_ties(tx, ends)
    return Affected()


def affected_by_changes(
    tx: Tx,
    kind: Any,
    changes: Iterable[tuple[Mapping[str, Any], Mapping[str, Any], tuple[str, str] | None]],
) -> Affected:
    """What these changes (stored properties before, user-set fields after, ends of an edge)
    of items of `kind` affect: a company's `isOurs`, a role's `endDate`, a tie's strength."""
    found = [
        (before, ends)
        for before, after, ends in changes
        for name in _WATCHED.get(kind.name, ())
        if _native(before.get(name)) != after.get(name)
        and not (name == "isOurs" and bool(before.get(name)) == bool(after.get(name)))
    ]
    if kind is kinds.COMPANY:
        return affected_by_ours(tx, {str(before["id"]) for before, _ in found})
    edges = [ends for _, ends in found if ends is not None]
    if kind is kinds.ROLE:
        return affected_by_roles(tx, edges)
    if kind is kinds.RELATIONSHIP:
        return affected_by_ties(tx, edges, counted=False)
    return Affected()


# The fields whose change moves figures, by kind name.
_WATCHED: dict[str, tuple[str, ...]] = {
    kinds.COMPANY.name: ("isOurs",),
    kinds.ROLE.name: ("endDate",),
    kinds.RELATIONSHIP.name: ("strength",),
}


def refresh_figures(tx: Tx, people_ids: Iterable[str], company_ids: Iterable[str]) -> None:
    """Recount and store the figures of these people and companies (those not found are
    skipped) inside the running transaction."""
    people, companies = sorted(set(people_ids)), sorted(set(company_ids))
    if people:
        tx.run(cypher.PEOPLE_FIGURES_REFRESH, ids=people)
    if companies:
        tx.run(cypher.COMPANY_FIGURES_REFRESH, ids=companies)


def refresh(tx: Tx, affected: Affected) -> None:
    """`refresh_figures` of what a write affected."""
    refresh_figures(tx, affected.people, affected.companies)


# Per graph: the database's date when this process last left no company due. Every write
# stores a `figuresDue` of today or later, so none falls due before the date changes.
_CHECKED: weakref.WeakKeyDictionary[Graph, Any] = weakref.WeakKeyDictionary()


def refresh_due_figures(graph: Graph, *, force: bool = False) -> int:
    """Recount the companies whose figures a role's end date changed since they were stored;
    returns how many. Once a day per process (else one `date()` read), unless `force` (the
    hourly round, which also catches a write that straddled midnight); a read when none is
    due, else one write."""
    if not force and _CHECKED.get(graph) == graph.read(cypher.TODAY)[0]["today"]:
        return 0
    row = graph.read(cypher.COMPANIES_DUE)[0]
    done = 0
    if row["ids"]:

        def work(tx: Tx) -> int:
            due = _ids(tx, cypher.COMPANIES_DUE)
            refresh_figures(tx, [], due)
            return len(due)

        done = graph.write_tx(work)
    _CHECKED[graph] = row["today"]
    return done


def backfill_figures(graph: Graph, progress: Callable[[int], None] | None = None) -> int:
    """Count and store the figures of every company and person that has none yet (a database
    from before they were stored, or a bulk load), `BACKFILL_BATCH` items a transaction;
    `progress` hears how many items each batch did. Safe to run at every start: with nothing
    to do it costs two reads. Returns how many items it counted.

    The companies and the people are counted side by side, in two threads: the engine then
    runs a statement on each core, and the two write different nodes (a clash on a shared page
    is retried by `write_tx`); when one side fails, the other stops at its next batch."""
    people = sorted(str(i) for i in graph.read(cypher.PEOPLE_WITHOUT_FIGURES)[0]["ids"])
    companies = sorted(str(i) for i in graph.read(cypher.COMPANIES_WITHOUT_FIGURES)[0]["ids"])
    if people or companies:
        log.info("counting the figures of %d people and %d companies", len(people), len(companies))
    lock = threading.Lock()
    stop = threading.Event()  # one side failed: the other stops at its next batch

    def count(ids: list[str], of_people: bool) -> None:
        for batch in _batches(ids):
            if stop.is_set():
                return

            def work(tx: Tx, batch: list[str] = batch) -> None:
                refresh_figures(tx, batch if of_people else [], [] if of_people else batch)

            # no feed entry per batch: the two threads would take turns at the feed's head
            # (graph/db/feed.py); one entry at the end tells the caches
            graph.write_tx(work, topic=Topic.NONE)
            if progress is not None:
                with lock:
                    progress(len(batch))

    with ThreadPoolExecutor(2, thread_name_prefix="figures") as pool:
        # each thread in a copy of this context: a request's deadline holds there too
        done = [
            pool.submit(contextvars.copy_context().run, count, companies, False),
            pool.submit(contextvars.copy_context().run, count, people, True),
        ]
        try:
            for future in done:
                future.result()
        except BaseException:
            stop.set()
            raise
        finally:
            if people or companies:  # what was counted, even if not all: the caches hear of it
                graph.write_tx(lambda tx: None)
    return len(people) + len(companies)


def _batches(ids: list[str]) -> list[list[str]]:
    return [ids[start : start + BACKFILL_BATCH] for start in range(0, len(ids), BACKFILL_BATCH)]
