"""Erasure: the right to be forgotten (PIPL art. 47, GDPR art. 17). `erase_person` removes
everything stored about a person, in one write transaction (all of it or nothing), whether
they are live or soft-deleted:

- the Person node with its properties (name, external id, contact details, notes, search text)
  and its search keys, or its soft-delete archive (graph/core/deleted.py) with every
  archived edge;
- every edge: roles, relationships, referrals, reporting lines, interactions' links, and the
  archived edges other archives (a deleted company, a deleted person) hold to them;
- the change log and time indexes of every subject that is theirs: their roles, their
  relationships, referrals with them at an end, their own reporting line (also of edges
  deleted before: found by their ends);
- the interactions they took part in lose them (their id, their ties) and their free text
  (summary, follow-up: what was said with them); the interaction itself stays, a dated event
  of the others;
- idempotency records of anything that was theirs (person, edges, those interactions);
- their identifying values (name and its pinyin forms, external id, email, phone, WeChat) in
  every other item's free text (notes, summaries, change reasons and states, archives) are
  replaced by REDACTED.

What stays holds no personal data: the others' items and figures, recounted without them.
The feed entry carries `personErased` with the id only, and makes every process drop its
cached results (graph/db/cache.py). docs/PRIVACY.md says what is stored where and what an
operator does about backups and exports handed out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin

from graph.core import figures
from graph.core.events import PersonErased
from graph.core.kinds import PERSON
from graph.cypher.core import erasure as cypher
from graph.cypher.core import people
from graph.db.connection import Graph, Tx
from graph.db.errors import NotFound
from graph.db.settings import ErasureSettings

log = logging.getLogger(__name__)

REDACTED = "[erased]"  # what replaces a person's values in other items' free text
# The stored properties whose values identify the person, searched for in other items' text.
IDENTIFYING = ("name", "externalId", "email", "phone", "wechat")
MIN_LENGTH = 2  # shorter values are not searched for (one character is in too many texts)


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed (counts only: it keeps nothing of the person)."""

    person_id: str
    was_deleted: bool  # erased from the soft-delete archive
    changes_removed: int
    interactions_updated: int
    idempotency_records_removed: int
    texts_redacted: int


def identifying_values(props: dict[str, Any]) -> list[str]:
    """The person's values to search other items' free text for: their identifying
    properties, their name's pinyin (spaced, joined; lower case and capitalised) and the Latin
    part of a name in both scripts, and each
    value's JSON-escaped form (as the change log's states hold it). Longest first, so that a
    value inside another is replaced after it."""
    found: set[str] = set()
    for name in IDENTIFYING:
        value = props.get(name)
        if isinstance(value, str) and value.strip():
            found.add(value.strip())
    written = props.get("name")
    if isinstance(written, str) and not written.isascii():
        # the pinyin of its Chinese characters; and the rest of a name written in both
        # scripts ("王浩 Wang Hao": "Wang Hao")
        han = "".join(c for c in written if not c.isascii())
        latin = " ".join("".join(c for c in written if c.isascii()).split())
        syllables = [s.strip() for s in lazy_pinyin(han) if s.strip().isascii() and s.strip()]
        if len(syllables) > 1:
            for form in (" ".join(syllables), "".join(syllables)):
                found.update({form, form.title(), form.capitalize()})
        if len(latin) >= 4:
            found.add(latin)
    escaped = {json.dumps(value)[1:-1] for value in found}
    return sorted((v for v in found | escaped if len(v) >= MIN_LENGTH), key=lambda v: (-len(v), v))


def erase_person(graph: Graph, person_id: str, *, logged: bool = True) -> Erasure:
    """Erase a person as the module docstring says; NotFound when there is no such person,
    live or deleted (so also when they were erased already). Once committed, the id is
    appended to the erasure log (GUANXI_ERASURE_LOG) unless `logged` is False (a replay)."""
    done = graph.write_tx(lambda tx: erase_in(tx, person_id))
    path = ErasureSettings().erasure_log
    if logged and path is not None:
        append_to_log(path, person_id)
    return done


def append_to_log(path: Path, person_id: str) -> None:
    """Append one erasure to the log at `path`: the id and when, nothing else. A failure is
    logged, not raised: the erasure has committed; the operator adds the id by hand."""
    line = json.dumps({"personId": person_id, "erasedAt": dt.datetime.now(dt.UTC).isoformat()})
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as exc:
        log.error("erased person %s but could not append it to %s: %s", person_id, path, exc)


