"""Concurrent writes on the same few relationships, through the API, and what must hold after.

    python -m benchmarks.concurrency --clients 50 --writes 1000

`clients` threads, each with its own HTTP client, send GraphQL mutations at once to the server
in its own process: `logInteraction` (one of ours with one of theirs, now and then several on
each side, so one interaction moves up to four relationships) and `updateRelationship` setting
`strength` (and now and then `tier`), all on the four relationships between two of our people
and two of theirs. Every acknowledged write (HTTP 200 without errors) is kept; a write refused
as a CONFLICT (it lost to concurrent writes even after the server's retries, and wrote
nothing) is sent again and counted. `verify` then reads the API back and lists every broken
promise (see its docstring). tests/core/test_concurrent_writes.py runs the same code at a smaller
size and asserts that list is empty.

Prints: writes, acknowledged, errors, the transactions the server's driver retried (from its
log), the writes refused and sent again, throughput, and p50/p99 latency (per write, retries
included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.harness import admin_headers, percentiles, server_process
from graph.db.engine import EmbeddedEngine

TIERS = ("PASSER_BY", "ACQUAINTANCE", "FRIEND", "CONFIDANT")
# Small deposits (0.02 at most 1.5 times) and hand-set strengths within [0.3, 0.7]: a strength
# never reaches 0 or 1 in this workload, so every interaction moves it (one that could not
# move a clamped strength would record no change, rightly).
INTERACTION_KINDS = ("MESSAGE", "EMAIL")
SENTIMENTS = (-2, -1, 0, 1, 2)
# the substring of the driver's warning (in the server's log) for each retried transaction
RETRY_LOG = "Transaction failed and will be retried"

LOG_INTERACTION = """
mutation Log($input: InteractionInput!) {
  logInteraction(input: $input) { id relationships { id } }
}
"""

UPDATE_RELATIONSHIP = """
mutation Update($id: ID!, $input: PersonRelationshipPatch!) {
  updateRelationship(id: $id, input: $input) { id strength tier }
}
"""

RELATIONSHIP = """
query Relationship($id: ID!) {
  relationship(id: $id) { id tier strength level since interactionCount }
  strengthExplanation(relationshipId: $id) { strength }
}
"""

CHANGES = """
query Changes($id: ID!, $after: String) {
  changeHistory(subjectId: $id, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id operation changed before after evidenceKind interaction { id } }
  }
}
"""

INTERACTIONS = """
query Interactions($id: ID!, $after: String) {
  interactions(filter: {relationshipId: $id}, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id }
  }
}
"""


@dataclass(frozen=True)
class Fixture:
    """Two of our people, two of theirs, and the four relationships between them."""

    ours: tuple[str, str]
    theirs: tuple[str, str]
    # relationship id -> (our person, their person)
    relationships: dict[str, tuple[str, str]]

    def relationship(self, ours: str, theirs: str) -> str:
        return next(r for r, ends in self.relationships.items() if ends == (ours, theirs))


@dataclass(frozen=True)
class Write:
    """One mutation to send: its GraphQL document and variables."""

    kind: str  # "interaction" or "update"
    query: str
    variables: dict[str, Any]


@dataclass(frozen=True)
class Ack:
    """An acknowledged write: the interaction logged (and the relationships it moved), or the
    relationship updated (and the strength and tier set)."""

    kind: str
    id: str
    relationship_ids: tuple[str, ...]
    strength: float | None = None
    tier: str | None = None
    answered_later_state: bool = False  # the answer showed another write made since


@dataclass
class Outcome:
    """What the clients saw: acknowledged writes, errors, latencies (ms), wall time (s)."""

    clients: int
    writes: int
    acks: list[Ack] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    conflicts: int = 0  # writes refused as a CONFLICT and sent again by the client


class Retryable(RuntimeError):
    """The API refused a write as a CONFLICT (it lost to concurrent writes even after the
    server's retries): nothing was written, and the client may send it again."""


def _post(client: httpx2.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    errors = body.get("errors")
    codes = {(e.get("extensions") or {}).get("code") for e in errors or ()}
    if response.status_code == 200 and codes == {"CONFLICT"}:
        raise Retryable(str(errors))
    if response.status_code != 200 or errors:
        raise RuntimeError(f"HTTP {response.status_code}: {errors}")
    data: dict[str, Any] = body["data"]
    return data


# how often a client sends a write again that the API refused as a CONFLICT
CLIENT_ATTEMPTS = 3


def seed(client: httpx2.Client) -> Fixture:
    """Our company and a customer, two people at each, and the four relationships between
    ours and theirs (acquaintances at 0.5)."""

    def create(mutation: str, input_type: str, data: dict[str, Any]) -> str:
        query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ id }} }}"
        return str(_post(client, query, input=data)[mutation]["id"])

    us = create("createCompany", "CompanyInput", {"name": "Concurrency Us", "isOurs": True})
    them = create("createCompany", "CompanyInput", {"name": "Concurrency Customer"})
    people: dict[str, list[str]] = {us: [], them: []}
    for company, prefix in ((us, "Ours"), (them, "Theirs")):
        for n in (1, 2):
            person = create("createPerson", "PersonInput", {"name": f"{prefix} {n}"})
            create(
                "createRole",
                "RoleInput",
                {"personId": person, "companyId": company, "title": "Manager"},
            )
            people[company].append(person)
    relationships = {}
    for o in people[us]:
        for t in people[them]:
            data = {"fromPersonId": o, "toPersonId": t, "tier": "ACQUAINTANCE", "strength": 0.5}
            relationships[create("createRelationship", "PersonRelationshipInput", data)] = (o, t)
    ours, theirs = people[us], people[them]
    return Fixture((ours[0], ours[1]), (theirs[0], theirs[1]), relationships)


