"""The change feed at scale: what a follower's read costs, and how long an event takes from one
server process to a subscriber on another.

    .venv/bin/python -m benchmarks.feed [--people 100000] [--events 200] [--rounds 200]
                                        [--feed-entries 100000] [--data benchmarks/data]
                                        [--output FILE]

On the synthetic graph (benchmarks/harness.py: synthetic_graph), with the feed padded to
`--feed-entries` (100,000 by default: a week of a busy organisation's writes) plus `--events`:

- the read a cached result makes before it serves, and a server every poll: the feed's head
  (FEED_HEAD), and what came after a position with nothing, one entry and 100 entries to
  read (FEED_AFTER: a seek of the position index per position); `--rounds` each, p50/p99;
- delivery across processes: two servers on the graph, a subscriber to one person's
  relationships on the second, `--events` strength changes written one after another through
  the first; for each, the time from the write's acknowledgement to the event's arrival.
  Target: within a second (issue 22). The floor: a poll's reads, after half the poll interval
  on average (GUANXI_FEED_POLL_SECONDS, 0.2 s by default).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.progress import Progress
from websockets.sync.client import connect

from benchmarks.harness import (
    DATA,
    admin_headers,
    graphql,
    percentiles,
    server_process,
    synthetic_graph,
    timed,
)
from benchmarks.report import Report, Section, Target, machine, ms, targets_section
from graph.cypher.db import feed as cypher
from graph.db.connection import Graph
from graph.db.feed import Topic
from graph.db.settings import FeedSettings

UPDATE = """mutation ($id: ID!, $s: Float!) {
  updateRelationship(id: $id, input: {strength: $s}) { id } }"""
CHANGED = """subscription ($p: ID!) {
  relationshipChanged(personId: $p) { subjectId after } }"""
TIE = "{ people(first: 20) { nodes { id relationships { id } } } }"
DELIVERY_TARGET_MS = 1000.0


def _reads(graph: Graph, rounds: int) -> list[list[str]]:
    """p50/p99 of the follower's reads, `rounds` each."""
    head = int(graph.read(cypher.FEED_HEAD)[0]["position"])
    cases: list[tuple[str, Callable[[], object]]] = [
        ("FEED_HEAD: where the feed stands", lambda: graph.read_once(cypher.FEED_HEAD)),
        (
            "FEED_AFTER the head: nothing new",
            lambda: graph.read_once(cypher.FEED_AFTER, after=head, upTo=head),
        ),
        (
            "FEED_AFTER one entry",
            lambda: graph.read_once(cypher.FEED_AFTER, after=head - 1, upTo=head),
        ),
        (
            "FEED_AFTER 100 entries",
            lambda: graph.read_once(cypher.FEED_AFTER, after=head - 100, upTo=head),
        ),
    ]
    rows: list[list[str]] = []
    for name, read in cases:
        for _ in range(5):
            read()  # warm-up
        p50, p99 = percentiles([timed(read) for _ in range(rounds)])
        rows.append([name, str(rounds), ms(p50), ms(p99)])
    return rows