def logged_ids(path: Path) -> list[str]:
    """The person ids in an erasure log, in order, each once."""
    found: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            found[str(json.loads(line)["personId"])] = None
    return list(found)


@dataclass(frozen=True)
class Replay:
    """What replaying an erasure log did."""

    erased: list[str]  # ids found again (a restored backup brought them back) and erased
    absent: int  # ids already gone


def replay_log(graph: Graph, path: Path) -> Replay:
    """Erase again every person of the erasure log still (or again) in the graph: after a
    backup taken before their erasure was restored. Idempotent: absent ids are skipped."""
    erased: list[str] = []
    absent = 0
    for person_id in logged_ids(path):
        try:
            erase_person(graph, person_id, logged=False)
        except NotFound:
            absent += 1
        else:
            erased.append(person_id)
    return Replay(erased, absent)


def erase_in(tx: Tx, person_id: str) -> Erasure:
    """`erase_person` inside a running write transaction."""
    live = tx.run(cypher.ERASURE_LIVE, id=person_id)
    archived = [] if live else tx.run(cypher.ERASURE_ARCHIVED, id=person_id)
    if not live and not archived:
        raise NotFound(PERSON.name, person_id, field="id")
    props: dict[str, Any] = (live or archived)[0]["props"]
    affected = figures.Affected()
    if live:  # whose figures counted their roles and ties (read before those go)
        affected = figures.affected_by_edges(
            tx, tx.run(people.PERSON_TRACKED_EDGES, id=person_id)[0]
        )
    [ids] = tx.run(cypher.ERASURE_ITEM_IDS, id=person_id)
    edge_ids = sorted({str(i) for i in ids["edgeIds"]})
    interaction_ids = sorted({str(i) for i in ids["interactionIds"]})
    [subjects] = tx.run(cypher.ERASURE_SUBJECTS, id=person_id, edgeIds=edge_ids)
    subject_ids = sorted({str(i) for i in subjects["subjectIds"]})
    changes = 0
    if subject_ids:
        changes = int(tx.run(cypher.ERASURE_CHANGES_REMOVE, subjectIds=subject_ids)[0]["removed"])
        tx.run(cypher.ERASURE_HISTORY_REMOVE, subjectIds=subject_ids)
    updated = 0
    if interaction_ids:
        updated = int(
            tx.run(
                cypher.ERASURE_INTERACTIONS,
                id=person_id,
                interactionIds=interaction_ids,
                edgeIds=edge_ids,
            )[0]["updated"]
        )
    theirs = sorted({person_id, *edge_ids, *subject_ids, *interaction_ids})
    keys = int(tx.run(cypher.ERASURE_IDEMPOTENCY, ids=theirs)[0]["removed"])
    if live:
        tx.run(PERSON.search_keys.clear, ids=[person_id])
        tx.run(cypher.ERASURE_PERSON_REMOVE, id=person_id)
    else:
        tx.run(cypher.ERASURE_ARCHIVE_REMOVE, id=person_id)
    redacted = 0
    values = identifying_values(props)
    if values:
        for statement in (*cypher.ERASURE_REDACTIONS, cypher.ERASURE_HISTORY_REDACTION):
            redacted += int(tx.run(statement, values=values, marker=REDACTED)[0]["redacted"])
    figures.refresh(tx, affected)
    tx.publish(PersonErased(person_id))
    erasure = Erasure(person_id, not live, changes, updated, keys, redacted)
    # the id and counts only: the log keeps nothing of the person either
    log.info("erased person %s: %s", person_id, erasure)
    return erasure


@dataclass(frozen=True)
class Place:
    """Where a value was found: a node's labels or an edge's type, and the property."""

    where: str
    property: str
    value: str


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:  # pyright: ignore[reportUnknownVariableType]
            yield from _texts(item)
    elif value is not None:
        yield str(value)


def places_holding(graph: Graph, values: Iterable[str]) -> list[Place]:
    """Every node and edge property holding one of `values` (as text, or within text): an
    operator's check after an erasure, and the tests'. Reads the whole graph."""
    wanted = sorted({v for v in values if v})
    found: list[Place] = []

    def scan(where: str, props: dict[str, Any]) -> None:
        for key, value in props.items():
            for text in _texts(value):
                found.extend(Place(where, key, v) for v in wanted if v in text)

    for row in graph.read(cypher.EVERY_NODE):
        scan(":".join(sorted(row["labels"])), row["props"])
    for row in graph.read(cypher.EVERY_EDGE):
        scan(f"[{row['type']}]", row["props"])
    return found