def plan(fixture: Fixture, writes: int, seed_value: int = 9) -> list[Write]:
    """`writes` mutations, half interactions (a quarter of them with several people on a side)
    and half hand-set strengths (a third of them with a tier), on the fixture's relationships;
    every strength set is a distinct value, so each must show in the history once."""
    rng = random.Random(seed_value)
    out: list[Write] = []
    # distinct at the 4 decimals the API shows
    strengths = rng.sample(range(3_000, 7_000), writes)
    for n in range(writes):
        if rng.random() < 0.5:
            ours = list(fixture.ours) if rng.random() < 0.25 else [rng.choice(fixture.ours)]
            theirs = list(fixture.theirs) if rng.random() < 0.25 else [rng.choice(fixture.theirs)]
            rng.shuffle(ours)
            rng.shuffle(theirs)
            data = {
                "kind": rng.choice(INTERACTION_KINDS),
                "at": "",  # set when sent: not in the future
                "ourPersonIds": ours,
                "theirPersonIds": theirs,
                "sentiment": rng.choice(SENTIMENTS),
                "summary": f"concurrent write {n}",
                "by": "concurrency",
            }
            out.append(Write("interaction", LOG_INTERACTION, {"input": data}))
        else:
            patch: dict[str, Any] = {"strength": strengths[n] / 10_000}
            if rng.random() < 1 / 3:
                patch["tier"] = rng.choice(TIERS)
            target = rng.choice(sorted(fixture.relationships))
            out.append(Write("update", UPDATE_RELATIONSHIP, {"id": target, "input": patch}))
    return out


def _send(client: httpx2.Client, write: Write) -> Ack:
    variables = write.variables
    if write.kind == "interaction":
        now = dt.datetime.now(dt.UTC).isoformat()
        variables = {"input": {**variables["input"], "at": now}}
        logged = _post(client, write.query, **variables)["logInteraction"]
        moved = tuple(r["id"] for r in logged["relationships"])
        return Ack("interaction", logged["id"], moved)
    updated = _post(client, write.query, **variables)["updateRelationship"]
    patch = variables["input"]
    # the answer is read back in the writing transaction: no later write may show in it
    later = (
        updated["strength"] != patch["strength"]
        or "tier" in patch
        and (updated["tier"] != patch["tier"])
    )
    ends = (updated["id"],)
    return Ack("update", updated["id"], ends, patch["strength"], patch.get("tier"), later)


