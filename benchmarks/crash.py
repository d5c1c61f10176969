"""Crash runs: the server killed (SIGKILL) mid-write, restarted on the same data directory.

    .venv/bin/python -m benchmarks.crash [--runs 12] [--batch 200] [--seed N] [--heap 1g]

Starts `python server.py` on a fresh data directory with the embedded engine inside it
(NEO4J_URI unset), then, run after run, alternating the two workloads:

- **stream**: one client sends `createCompany` calls one after another, each with its own
  name; a call whose HTTP response came back without errors is acknowledged (with its id);
- **import**: one client sends strict `importRecords` calls of `--batch` companies each (one
  call, one transaction), every company with its own external id;

kills the server with SIGKILL at a random moment (uniform 0.5-4 s after the workload's first
acknowledged call),
restarts it on the same directory (nothing repaired by hand) and checks, through the API:
every write acknowledged so far, in this run and every earlier one, is there; of the writes in
flight at the kill, at most the one call the client had sent may have landed (a stream call),
and an import call is there whole or not at all. The data directory survives every crash of
the invocation, so later runs also check that earlier recoveries lost nothing.

Prints a line per run, then "N of M runs kept every acknowledged write" and the restart time
(process start to GET /readyz 200) median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx2

from benchmarks.harness import BENCH_JWT_SECRET, ROOT, admin_headers, free_port

Kind = Literal["stream", "import"]
KINDS: tuple[Kind, Kind] = ("stream", "import")

CREATE: str = "mutation ($name: String!) { createCompany(input: {name: $name}) { id name } }"
IMPORT: str = """mutation ($companies: [JSON!]!) {
  importRecords(input: {companies: $companies}, strict: true, by: "crash run") {
    refused counts { kind created updated unchanged bad } } }"""
EXPORT: str = "{ exportRecords(format: JSONL) { name records content } }"
READY_WITHIN = 120.0  # seconds for a (re)start to answer /readyz


class ServerDied(RuntimeError):
    """The server process exited, or did not become ready."""


class Server:
    """`python server.py` with the embedded engine in the process, data in `data_dir`."""

    def __init__(self, data_dir: Path, log: Path, heap: str = "1g") -> None:
        self.data_dir = data_dir
        self.log = log
        self.heap = heap
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start the process; the seconds until GET /readyz answered 200."""
        self.port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("NEO4J_")  # the embedded engine, inside the server process
        }
        env.update(
            GUANXI_DATA_DIR=str(self.data_dir),
            GUANXI_PORT=str(self.port),
            GUANXI_DEMO_DATA="0",
            GUANXI_JWT_SECRET=BENCH_JWT_SECRET,
            GUANXI_ENGINE_HEAP=self.heap,
        )
        started = time.perf_counter()
        with self.log.open("ab") as out:
            out.write(f"--- start at {time.strftime('%H:%M:%S')}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        deadline = started + READY_WITHIN
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise ServerDied(f"the server exited ({self.process.returncode}); see {self.log}")
            try:
                if httpx2.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise ServerDied(f"not ready within {READY_WITHIN:.0f} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: the process, its JVM and the engine in it end at once."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM, an orderly stop (SIGKILL after 30 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self) -> httpx2.Client:
        return httpx2.Client(base_url=self.base, timeout=60, headers=admin_headers())


@dataclass
class Ledger:
    """Every write sent so far, and which were acknowledged."""

    token: str = field(default_factory=lambda: secrets.token_hex(3))
    # stream: name -> the id returned, or None while unacknowledged
    created: dict[str, str | None] = field(default_factory=dict)
    # import: external id prefix of a call -> (its size, acknowledged)
    calls: dict[str, tuple[int, bool]] = field(default_factory=dict)

    def name(self, run: int, index: int) -> str:
        return f"crash {self.token} r{run} m{index}"

    def call_prefix(self, run: int, call: int) -> str:
        return f"crash-{self.token}-r{run}-c{call}-"


@dataclass(frozen=True)
class RunResult:
    """One crash run: what was acknowledged and what the restarted server holds."""

    run: int
    kind: Kind
    killed_after: float  # seconds into the workload (its first acknowledged call + 0.5-4 s)
    acknowledged: int  # calls acknowledged in this run
    in_flight: int  # calls sent but unanswered at the kill (0 or 1)
    landed: int  # of those, calls found after the restart
    lost: list[str]  # acknowledged writes (any run's) missing after the restart
    partial: list[str]  # import calls found in part
    restart_seconds: float
    error: str = ""  # the restart failed, or the workload failed before the kill

    @property
    def kept(self) -> bool:
        return not (self.lost or self.partial or self.error) and self.landed <= self.in_flight

    def line(self) -> str:
        what = "creates" if self.kind == "stream" else "import calls"
        verdict = "kept everything" if self.kept else "FAILED"
        detail = f" lost {len(self.lost)} (e.g. {self.lost[:3]})" if self.lost else ""
        detail += f" partial {self.partial[:3]}" if self.partial else ""
        detail += f" {self.error}" if self.error else ""
        return (
            f"run {self.run:>2} {self.kind:<6} killed at {self.killed_after:4.2f} s: "
            f"{self.acknowledged:>4} {what} acknowledged, {self.landed} of {self.in_flight} "
            f"in flight landed; restart {self.restart_seconds:5.1f} s; {verdict}{detail}"
        )


def _stream(
    client: httpx2.Client, ledger: Ledger, run: int, stop: threading.Event, going: threading.Event
) -> None:
    index = 0
    while not stop.is_set():
        name = ledger.name(run, index)
        ledger.created[name] = None  # sent, not yet acknowledged
        response = client.post("/graphql", json={"query": CREATE, "variables": {"name": name}})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"createCompany failed: {response.status_code} {body}")
        ledger.created[name] = str(body["data"]["createCompany"]["id"])
        going.set()
        index += 1


def _import(
    client: httpx2.Client,
    ledger: Ledger,
    run: int,
    stop: threading.Event,
    going: threading.Event,
    batch: int,
) -> None:
    call = 0
    while not stop.is_set():
        prefix = ledger.call_prefix(run, call)
        companies = [{"externalId": f"{prefix}{i}", "name": f"{prefix}{i}"} for i in range(batch)]
        ledger.calls[prefix] = (batch, False)
        response = client.post(
            "/graphql", json={"query": IMPORT, "variables": {"companies": companies}}
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"importRecords failed: {response.status_code} {body}")
        result = body["data"]["importRecords"]
        [count] = result["counts"]
        if result["refused"] or count["created"] != batch:
            raise RuntimeError(f"importRecords did not create the batch: {result}")
        ledger.calls[prefix] = (batch, True)
        going.set()
        call += 1


def stored_companies(client: httpx2.Client) -> dict[str, dict[str, Any]]:
    """Every company the server holds, by id, as exportRecords writes it."""
    response = client.post("/graphql", json={"query": EXPORT})
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"exportRecords failed: {body['errors']}")
    [companies] = [f for f in body["data"]["exportRecords"] if f["name"].startswith("companies")]
    rows = [json.loads(line) for line in companies["content"].splitlines() if line.strip()]
    return {str(row["id"]): row for row in rows}


