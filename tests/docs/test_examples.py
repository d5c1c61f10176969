"""Every example of README.md and docs/*.md runs against the demo data (issue 21, outcome 6).

How examples are found, and the markers that give an example its variables, replace a
placeholder or say it fails on purpose: tests/docs/examples.py. In short, before a block:

    <!-- example: variables {"id": "demo:person:lina"} -->   (demo:KIND:KEY is that item's id)
    <!-- example: replace {"co_…": "demo:company:beichen"} -->
    <!-- example: expect-error BAD_USER_INPUT -->

Each example is one test, named file:line. It fails when it raises, returns `errors` (unless
it expects that code), or returns nothing: a top field that is null, [] or {}, or an object
whose every field is null, [], {} or 0 (a page with no nodes); or an empty object anywhere
(a fragment that matched nothing, as `topReferrers` without `... on Person` did); or an
import's `problems` or `refused` (examples.check_result). test_no_example_hides fails on a
block the test cannot run (tests/docs/test_example_finder.py shows each case failing).

- GraphQL (blocks, and inline code spans that are whole documents) is POSTed as an admin to
  the app served by uvicorn in this process over the demo data; a block of several anonymous
  operations runs each. A subscription is opened over graphql-transport-ws, and a write that
  it must hear of is made (TRIGGERS); its first event must be data.
- Shell blocks run command by command. `curl` runs as written (bash), in a directory holding
  `data/dev-token` (an admin API token of the demo), with 127.0.0.1:8000 replaced by the
  server's address. `python -m seed …` runs in its own process beside the session's engine
  (GUANXI_DATA_DIR, as beside `make run`), in a scratch directory; a synopsis runs with its
  `[options]` and the first of `a|b`; `DIR` is a directory holding the demo's export for
  `import`, an empty one otherwise. Other commands are listed in examples.NOT_RUN with why.
  These start processes of their own, so they are marked slow.
- Python blocks run as scripts like curl; JSON blocks must parse, and one with a `query` is
  POSTed as a request body.

Examples run in document order on one load of the demo; after one that writes (a mutation,
a subscription's trigger, an import, a restore, a token) the demo is loaded again before the
next, so no example depends on another. A writing example may not leave two companies or two
people of one name (the upsert that made a second 蓝海能源 beside the demo's).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
    value_from_ast_untyped,
)
from websockets.sync.client import connect

from graph.auth.tokens import Role, create_token
from graph.db import cache
from graph.db.connection import Graph
from graph.db.engine import EmbeddedEngine
from graph.db.setup import delete_everything
from graph.transfer.exporter import ExportFormat, export_to_directory, whole_graph
from seed.demo import load_demo
from tests.conftest import _tell_when_done, auth_headers, make_app  # pyright: ignore[reportPrivateUsage]
from tests.docs.examples import (
    GRAPHQL,
    JSON,
    NOT_RUN,
    PYTHON,
    ROOT,
    SHELL,
    Command,
    Example,
    all_examples,
    check_result,
    commands,
    synopsis,
)
from tests.live_server import served_in_a_thread

EXAMPLES, PROBLEMS = all_examples()
DOCUMENTED_HOST = "127.0.0.1:8000"
PROTOCOL = "graphql-transport-ws"
# seed subcommands that leave the graph as it was (the others write, and the demo is loaded
# again); restore writes into another data directory
READ_ONLY_SEED = frozenset({"export", "synthetic", "backup", "restore", "list"})


def _param(example: Example) -> Any:
    slow = example.tag in SHELL or example.tag == PYTHON
    return pytest.param(example, id=example.id, marks=[pytest.mark.slow] if slow else [])


class Demo:
    """The demo data behind a server, loaded again after an example that writes."""

    def __init__(self, graph: Graph, engine: EmbeddedEngine) -> None:
        self.graph = graph
        self.engine = engine
        self.base = ""
        self.dirty = True
        self._ids: dict[str, str] = {}

    def fresh(self) -> None:
        """The demo as loaded, whatever the previous example wrote."""
        if self.dirty:
            delete_everything(self.graph)
            cache.clear()
            load_demo(self.graph)
            cache.clear()
            self._ids = {}
            self.dirty = False

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST an operation as an admin; the whole response body."""
        return self.post_body({"query": query, "variables": variables or {}})

    def post_body(self, request: dict[str, Any]) -> dict[str, Any]:
        """POST a GraphQL request body as an admin; the whole response body."""
        response = httpx2.post(
            f"http://{self.base}/graphql", json=request, headers=auth_headers(), timeout=60
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def id(self, reference: str) -> str:
        """The Guanxi id of demo:company:KEY, demo:person:KEY or demo:relationships:KEY."""
        if reference not in self._ids:
            kind = reference.split(":")[1]
            if kind == "company":
                found = self.data(
                    "query ($x: String!) { companyByExternalId(externalId: $x) { id } }",
                    x=reference,
                )["companyByExternalId"]
            elif kind == "person":
                found = self.data(
                    "query ($x: String!) { personByExternalId(externalId: $x) { id } }",
                    x=reference,
                )["personByExternalId"]
            elif kind == "relationships":
                nodes = self.data("{ relationships(first: 100) { nodes { id externalId } } }")[
                    "relationships"
                ]["nodes"]
                found = next((n for n in nodes if n["externalId"] == reference), None)
            else:
                raise AssertionError(f"{reference}: no demo kind {kind!r} (company, person, …)")
            assert found is not None, f"{reference} names nothing in the demo"
            self._ids[reference] = found["id"]
        return self._ids[reference]

    def resolved(self, value: Any) -> Any:
        """`value` with every demo:KIND:KEY string replaced by its id."""
        if isinstance(value, str) and value.startswith("demo:"):
            return self.id(value)
        if isinstance(value, list):
            return [self.resolved(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
        if isinstance(value, dict):
            return {k: self.resolved(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
        return value

    def text(self, example: Example) -> str:
        """The example's text with its `replace` markers applied."""
        text = example.text
        for old, new in example.markers.replace.items():
            assert old in text, f"{example.id}: replace {old!r}, which the block does not hold"
            text = text.replace(old, str(self.resolved(new)))
        return text

    def names(self) -> dict[str, list[str]]:
        found = self.data(
            "{ companies(first: 100) { nodes { name } } people(first: 100) { nodes { name } } }"
        )
        return {kind: [n["name"] for n in found[kind]["nodes"]] for kind in found}


@pytest.fixture(scope="module")
def demo(engine_graph: Graph, embedded_engine: EmbeddedEngine) -> Iterator[Demo]:
    """The demo loaded into the session's engine, and the app serving it over HTTP."""
    state = Demo(engine_graph, embedded_engine)
    state.fresh()
    with pytest.MonkeyPatch.context() as patch:
        purged = _tell_when_done(patch, "purge_expired")
        warmed = _tell_when_done(patch, "warm_caches")
        with served_in_a_thread(make_app(engine_graph)) as base:
            assert purged.wait(60) and warmed.wait(60), "the app's start-up tasks did not end"
            state.base = base
            yield state
    delete_everything(engine_graph)
    cache.clear()


def check_names(demo: Demo, example: Example) -> None:
    """No two companies or people of one name (or one a name and a word more)."""
    for kind, names in demo.names().items():
        for i, name in enumerate(names):
            for other in names[i + 1 :]:
                same = name == other or other.startswith(name + " ") or name.startswith(other + " ")
                assert not same, f"{example.id}: two {kind} named {name!r} and {other!r}"


# --- GraphQL ---------------------------------------------------------------------------


def _operations(text: str) -> list[tuple[str, OperationDefinitionNode]]:
    """Each operation of a document, as a document of its own (with the fragments)."""
    document = parse(text)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if len(operations) == 1:
        return [(text, operations[0])]
    return [
        (print_ast(DocumentNode(definitions=(operation, *fragments))), operation)
        for operation in operations
    ]


def _arguments(operation: OperationDefinitionNode, variables: dict[str, Any]) -> dict[str, Any]:
    field = operation.selection_set.selections[0]
    assert isinstance(field, FieldNode)
    return {a.name.value: value_from_ast_untyped(a.value, variables) for a in field.arguments or ()}


def run_graphql(demo: Demo, example: Example) -> None:
    variables = demo.resolved(example.markers.variables)
    for query, operation in _operations(demo.text(example)):
        if operation.operation == OperationType.SUBSCRIPTION:
            demo.dirty = True  # its trigger writes
            body = subscribe(demo, query, operation, variables)
        else:
            if operation.operation == OperationType.MUTATION:
                demo.dirty = True
            body = demo.post(query, variables)
        check_result(body, example.markers.expect_error, example.id)
    if demo.dirty:
        check_names(demo, example)


def _side(demo: Demo, person_id: str) -> bool:
    """Whether the person is one of ours (a current role at one of our companies)."""
    found = demo.data(
        "query ($p: ID!) { person(id: $p) { roles(includePast: false) { company { isOurs } } } }",
        p=person_id,
    )["person"]
    return any(r["company"]["isOurs"] for r in found["roles"])


def _a_tie(demo: Demo, arguments: dict[str, Any]) -> dict[str, Any]:
    """A relationship between one of ours and one of theirs, of the subscription's company or
    person."""
    tie = "relationships { id strength fromPerson { id } toPerson { id } }"
    if arguments.get("personId"):
        people = [arguments["personId"]]
    else:
        roles = demo.data(
            "query ($c: ID!) { company(id: $c) { people { person { id } } } }",
            c=arguments["companyId"],
        )["company"]["people"]
        people = [r["person"]["id"] for r in roles]
    for person in people:
        found = demo.data(f"query ($p: ID!) {{ person(id: $p) {{ {tie} }} }}", p=person)
        for relationship in found["person"]["relationships"]:
            ends = relationship["fromPerson"]["id"], relationship["toPerson"]["id"]
            if _side(demo, ends[0]) != _side(demo, ends[1]):
                chosen: dict[str, Any] = relationship
                return chosen
    raise AssertionError(f"no tie of ours to {arguments} in the demo to trigger an event")


def _change_a_tie(demo: Demo, arguments: dict[str, Any]) -> None:
    tie = _a_tie(demo, arguments)
    demo.data(
        "mutation ($id: ID!, $s: Float!) { updateRelationship(id: $id, input: {strength: $s}) "
        "{ id } }",
        id=tie["id"],
        s=0.5 if tie["strength"] != 0.5 else 0.6,
    )


def _log_an_interaction(demo: Demo, arguments: dict[str, Any]) -> None:
    tie = _a_tie(demo, arguments)
    ends = [tie["fromPerson"]["id"], tie["toPerson"]["id"]]
    ours, theirs = sorted(ends, key=lambda p: not _side(demo, p))
    demo.data(
        "mutation ($at: DateTime!, $o: [ID!]!, $t: [ID!]!) { logInteraction(input: {kind: CALL, "
        'at: $at, ourPersonIds: $o, theirPersonIds: $t, summary: "example"}) { id } }',
        at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)),
        o=[ours],
        t=[theirs],
    )


# A write each subscription field must hear of, given the subscription's arguments.
TRIGGERS: dict[str, Callable[[Demo, dict[str, Any]], None]] = {
    "relationshipChanged": _change_a_tie,
    "interactionLogged": _log_an_interaction,
}


def subscribe(
    demo: Demo, query: str, operation: OperationDefinitionNode, variables: dict[str, Any]
) -> dict[str, Any]:
    """Subscribe, make the write the subscription is about, and return its first message's
    payload (an `error` message's errors as {"errors": …})."""
    field = operation.selection_set.selections[0]
    assert isinstance(field, FieldNode)
    trigger = TRIGGERS.get(field.name.value)
    assert trigger is not None, f"no trigger for subscription {field.name.value}: add to TRIGGERS"
    url = f"ws://{demo.base}/graphql"
    with connect(url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": auth_headers()}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": query, "variables": variables}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        # the server checks the arguments before it listens: a write sent at once could come
        # first (as in tests/evolution/test_subscriptions.py); a refusal comes now
        try:
            message = json.loads(ws.recv(timeout=0.5))
        except TimeoutError:
            trigger(demo, _arguments(operation, variables))
            message = json.loads(ws.recv(timeout=15))
        ws.send(json.dumps({"id": "1", "type": "complete"}))
    if message["type"] == "error":
        return {"errors": message["payload"]}
    assert message["type"] == "next", message
    result: dict[str, Any] = message["payload"]
    return result


# --- shell and Python --------------------------------------------------------------------


def _scratch(demo: Demo, directory: Path) -> None:
    """A directory like a checkout after `make run`: data/dev-token holds an admin token."""
    _, secret = create_token(demo.graph, name=f"example-{time.monotonic_ns()}", role=Role.ADMIN)
    (directory / "data").mkdir(exist_ok=True)
    (directory / "data" / "dev-token").write_text(secret + "\n")


def _served(demo: Demo, text: str) -> str:
    return text.replace(DOCUMENTED_HOST, demo.base)


def run_curl(demo: Demo, command: Command, cwd: Path, where: str) -> None:
    done = subprocess.run(
        ["bash", "-c", _served(demo, command.text)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{where}: curl exited {done.returncode}: {done.stderr}"
    try:
        body = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"{where}: not a GraphQL response: {done.stdout!r}") from None
    check_result(body, None, where)


def run_hash(command: Command, cwd: Path, where: str) -> None:
    """A `printf … | sha256sum  # <hex>…` line: the hash printed starts with the one the
    comment shows."""
    shown = re.search(r"#\s*([0-9a-f]{8,})", command.text)
    assert shown, f"{where}: a printf line without the hash it prints in a comment"
    done = subprocess.run(
        ["bash", "-c", command.text], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"{where}: exited {done.returncode}: {done.stderr}"
    assert done.stdout.startswith(shown.group(1)), f"{where}: printed {done.stdout!r}"


def _seed_environment(demo: Demo) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GUANXI_"))}
    environment.update(GUANXI_DATA_DIR=str(demo.engine.data_dir), PYTHONPATH=str(ROOT))
    return environment


def run_seed(demo: Demo, command: Command, cwd: Path, where: str, replace: dict[str, str]) -> None:
    words = synopsis(command.words)
    module = words.index("-m")
    arguments = words[module + 2 :]
    for index, word in enumerate(arguments):
        for old, new in replace.items():
            if old in word:
                arguments[index] = word.replace(old, str(demo.resolved(new)))
    sub = arguments[0] if arguments else "demo"
    action = arguments[1] if sub == "token" and len(arguments) > 1 else sub
    if action not in READ_ONLY_SEED:
        demo.dirty = True
    made: Path | None = None
    if "DIR" in arguments:
        made = cwd / f"dir-{command.line}"
        if sub == "import":  # records to import: the demo's own, exported
            export_to_directory(demo.graph, whole_graph(demo.graph), ExportFormat.CSV, made)
        arguments[arguments.index("DIR")] = str(made)
    for word in arguments:
        assert "…" not in word, f"{where}: a placeholder {word!r} left: add a replace marker"
    done = subprocess.run(
        [sys.executable, "-m", "seed", *arguments],
        cwd=cwd,
        env=_seed_environment(demo),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{where}: exited {done.returncode}: {done.stderr}"
    assert done.stdout.strip(), f"{where}: printed nothing"
    if sub == "export" and made is not None:
        rows = sum(len(f.read_text().splitlines()) for f in made.iterdir() if f.is_file())
        assert rows > len(list(made.iterdir())), f"{where}: exported nothing"


def run_shell(demo: Demo, example: Example, cwd: Path) -> None:
    for command in commands(example):
        where = example.at(command.line)
        program = command.program
        if program in NOT_RUN:
            continue
        text = command.text
        for old, new in example.markers.replace.items():
            text = text.replace(old, str(demo.resolved(new)))
        if program == "curl":
            run_curl(demo, Command(command.line, text, command.words), cwd, where)
        elif program == "seed":
            run_seed(demo, command, cwd, where, example.markers.replace)
        elif program == "printf":
            run_hash(command, cwd, where)
        else:
            raise AssertionError(f"{where}: an unknown command {program!r}: run it or NOT_RUN")


def run_python(demo: Demo, example: Example, cwd: Path) -> None:
    demo.dirty = True  # it may write
    done = subprocess.run(
        [sys.executable, "-c", _served(demo, demo.text(example))],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{example.id}: exited {done.returncode}: {done.stderr}"
    assert '"errors"' not in done.stdout, f"{example.id}: {done.stdout}"


# --- the tests ---------------------------------------------------------------------------


def test_no_example_hides() -> None:
    """Blocks the test cannot run (an unknown tag, GraphQL without its tag, a stray marker)
    and shell commands it does not know are reported, so no example escapes it."""
    problems = [f"{p.where}: {p.what}" for p in PROBLEMS]
    for example in EXAMPLES:
        if example.tag in SHELL:
            for command in commands(example):
                if command.program not in {"curl", "seed", "printf", *NOT_RUN}:
                    where = example.at(command.line)
                    problems.append(f"{where}: unknown command {command.program!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES if e.runs])
def test_example(example: Example, demo: Demo, tmp_path: Path) -> None:
    demo.fresh()
    if example.tag == GRAPHQL:
        run_graphql(demo, example)
    elif example.tag == JSON:
        body = json.loads(demo.text(example))
        if isinstance(body, dict) and "query" in body:  # a GraphQL request's body
            variables = demo.resolved({**body.get("variables", {}), **example.markers.variables})
            request: dict[str, Any] = {**body, "variables": variables}
            demo.dirty = True  # it may be a mutation
            check_result(demo.post_body(request), example.markers.expect_error, example.id)
    elif example.tag in SHELL:
        _scratch(demo, tmp_path)
        run_shell(demo, example, tmp_path)
    elif example.tag == PYTHON:
        _scratch(demo, tmp_path)
        run_python(demo, example, tmp_path)
    else:
        raise AssertionError(f"{example.id}: no way to run a {example.tag!r} example")
    if demo.dirty and example.tag != GRAPHQL:
        check_names(demo, example)