def _delivery(
    endpoint_servers: tuple[str, str], tie: str, person: str, events: int, poll_seconds: float
) -> list[float]:
    """Milliseconds from each write's acknowledgement (first server) to its event's arrival
    (a subscriber on the second server)."""
    import httpx2

    writer_url, reader_url = endpoint_servers
    headers = admin_headers()
    latencies: list[float] = []
    with (
        httpx2.Client(base_url=writer_url, headers=headers, timeout=60) as http,
        connect(
            reader_url.replace("http://", "ws://") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        ) as ws,
    ):
        ws.send(json.dumps({"type": "connection_init", "payload": headers}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": CHANGED, "variables": {"p": person}}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        time.sleep(1.0)  # the server checks the arguments, then listens
        rng = random.Random(7)
        for n in range(events):
            strength = round(0.2 + (n % 70) / 100, 2)  # each differs from the one before
            # writes at random moments of the reader's poll cycle, not right after its last
            # poll (where waiting for each event would put them)
            time.sleep(rng.uniform(0, poll_seconds))
            graphql(http, UPDATE, id=tie, s=strength)
            acknowledged = time.perf_counter()
            # a tie loaded in bulk has no history: its first change also records how it
            # stood before (a baseline), which arrives first
            for _ in range(3):
                message = json.loads(ws.recv(timeout=30))
                arrived = time.perf_counter()
                change = message["payload"]["data"]["relationshipChanged"]
                if change["subjectId"] == tie and change["after"]["strength"] == strength:
                    break
            else:
                raise RuntimeError(f"no event for the write of {strength}: last {change}")
            latencies.append((arrived - acknowledged) * 1000)
    return latencies


def _pad(graph: Graph, entries: int) -> None:
    """Append empty entries (topic housekeeping: no cache cares) until the feed holds
    `entries`: the reads below then seek in an index of that size."""
    head = int(graph.read(cypher.FEED_HEAD)[0]["position"])
    if head >= entries:
        return
    with Progress(*Progress.get_default_columns()) as progress:
        task = progress.add_task("feed entries", total=entries, completed=head)
        for _ in range(entries - head):
            graph.write_tx(lambda tx: None, topic=Topic.HOUSEKEEPING)
            progress.advance(task)


def _url(base: object) -> str:
    return str(base).rstrip("/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.feed", description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument(
        "--feed-entries",
        type=int,
        default=100_000,
        help="pad the feed to this many entries first (kept in the graph's directory)",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="where the graphs are kept")
    parser.add_argument("--output", type=Path, help="also write the report here (Markdown)")
    args = parser.parse_args(argv)
    poll_ms = FeedSettings().poll_seconds * 1000

    with synthetic_graph(args.people, root=args.data) as (graph, endpoint, _):
        _pad(graph, args.feed_entries)
        with contextlib.ExitStack() as stack:
            writer = stack.enter_context(server_process(endpoint))
            reader = stack.enter_context(server_process(endpoint))
            people = graphql(writer.client, TIE)["data"]["people"]["nodes"]
            person, tie = next(
                (p["id"], p["relationships"][0]["id"]) for p in people if p["relationships"]
            )
            urls = (
                str(writer.client.base_url).rstrip("/"),
                str(reader.client.base_url).rstrip("/"),
            )
            latencies = _delivery(urls, tie, person, args.events, poll_ms / 1000)
        entries = int(graph.read(cypher.FEED_HEAD)[0]["position"])
        reads = _reads(graph, args.rounds)

    p50, p99 = percentiles(latencies)
    report = Report(
        title="The change feed",
        facts=[
            ("scale", f"{args.people:,} people, {entries:,} feed entries"),
            ("poll interval", f"{poll_ms:.0f} ms (GUANXI_FEED_POLL_SECONDS)"),
            ("machine", machine()),
        ],
        command=" ".join(["python -m benchmarks.feed", *(argv or sys.argv[1:])]),
        sections=[
            Section(
                title="A follower's reads",
                intro="Each read once, without the driver's retries (`Graph.read_once`), as "
                "the follower and a cached result's check make them.",
                columns=["read", "rounds", "p50", "p99"],
                rows=reads,
            ),
            Section(
                title="Delivery across processes",
                intro=f"{args.events} strength changes through one server, each heard by a "
                "subscriber on another: from the write's acknowledgement to the event.",
                columns=["events", "p50", "p99", "floor"],
                rows=[
                    [
                        str(len(latencies)),
                        ms(p50),
                        ms(p99),
                        f"{ms(poll_ms / 2)} on average (half the poll interval), plus "
                        "a poll's reads (above)",
                    ]
                ],
            ),
            targets_section(
                [
                    Target(
                        f"an event reaches another process's subscriber within "
                        f"{ms(DELIVERY_TARGET_MS)} (p99)",
                        ms(p99),
                        p99 < DELIVERY_TARGET_MS,
                    )
                ]
            ),
        ],
    )
    print("\n" + report.text())
    if args.output is not None:
        args.output.write_text(report.markdown())
    return 0 if p99 < DELIVERY_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