def readable(client: httpx2.Client, ids: list[str]) -> set[str]:
    """Those of `ids` that `company(id)` returns, asked 40 at a time."""
    found: set[str] = set()
    for start in range(0, len(ids), 40):
        chunk = ids[start : start + 40]
        fields = " ".join(f'c{i}: company(id: "{cid}") {{ id }}' for i, cid in enumerate(chunk))
        body = client.post("/graphql", json={"query": f"{{ {fields} }}"}).json()
        if body.get("errors"):
            raise RuntimeError(f"company(id) failed: {body['errors']}")
        found.update(v["id"] for v in body["data"].values() if v)
    return found


def crash_run(
    server: Server, ledger: Ledger, run: int, kind: Kind, rng: random.Random, batch: int = 200
) -> RunResult:
    """One run on a ready server: the workload, SIGKILL at a random moment, the restart, the
    checks. Leaves the restarted server running for the next run."""
    stop, going = threading.Event(), threading.Event()
    failure: list[str] = []

    def work() -> None:
        with server.client() as client:
            try:
                if kind == "stream":
                    _stream(client, ledger, run, stop, going)
                else:
                    _import(client, ledger, run, stop, going, batch)
            except (httpx2.TransportError, json.JSONDecodeError):
                pass  # the kill
            except Exception as exc:  # a write refused before the kill: the run is void
                failure.append(f"workload: {exc}")
            going.set()

    # The moment is counted from the first acknowledged call: the first calls after a
    # (re)start run cold and slow, and a kill before any would test little.
    delay = rng.uniform(0.5, 4.0)
    worker = threading.Thread(target=work, daemon=True)
    started = time.perf_counter()
    worker.start()
    going.wait(timeout=READY_WITHIN)
    time.sleep(delay)
    server.kill()
    killed_after = time.perf_counter() - started
    stop.set()
    worker.join(timeout=60)

    mine: dict[str, str | None] = {}
    if kind == "stream":
        prefix = ledger.name(run, 0).removesuffix("0")
        mine = {n: i for n, i in ledger.created.items() if n.startswith(prefix)}
        acknowledged = sum(1 for i in mine.values() if i is not None)
        in_flight = len(mine) - acknowledged
    else:
        prefix = ledger.call_prefix(run, 0).removesuffix("c0-")
        mine_calls = {p: a for p, (_, a) in ledger.calls.items() if p.startswith(prefix)}
        acknowledged = sum(mine_calls.values())
        in_flight = len(mine_calls) - acknowledged
    try:
        restart = server.start()
    except ServerDied as exc:
        return RunResult(run, kind, killed_after, acknowledged, in_flight, 0, [], [], 0.0, str(exc))
    lost: list[str] = []
    partial: list[str] = []
    landed = 0
    with server.client() as client:
        stored = stored_companies(client)
        names = {str(row["name"]) for row in stored.values()}
        external = {str(row.get("externalId")) for row in stored.values()}
        # every acknowledged create, of any run, by its id and its name
        for name, cid in ledger.created.items():
            if cid is not None and (cid not in stored or stored[cid]["name"] != name):
                lost.append(name)
        if kind == "stream":
            acked_ids = [i for i in mine.values() if i is not None]
            missing = set(acked_ids) - readable(client, acked_ids)
            lost.extend(f"company(id: {i}) is null" for i in sorted(missing))
            landed = sum(1 for n, i in mine.items() if i is None and n in names)
        # every import call: whole or absent; acknowledged ones whole
        for prefix, (size, acked) in ledger.calls.items():
            there = sum(1 for i in range(size) if f"{prefix}{i}" in external)
            if there not in (0, size):
                partial.append(f"{prefix}* {there} of {size}")
            elif acked and there == 0:
                lost.append(f"{prefix}* (all {size})")
            elif kind == "import" and not acked and there == size:
                landed += 1
    # what landed unacknowledged counts as acknowledged from now on: later runs check it too
    for name, cid in list(ledger.created.items()):
        if cid is None and name in names:
            ledger.created[name] = next(i for i, r in stored.items() if r["name"] == name)
    for prefix, (size, acked) in list(ledger.calls.items()):
        if not acked and f"{prefix}0" in external:
            ledger.calls[prefix] = (size, True)
    return RunResult(
        run,
        kind,
        killed_after,
        acknowledged,
        in_flight,
        landed,
        lost,
        partial,
        restart,
        failure[0] if failure else "",
    )


