"""Export: records that import back into the same graph, neighbourhoods, GraphML."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import IO, Any

import networkx
import pytest

from graph.core import kinds, writes
from graph.cypher.transfer import records as transfer
from graph.db.connection import Graph
from graph.db.setup import count_nodes_and_edges, delete_everything
from graph.deals import deals
from graph.keypersons import maps as keypersons
from graph.transfer.exporter import (
    ExportFormat,
    export_to_directory,
    neighbourhood,
    whole_graph,
    write_export,
)
from graph.transfer.importer import directory_sources, import_records
from graph.transfer.records import FileFormat
from seed.synthetic import generate, load
from seed.synthetic_files import write_synthetic
from tests import factories

# What the format does not carry: when an item was last written, and the strength model's and
# the history's bookkeeping (interactions and the change log stay behind).
NOT_EXPORTED = {
    "updatedAt",
    "changedAtMs",
    "strengthRaw",
    "strengthAtMs",
    "lastInteractionAtMs",
    "interactionCount",
    "lastInteractionId",
}


def _build(graph: Graph) -> dict[str, str]:
    ours = factories.company(graph, "关系科技", isOurs=True, externalId="crm-ours")
    acme = factories.company(
        graph, 'Acme, "Quoted" 制造', status="CURRENT", valueClass="A", lifecycleStage="STABILITY"
    )
    blue = factories.company(graph, "蓝海能源", externalId="crm-blue", industry="Energy")
    lina = factories.person(graph, "李娜", email="lina@example.com")
    zhou = factories.person(graph, "周强", externalId="p-zhou", notes="line one\nline two")
    wang = factories.person(graph, "Wang, Wei", communicationStyle="ANALYTICAL")
    far = factories.person(graph, "Far Away")
    factories.role(graph, lina, ours, "Account Manager", startDate="2020-01-01")
    factories.role(graph, zhou, acme, "CTO", isKeyPerson=True, seniority="EXECUTIVE",
                   buyingRole="DECISION_MAKER", desiredTier="CONFIDANT",
                   stance="CHAMPION")  # fmt: skip
    factories.role(graph, wang, acme, "Buyer", endDate="2024-12-31", startDate="2021-01-01")
    factories.role(graph, far, blue, "Engineer")
    factories.knows(graph, lina, zhou, 0.6, level="TRUST", since="2021-03-01")
    factories.knows(graph, zhou, wang, 0.3, tier="ACQUAINTANCE", externalId="k-zw")
    factories.knows(graph, far, wang, 0.1, tier="PASSER_BY")
    writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        ours,
        acme,
        kinds.COMPANY_RELATIONSHIP.checked(
            {"tier": "PARTNERSHIP", "strength": 0.7, "lifecycleStage": "FORMATION"}
        ),
    )
    writes.create_edge(
        graph,
        kinds.REFERRAL,
        zhou,
        blue,
        kinds.REFERRAL.checked({"date": "2024-05-01", "note": "x"}),
    )
    writes.create_edge(graph, kinds.REFERRAL, acme, far, kinds.REFERRAL.checked({}))
    keypersons.set_reporting_line(graph, wang, zhou, dt.date(2022, 1, 1))
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked({"amount": 1500.25, "date": "2024-06-01", "productLine": "Core"}),
    )
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked(
            {
                "amount": 99,
                "currency": "USD",
                "date": "2024-07-01",
                "productLine": "Support",
                "externalId": "deal-7",
            }
        ),
    )
    return {"ours": ours, "acme": acme, "blue": blue, "zhou": zhou, "far": far}


class _Files(dict[str, Any]):
    def open(self, name: str) -> IO[str]:
        handle = io.StringIO()
        self[name] = handle
        return handle


def _export(graph: Graph, fmt: ExportFormat, company: str | None = None) -> dict[str, str]:
    files = _Files()
    scope = whole_graph(graph) if company is None else neighbourhood(graph, company)
    write_export(graph, scope, fmt, files.open)
    return {name: handle.getvalue() for name, handle in files.items()}


def _stored(graph: Graph) -> list[Any]:
    """The graph's own properties, independent of the exporter's code: nodes and edges by id."""
    found = []
    for page_query, key in (
        (transfer.EXPORT_COMPANIES, "companies"),
        (transfer.EXPORT_PEOPLE, "people"),
    ):
        ids = whole_graph(graph).companies if key == "companies" else whole_graph(graph).people
        row = graph.read(page_query, ids=ids)[0]
        for column, values in row.items():
            for value in values:
                found.append((column, _clean(value)))
    return sorted(found, key=repr)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in NOT_EXPORTED}
    if isinstance(value, list):
        return sorted((_clean(v) for v in value), key=repr)
    return value


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.JSONL])
def test_export_then_import_into_an_empty_database_gives_back_the_same_graph(
    graph: Graph, tmp_path: Path, fmt: ExportFormat
) -> None:
    _build(graph)
    before = _stored(graph)
    sizes = count_nodes_and_edges(graph)
    counts = export_to_directory(graph, whole_graph(graph), fmt, tmp_path)
    assert counts[f"relationships.{fmt.value}"] == 3 and counts[f"deals.{fmt.value}"] == 2
    delete_everything(graph)
    report = import_records(graph, directory_sources(tmp_path), strict=True)
    assert not report.problems, report.problems
    assert report.summary().endswith("0 updated, 0 unchanged, 0 bad")
    assert count_nodes_and_edges(graph) == sizes
    assert _stored(graph) == before
    again = import_records(graph, directory_sources(tmp_path))
    assert again.written == 0


def test_a_company_neighbourhood_holds_its_people_whom_they_know_and_their_employers(
    graph: Graph,
) -> None:
    ids = _build(graph)
    files = _export(graph, ExportFormat.JSONL, ids["acme"])
    companies = files["companies.jsonl"]
    assert ids["acme"] in companies and ids["ours"] in companies
    assert ids["blue"] not in companies  # nobody at Acme knows anyone there
    people = files["people.jsonl"]
    assert "周强" in people and "李娜" in people and "Far Away" not in people
    assert "Wang, Wei" in people  # a past role only, but 周强 knows him
    assert len(files["relationships.jsonl"].splitlines()) == 2  # not Far Away's tie with Wang
    assert files["referrals.jsonl"] == "" and len(files["deals.jsonl"].splitlines()) == 2


def test_graphml_reads_back_in_networkx_with_every_node_edge_and_attribute(
    graph: Graph,
) -> None:
    ids = _build(graph)
    text = _export(graph, ExportFormat.GRAPHML)["graph.graphml"]
    read = networkx.read_graphml(_as_file(text))
    nodes, edges = count_nodes_and_edges(graph)
    assert read.number_of_nodes() == nodes
    assert read.number_of_edges() == edges
    assert read.nodes[ids["acme"]]["label"] == "Company"
    assert read.nodes[ids["acme"]]["name"] == 'Acme, "Quoted" 制造'
    assert read.nodes[ids["ours"]]["isOurs"] is True
    types = sorted(d["type"] for _, _, d in read.edges(data=True))
    assert types.count("KNOWS") == 3 and types.count("FOR") == 2
    assert types.count("REPORTS_TO") == 1 and types.count("REFERRED") == 2
    strengths = [d["strength"] for _, _, d in read.edges(data=True) if d["type"] == "KNOWS"]
    assert sorted(strengths) == [0.1, 0.3, 0.6]


def _as_file(text: str) -> Any:
    return io.BytesIO(text.encode("utf-8"))


@pytest.mark.slow
def test_synthetic_record_files_import_as_the_bulk_loaded_graph(
    graph: Graph, tmp_path: Path
) -> None:
    data = generate(300, 5, history=False)
    load(graph, data)
    loaded = _export(graph, ExportFormat.JSONL)
    delete_everything(graph)
    write_synthetic(data, tmp_path, FileFormat.CSV)
    report = import_records(graph, directory_sources(tmp_path), strict=True, batch_size=700)
    assert not report.problems, report.problems[:3]
    imported = _export(graph, ExportFormat.JSONL)
    assert {n: sorted(t.splitlines()) for n, t in imported.items()} == {
        n: sorted(t.splitlines()) for n, t in loaded.items()
    }
    assert len(loaded["relationships.jsonl"].splitlines()) == len(data.relationships)