def hammer(make_client: Callable[[], httpx2.Client], writes: list[Write], clients: int) -> Outcome:
    """Send `writes` from `clients` threads at once (each its own HTTP client, taking the next
    write as soon as its previous one is answered); keep what was acknowledged. A write the
    API refuses as a CONFLICT (nothing written, "try again") is sent again, up to
    CLIENT_ATTEMPTS times in all, and counted."""
    outcome = Outcome(clients=clients, writes=len(writes))
    queue = iter(enumerate(writes))
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def worker() -> None:
        with make_client() as client:
            start.wait()
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                began = time.perf_counter()
                refused = 0
                while True:
                    try:
                        ack: Ack | str = _send(client, item[1])
                    except Retryable as exc:
                        refused += 1
                        if refused < CLIENT_ATTEMPTS:
                            continue
                        ack = f"write {item[0]} ({item[1].kind}): refused {refused} times: {exc}"
                    except Exception as exc:  # an error is a finding: kept, counted, reported
                        ack = f"write {item[0]} ({item[1].kind}): {exc}"
                    break
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    outcome.conflicts += refused
                    outcome.latencies.append(elapsed)
                    if isinstance(ack, Ack):
                        outcome.acks.append(ack)
                    else:
                        outcome.errors.append(ack)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    return outcome