@contextmanager
def crash_server(data_dir: Path, heap: str = "1g") -> Iterator[tuple[Server, float]]:
    """The server started on `data_dir` (its log beside it), stopped in order at the end;
    and the seconds its first start took."""
    server = Server(data_dir, data_dir.parent / f"{data_dir.name}-server.log", heap)
    first = server.start()
    try:
        yield server, first
    finally:
        server.stop()


def crash_runs(
    data_dir: Path,
    runs: int,
    *,
    batch: int = 200,
    seed: int | None = None,
    heap: str = "1g",
    report: Callable[[RunResult], None] = lambda r: None,
) -> tuple[list[RunResult], float]:
    """`runs` crash runs, alternating stream and import, on one data directory; the results
    and the first start's seconds."""
    rng = random.Random(seed)
    ledger = Ledger()
    results: list[RunResult] = []
    with crash_server(data_dir, heap) as (server, first):
        for run in range(runs):
            result = crash_run(server, ledger, run, KINDS[run % 2], rng, batch)
            results.append(result)
            report(result)
            if result.error.startswith("the server") or result.error.startswith("not ready"):
                break
    return results, first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crash", description=__doc__)
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--batch", type=int, default=200, help="companies per import call")
    parser.add_argument("--seed", type=int, default=None, help="for the kill moments")
    parser.add_argument("--heap", default="1g", help="the engine's JVM heap")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guanxi-crash-") as scratch:
        data_dir = Path(scratch) / "data"
        print(f"data directory {data_dir}; {args.runs} runs, import calls of {args.batch}")
        results, first = crash_runs(
            data_dir,
            args.runs,
            batch=args.batch,
            seed=args.seed,
            heap=args.heap,
            report=lambda r: print(r.line(), flush=True),
        )
        kept = sum(r.kept for r in results)
        restarts = [r.restart_seconds for r in results if r.restart_seconds]
        creates = sum(r.acknowledged for r in results if r.kind == "stream")
        calls = sum(r.acknowledged for r in results if r.kind == "import")
        print(
            f"{kept} of {args.runs} runs kept every acknowledged write "
            f"({creates} creates and {calls} import calls of {args.batch} acknowledged; "
            f"{sum(r.landed for r in results)} of {sum(r.in_flight for r in results)} "
            "in-flight calls landed)"
        )
        if restarts:
            print(
                f"restart to ready: median {statistics.median(restarts):.1f} s "
                f"(min {min(restarts):.1f}, max {max(restarts):.1f}); first start {first:.1f} s"
            )
        if kept < args.runs:
            log = data_dir.parent / f"{data_dir.name}-server.log"
            print(f"server log (last 40 lines of {log}):")
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        return 0 if kept == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
