"""A first load into an empty database (issue 19): the import and the synthetic loader lift
the edges' uniqueness rules and the search keys' index while they write and build them again
at the end, count the stored figures once, and say how far they are per file."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest

from graph.core import kinds, writes
from graph.cypher.db import admin
from graph.db.connection import Graph
from graph.db.errors import Conflict, GuanxiError
from graph.db.setup import delete_everything, ensure_schema, schema_lifted
from graph.transfer.importer import directory_sources, import_records
from graph.transfer.records import FileFormat
from seed.synthetic import Synthetic, generate, load
from seed.synthetic_files import change_records, write_synthetic
from tests.core.test_figures import assert_figures_hold

LIFTED = {"knows_id", "knows_external_id", "role_id", "referral_id", "business_external_id"}


def _rules(graph: Graph) -> set[str]:
    return set(graph.read(admin.CONSTRAINT_NAMES)[0]["names"])


def _indexes(graph: Graph) -> set[str]:
    return set(graph.read(admin.INDEX_NAMES)[0]["names"])


def _duplicate_tie(graph: Graph, data: Synthetic) -> None:
    """Create a KNOWS whose id the first generated one has (refused while its rule holds)."""
    tie = data.relationships[0]
    props = writes.new_props(kinds.RELATIONSHIP, {"tier": "ACQUAINTANCE", "strength": 0.3})
    item = writes.New({**props, "id": tie["props"]["id"]}, (tie["toId"], tie["fromId"]))
    graph.write_tx(lambda tx: writes.create_in(tx, kinds.RELATIONSHIP, [item], None))


def test_a_bulk_import_counts_figures_once_and_builds_every_rule_again(
    graph: Graph, tmp_path: Path
) -> None:
    data = generate(300, history=False)
    counts = write_synthetic(data, tmp_path, FileFormat.CSV)
    heard: collections.Counter[tuple[str, str]] = collections.Counter()
    lifted_while_writing: list[bool] = []

    def progress(phase: str, source: str, n: int) -> None:
        heard[phase, source] += n
        if phase == "written" and source == "relationships.csv":
            lifted_while_writing.append(not LIFTED & _rules(graph))

    report = import_records(graph, directory_sources(tmp_path), progress=progress, bulk=True)

    assert not report.problems
    assert lifted_while_writing and all(lifted_while_writing)
    assert _rules(graph) >= LIFTED
    assert "search_key_text" in _indexes(graph)
    for name, count in counts.items():
        assert heard["written", name] == count, name
        assert heard["checked", name] == count, name
        assert report.counts[name].created == count, name
    assert heard["written", "figures"] == len(data.people) + len(data.companies)
    assert assert_figures_hold(
        graph, [c["id"] for c in data.companies], [p["id"] for p in data.people]
    ) == len(data.people) + len(data.companies)
    with pytest.raises(Conflict):
        _duplicate_tie(graph, data)


def test_an_import_into_a_populated_database_lifts_nothing(graph: Graph, tmp_path: Path) -> None:
    data = generate(150, history=False)
    write_synthetic(data, tmp_path, FileFormat.CSV)
    import_records(graph, directory_sources(tmp_path), bulk=True)
    seen: list[bool] = []

    def progress(phase: str, source: str, n: int) -> None:
        seen.append(_rules(graph) >= LIFTED)

    report = import_records(graph, directory_sources(tmp_path), progress=progress, bulk=True)
    assert report.written == 0 and seen and all(seen)


def test_the_synthetic_loader_builds_every_rule_again(graph: Graph) -> None:
    data = generate(150)
    load(graph, data, batch_size=400)
    assert _rules(graph) >= LIFTED
    assert "search_key_text" in _indexes(graph)
    with pytest.raises(Conflict):
        _duplicate_tie(graph, data)


def test_the_rules_come_back_when_a_load_fails(graph: Graph) -> None:
    with pytest.raises(RuntimeError), schema_lifted(graph):
        assert not LIFTED & _rules(graph)
        raise RuntimeError("the load broke off")
    assert _rules(graph) >= LIFTED


def test_a_rule_that_cannot_be_built_again_is_a_clear_error(graph: Graph) -> None:
    data = generate(100, history=False)
    load(graph, data)
    try:
        with pytest.raises(GuanxiError, match="share an id"), schema_lifted(graph):
            _duplicate_tie(graph, data)
    finally:
        delete_everything(graph)
        ensure_schema(graph)
    assert _rules(graph) >= LIFTED


def test_without_bulk_an_import_into_an_empty_database_lifts_nothing(
    graph: Graph, tmp_path: Path
) -> None:
    """importRecords, or the command line beside a running server: others may write meanwhile."""
    data = generate(150, history=False)
    write_synthetic(data, tmp_path, FileFormat.CSV)
    seen: list[bool] = []
    figures_heard: list[int] = []

    def progress(phase: str, source: str, n: int) -> None:
        seen.append(_rules(graph) >= LIFTED)
        if source == "figures":
            figures_heard.append(n)

    report = import_records(graph, directory_sources(tmp_path), progress=progress)
    assert not report.problems and seen and all(seen) and not figures_heard
    assert_figures_hold(graph, [c["id"] for c in data.companies], [p["id"] for p in data.people])


def test_an_id_given_twice_beside_other_external_ids_is_a_bad_record(
    graph: Graph, tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text(
        "externalId,id,name\np-1,pe_same,周强\np-2,pe_other,李娜\np-3,pe_same,王芳\n",
        encoding="utf-8",
    )
    report = import_records(graph, directory_sources(tmp_path), bulk=True)
    assert [(p.source, p.line, p.field) for p in report.problems] == [("people.csv", 4, "id")]
    assert "line 2" in report.problems[0].reason
    assert report.written == 2


def test_a_sync_updates_what_changed_and_leaves_the_rest(graph: Graph, tmp_path: Path) -> None:
    data = generate(150, history=False)
    counts = write_synthetic(data, tmp_path / "first", FileFormat.CSV)
    import_records(graph, directory_sources(tmp_path / "first"), bulk=True)
    shutil.copytree(tmp_path / "first", tmp_path / "synced")
    changed = change_records(tmp_path / "synced", 0.25)

    report = import_records(graph, directory_sources(tmp_path / "synced"), bulk=True)

    assert not report.problems
    assert sum(c.updated for c in report.counts.values()) == changed
    for name, count in counts.items():
        tally = report.counts[name]
        assert (tally.created, tally.updated + tally.unchanged) == (0, count), name
        assert tally.updated == len(range(0, count, 4)), name