def _pages(client: httpx2.Client, query: str, root: str, id_: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = _post(client, query, id=id_, after=after)[root]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            assert len(nodes) == page["totalCount"], (len(nodes), page["totalCount"])
            return nodes
        after = page["pageInfo"]["endCursor"]


def _json(value: Any) -> dict[str, Any] | None:
    """A change's `before` or `after` (JSON, which may come as text)."""
    parsed: dict[str, Any] | None = json.loads(value) if isinstance(value, str) else value
    return parsed


STATE_FIELDS = ("tier", "strength", "level", "since")


def verify(client: httpx2.Client, fixture: Fixture, outcome: Outcome) -> list[str]:
    """Every promise the acknowledged writes broke (none when all is well), per relationship:

    (a) each acknowledged interaction is listed among the relationship's interactions exactly
        once, nothing else is, and `interactionCount` is their number;
    (b) each acknowledged hand-set strength (and tier) is exactly one MANUAL change in the
        relationship's `changeHistory`, and each acknowledged interaction is the evidence of
        exactly one INTERACTION change (the workload keeps strengths off 0 and 1, so each
        interaction moves it); there are no other changes besides the creation;
    (c) the history is one unbroken chain, which is what "implied" means here: oldest first,
        each change's `before` is the previous change's `after` (a write that computed from a
        stale state breaks the chain), the relationship's current tier, strength, level and
        since are the last change's `after`, and the strength equals what the strength model
        recomputes from the history (`strengthExplanation`: the last hand-set strength plus
        the deposits of the interactions recorded after it).
    """
    problems: list[str] = []
    logged: dict[str, list[str]] = {r: [] for r in fixture.relationships}
    manual: dict[str, list[Ack]] = {r: [] for r in fixture.relationships}
    for ack in outcome.acks:
        for relationship_id in ack.relationship_ids:
            if ack.kind == "interaction":
                logged[relationship_id].append(ack.id)
            else:
                manual[relationship_id].append(ack)
    for rid in sorted(fixture.relationships):
        data = _post(client, RELATIONSHIP, id=rid)
        now, explained = data["relationship"], data["strengthExplanation"]["strength"]
        # (a)
        listed = Counter(i["id"] for i in _pages(client, INTERACTIONS, "interactions", rid))
        expected = Counter(logged[rid])
        if listed != expected:
            lost, extra = expected - listed, listed - expected
            problems.append(f"{rid}: interactions lost {dict(lost)}, extra or twice {dict(extra)}")
        if now["interactionCount"] != len(logged[rid]):
            problems.append(
                f"{rid}: interactionCount {now['interactionCount']}, "
                f"{len(logged[rid])} interactions acknowledged"
            )
        # (b)
        changes = _pages(client, CHANGES, "changeHistory", rid)
        for change in changes:
            change["before"], change["after"] = _json(change["before"]), _json(change["after"])
        if not changes or changes[0]["operation"] != "CREATED":
            problems.append(f"{rid}: the history does not start with its creation")
        updates = [c for c in changes[1:] if c["evidenceKind"] == "MANUAL"]
        moves = [c for c in changes[1:] if c["evidenceKind"] == "INTERACTION"]
        if len(updates) + len(moves) != len(changes) - 1:
            problems.append(f"{rid}: changes neither set by hand nor moved by an interaction")
        set_to = Counter((c["after"]["strength"], c["after"]["tier"]) for c in updates)
        for ack in manual[rid]:
            key = (ack.strength, ack.tier or next(t for s, t in set_to if s == ack.strength))
            if set_to[key] != 1:
                problems.append(f"{rid}: strength {key} set, recorded {set_to[key]} times")
        if len(updates) != len(manual[rid]):
            problems.append(
                f"{rid}: {len(updates)} strengths set by hand recorded, "
                f"{len(manual[rid])} acknowledged"
            )
        evidence = Counter(str((c["interaction"] or {}).get("id")) for c in moves)
        if evidence != expected:
            lost, extra = expected - evidence, evidence - expected
            problems.append(
                f"{rid}: interactions without their change {dict(lost)}, "
                f"changes without their interaction or twice {dict(extra)}"
            )
        # (c)
        for previous, change in zip(changes, changes[1:], strict=False):
            if change["before"] != previous["after"]:
                problems.append(
                    f"{rid}: change {change['id']} ({change['evidenceKind']}) starts from "
                    f"{change['before']}, the change before it ({previous['evidenceKind']}) "
                    f"ended at {previous['after']}"
                )
        last = changes[-1]["after"] if changes else None
        current = {name: now[name] for name in STATE_FIELDS}
        if last is None or {name: last.get(name) for name in STATE_FIELDS} != current:
            problems.append(f"{rid}: now {current}, the last recorded change says {last}")
        if abs(explained - now["strength"]) > 1e-9:
            problems.append(f"{rid}: strength {now['strength']}, the history implies {explained}")
    return problems


def retries(log_text: str) -> int:
    """How many transactions the server's driver retried (a warning in its log each)."""
    return log_text.count(RETRY_LOG)


def server_errors(log_text: str) -> list[str]:
    """The errors the server logged (JSON lines), each with the end of its exception."""
    found = []
    for text in log_text.splitlines():
        if not text.startswith("{"):
            continue
        line = json.loads(text)
        if line.get("level") in ("ERROR", "CRITICAL"):
            tail = " | ".join(str(line.get("exception", "")).splitlines()[-3:])
            found.append(f"{line.get('message')} {tail}")
    return found


def figures(outcome: Outcome, retried: int | None = None) -> list[str]:
    """The run in a few lines: writes, acknowledged, errors, retries, throughput, latency."""
    p50, p99 = percentiles(outcome.latencies) if outcome.latencies else (0.0, 0.0)
    kinds = Counter(a.kind for a in outcome.acks)
    lines = [
        f"clients {outcome.clients}, writes {outcome.writes}: acknowledged {len(outcome.acks)} "
        f"({kinds['interaction']} interactions, {kinds['update']} strength updates), "
        f"errors {len(outcome.errors)}",
        ("" if retried is None else f"transactions retried by the server's driver {retried}, ")
        + f"writes refused as CONFLICT and sent again by the client {outcome.conflicts}",
        f"updates answered with a state a later write made: "
        f"{sum(a.answered_later_state for a in outcome.acks)}",
        f"{outcome.writes / outcome.seconds:.1f} writes/s over {outcome.seconds:.1f} s; "
        f"latency p50 {p50:.0f} ms, p99 {p99:.0f} ms",
    ]
    lines.extend(f"  error: {e}" for e in outcome.errors[:10])
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--log", type=Path, help="keep the server's log (JSON lines) here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        engine = EmbeddedEngine(Path(scratch) / "engine", database="guanxi")
        endpoint = engine.start()
        log = args.log or Path(scratch) / "server.log"
        try:
            with server_process(endpoint, log=log) as running:
                base = str(running.client.base_url)

                def make_client() -> httpx2.Client:
                    return httpx2.Client(base_url=base, headers=admin_headers(), timeout=300)

                fixture = seed(running.client)
                outcome = hammer(make_client, plan(fixture, args.writes), args.clients)
                problems = verify(running.client, fixture, outcome)
        finally:
            engine.stop()
        for line in figures(outcome, retries(log.read_text())):
            print(line)
        for line in server_errors(log.read_text())[:3]:
            print(f"  server: {line}")
    print(f"checked {len(fixture.relationships)} relationships: {len(problems)} problems")
    for problem in problems[:20]:
        print(f"  {problem}")
    if problems or outcome.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
