"""Every Cypher statement passes Neo4j's own parser and semantic analysis.

Runs last (see conftest). Checks every statement registered in graph/cypher, which includes
every statement the suite executed (each must be registered), with Neo4j's analysis from the
npm package @neo4j-cypher/language-support (`lintCypherQuery`), installed by `make test`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from graph.cypher import all_statements
from tests.conftest import STATEMENTS

LINTER = Path(__file__).resolve().parent / "cypher_lint" / "lint.mjs"
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _normalise(query: str) -> str:
    return " ".join(query.split())


def _lint(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Neo4j's analysis of every statement, in one Node process per core (about 170 ms a
    statement), results in the order given."""
    parts = max(1, min(os.cpu_count() or 1, len(batch) // 50))
    with ThreadPoolExecutor(parts) as pool:
        done = pool.map(_lint_part, [batch[i::parts] for i in range(parts)])
    interleaved: list[dict[str, Any]] = [{}] * len(batch)
    for i, results in enumerate(done):
        interleaved[i::parts] = results
    return interleaved


def _lint_part(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["node", str(LINTER)],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_every_statement_is_registered_and_neo4j_compatible() -> None:
    registered = {_normalise(q): q for q in all_statements().values()}
    executed = {query for query, _ in STATEMENTS.executed}
    assert executed, "no statement was recorded: the suite ran nothing against the engine"
    unregistered = [q for q in executed if _normalise(q) not in registered]
    assert not unregistered, f"statements outside graph/cypher: {unregistered}"
    never_run = len(registered) - len({_normalise(q) for q in executed})

    batch = [
        {"query": query, "parameters": dict.fromkeys(PARAMETER.findall(query))}
        for query in registered.values()
    ]
    results = _lint(batch)
    errors = [(r["query"], r["errors"]) for r in results if r["errors"]]
    warnings = [(r["query"], r["warnings"]) for r in results if r["warnings"]]
    STATEMENTS.compat_line = (
        f"cypher-compat: {len(results)} statements checked, "
        f"{sum(len(e) for _, e in errors)} errors, {sum(len(w) for _, w in warnings)} warnings"
        f" ({len(executed)} executed by the suite, {never_run} registered but not run)"
    )
    print(STATEMENTS.compat_line)
    assert not errors, errors
    assert not warnings, warnings


def test_the_linter_catches_what_it_should() -> None:
    """The check itself can fail: a syntax error, an undefined variable, a deprecation."""
    syntax, undefined, deprecated, undeclared = _lint(
        [
            {"query": "MATCH (n RETURN n", "parameters": {}},
            {"query": "MATCH (n) RETURN m", "parameters": {}},
            {"query": "MATCH (n) RETURN id(n)", "parameters": {}},
            {"query": "MATCH (n {id: $id}) RETURN n", "parameters": {}},
        ]
    )
    assert syntax["errors"] and undefined["errors"] and undeclared["errors"]
    assert deprecated["warnings"] and not deprecated["errors"]
