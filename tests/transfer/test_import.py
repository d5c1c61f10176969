"""Bulk import: upserts by key, bad records reported by file and line, strict refusal."""

from __future__ import annotations

import json
from pathlib import Path

from graph.analysis.network import Network, network_measures
from graph.core import history, reads
from graph.core.models import Company, PersonRelationship
from graph.cypher.db import admin
from graph.db.connection import Graph
from graph.db.setup import count_nodes_and_edges
from graph.evolution import timelines as evolution
from graph.transfer.importer import directory_sources, import_records
from tests import factories

COMPANIES = """externalId,name,status,valueClass,isOurs
crm-ours,关系科技,CURRENT,,true
crm-acme,Acme 制造,CURRENT,A,false
crm-blue,蓝海能源,PROSPECT,,false
"""
PEOPLE = """externalId,name,email
p-li,李娜,li@example.com
p-zhou,周强,
p-wang,王伟,
"""
ROLES = """externalId,person,company,title,isKeyPerson,seniority,startDate
r-li,p-li,crm-ours,Account Manager,false,MIDDLE,2020-01-01
r-zhou,p-zhou,crm-acme,CTO,true,EXECUTIVE,2019-05-01
r-wang,p-wang,crm-acme,Buyer,true,MIDDLE,
"""
RELATIONSHIPS = """externalId,fromPerson,toPerson,tier,strength,level,since
k-1,p-li,p-zhou,FRIEND,0.6,TRUST,2021-03-01
k-2,p-li,p-wang,ACQUAINTANCE,0.3,,
"""


def _write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def _base(directory: Path) -> Path:
    return _write(
        directory,
        {
            "companies.csv": COMPANIES,
            "people.csv": PEOPLE,
            "roles.csv": ROLES,
            "relationships.csv": RELATIONSHIPS,
        },
    )


def _id(graph: Graph, label: str, external_id: str) -> str:
    found = reads.id_by_external_id(graph, label.lower(), external_id)
    assert found is not None
    return found


def _company(graph: Graph, external_id: str) -> Company:
    [found] = reads.companies_by_id(graph, [_id(graph, "Company", external_id)])
    assert found is not None
    return found


def _tie(graph: Graph, a: str, b: str) -> PersonRelationship:
    return next(
        t
        for t in reads.relationships_for_people(graph, [a])[0]
        if b in (t.from_person_id, t.to_person_id)
    )


def test_import_creates_every_record_with_its_fields(graph: Graph, tmp_path: Path) -> None:
    report = import_records(graph, directory_sources(_base(tmp_path)))
    assert not report.problems
    assert report.summary() == "11 records: 11 created, 0 updated, 0 unchanged, 0 bad"
    assert count_nodes_and_edges(graph) == (6, 5)
    acme = _company(graph, "crm-acme")
    assert acme.value_class is not None and acme.value_class.value == "A"
    assert acme.name == "Acme 制造" and _company(graph, "crm-ours").is_ours
    li, zhou = _id(graph, "Person", "p-li"), _id(graph, "Person", "p-zhou")
    tie = _tie(graph, li, zhou)
    assert tie.level is not None
    assert (tie.tier.value, tie.strength, tie.level.value) == ("FRIEND", 0.6, "TRUST")
    assert tie.since is not None and tie.since.isoformat() == "2021-03-01"
    roles = reads.roles_for_people(graph, [zhou], include_past=True)[0]
    assert [(r.title, r.is_key_person, r.company_id) for r in roles] == [("CTO", True, acme.id)]


def test_importing_the_same_files_again_writes_nothing(graph: Graph, tmp_path: Path) -> None:
    directory = _base(tmp_path)
    import_records(graph, directory_sources(directory))
    before = graph.read(admin.COUNT_CHANGES)[0]["changes"]
    report = import_records(graph, directory_sources(directory))
    assert report.summary() == "11 records: 0 created, 0 updated, 11 unchanged, 0 bad"
    assert count_nodes_and_edges(graph) == (6, 5)
    assert graph.read(admin.COUNT_CHANGES)[0]["changes"] == before


def test_a_changed_record_is_updated_and_its_change_recorded(graph: Graph, tmp_path: Path) -> None:
    import_records(graph, directory_sources(_base(tmp_path)))
    changed = tmp_path / "changed"
    _write(changed, {"relationships.csv": RELATIONSHIPS.replace("FRIEND,0.6", "CONFIDANT,0.9")})
    report = import_records(graph, directory_sources(changed), by="crm sync")
    assert report.summary() == "2 records: 0 created, 1 updated, 1 unchanged, 0 bad"
    li, zhou = _id(graph, "Person", "p-li"), _id(graph, "Person", "p-zhou")
    tie = _tie(graph, li, zhou)
    assert (tie.tier.value, tie.strength) == ("CONFIDANT", 0.9)
    changes = evolution.subject_history(graph, tie.id, offset=0, limit=50).items
    updated = [c for c in changes if c.operation is history.Operation.UPDATED]
    assert len(updated) == 1
    assert updated[0].by == "crm sync" and updated[0].reason == "imported from relationships.csv"
    assert updated[0].before is not None and updated[0].before["tier"] == "FRIEND"
    assert updated[0].after is not None and updated[0].after["strength"] == 0.9


def test_bad_records_are_reported_by_file_line_and_reason_and_the_rest_written(
    graph: Graph, tmp_path: Path
) -> None:
    directory = _base(tmp_path)
    _write(
        directory,
        {
            "relationships.csv": RELATIONSHIPS
            + "k-3,p-li,p-nobody,FRIEND,0.5,,\n"
            + "k-4,p-zhou,p-wang,FRIEND,1.5,,\n"
            + "k-5,p-zhou,p-li,BEST_FRIEND,0.5,,\n"
            + "k-6,p-wang,p-zhou,FRIEND,0.5,,2021-02-30\n"
            + "k-1,p-wang,p-zhou,FRIEND,0.5,,\n",
        },
    )
    report = import_records(graph, directory_sources(directory))
    found = [(p.source, p.line, p.field) for p in report.problems]
    assert found == [
        ("relationships.csv", 4, "toPerson"),
        ("relationships.csv", 5, "relationships.strength"),
        ("relationships.csv", 6, "relationships.tier"),
        ("relationships.csv", 7, "relationships.since"),
        ("relationships.csv", 8, None),
    ]
    reasons = [p.reason for p in report.problems]
    assert "p-nobody" in reasons[0]
    assert "less than or equal to 1" in reasons[1]
    assert "BEST_FRIEND" in reasons[2] or "FRIEND" in reasons[2]
    assert "line 2" in reasons[4]
    counts = report.counts["relationships.csv"]
    assert (counts.rows, counts.created, counts.bad) == (7, 2, 5)
    assert count_nodes_and_edges(graph) == (6, 5)


def test_strict_mode_refuses_the_whole_import_for_one_bad_record(
    graph: Graph, tmp_path: Path
) -> None:
    directory = _base(tmp_path)
    _write(directory, {"roles.csv": ROLES + "r-x,p-wang,crm-acme,Buyer,maybe,,\n"})
    report = import_records(graph, directory_sources(directory), strict=True)
    assert report.refused
    assert [(p.source, p.line) for p in report.problems] == [("roles.csv", 5)]
    assert "isKeyPerson" in report.problems[0].reason
    assert count_nodes_and_edges(graph) == (0, 0)
    assert report.summary().startswith("refused (strict), nothing written")


def test_strict_mode_rolls_back_when_a_write_finds_a_conflict(graph: Graph, tmp_path: Path) -> None:
    """A pair that already has a relationship under another key is found only when writing;
    strict mode then rolls every batch back."""
    a, b = factories.person(graph, "A", externalId="p-a"), factories.person(graph, "B")
    factories.knows(graph, a, b, 0.5, externalId="old-key")
    directory = _write(
        tmp_path,
        {
            "people.csv": "externalId,name\np-c,C\n",
            "relationships.csv": f"externalId,fromPerson,toPerson,tier,strength\n"
            f"new-key,p-a,{b},FRIEND,0.5\n",
        },
    )
    report = import_records(graph, directory_sources(directory), strict=True)
    assert report.refused
    assert [(p.source, p.line) for p in report.problems] == [("relationships.csv", 2)]
    assert "old-key" in report.problems[0].reason
    assert reads.id_by_external_id(graph, "person", "p-c") is None
    lenient = import_records(graph, directory_sources(directory))
    assert not lenient.refused and len(lenient.problems) == 1
    assert reads.id_by_external_id(graph, "person", "p-c") is not None


def test_a_key_taken_between_other_ends_fails_only_its_own_record(
    graph: Graph, tmp_path: Path
) -> None:
    c = factories.company(graph, "C", externalId="c")
    p, q = (
        factories.person(graph, "P", externalId="p"),
        factories.person(graph, "Q", externalId="q"),
    )
    factories.role(graph, p, c, externalId="role-1")
    directory = _write(
        tmp_path,
        {
            "roles.csv": "externalId,person,company,title\n"
            + "".join(f"role-{i},q,c,T{i}\n" for i in range(2, 9))
            + "role-1,q,c,Stolen\n"
        },
    )
    report = import_records(graph, directory_sources(directory), batch_size=100)
    assert [(p.line, p.field) for p in report.problems] == [(9, "externalId")]
    assert report.counts["roles.csv"].created == 7
    roles = reads.roles_for_people(graph, [q], include_past=True)[0]
    assert sorted(r.title for r in roles) == [f"T{i}" for i in range(2, 9)]


def test_json_lines_records_reference_existing_nodes_by_guanxi_id(
    graph: Graph, tmp_path: Path
) -> None:
    company = factories.company(graph, "Existing")
    lines = [
        {"externalId": "p-1", "name": "Ann Lee", "communicationStyle": "DRIVER"},
        {"externalId": "p-2", "name": "Bo", "unknown": 1},
    ]
    referrals = [
        {"externalId": "rf-1", "referrer": company, "referrerKind": "COMPANY",
         "referred": "p-1", "referredKind": "PERSON", "date": "2024-05-01"},
    ]  # fmt: skip
    deals = [
        {"externalId": "d-1", "company": company, "amount": 1200.5, "date": "2024-06-01",
         "productLine": "Core"},
        {"externalId": "d-2", "company": company, "amount": -1, "date": "2024-06-01",
         "productLine": "Core"},
    ]  # fmt: skip
    _write(
        tmp_path,
        {
            "people.jsonl": "\n".join(json.dumps(x) for x in lines) + "\nnot json\n",
            "referrals.jsonl": "\n".join(json.dumps(x) for x in referrals),
            "deals.jsonl": "\n".join(json.dumps(x) for x in deals),
        },
    )
    report = import_records(graph, directory_sources(tmp_path))
    assert [(p.source, p.line) for p in report.problems] == [
        ("people.jsonl", 2),
        ("people.jsonl", 3),
        ("deals.jsonl", 2),
    ]
    assert "unknown" in report.problems[0].reason and "JSON" in report.problems[1].reason
    person = _id(graph, "Person", "p-1")
    [found] = reads.people_by_id(graph, [person])
    assert found is not None and found.name == "Ann Lee"
    made = reads.referrals_for_parties(graph, [company])[0]
    assert [(r.referred.id, str(r.date)) for r in made] == [(person, "2024-05-01")]


def test_reporting_lines_that_close_a_cycle_are_refused(graph: Graph, tmp_path: Path) -> None:
    people = "externalId,name\n" + "".join(f"p{i},P{i}\n" for i in range(4))
    lines = "person,manager,since\np1,p0,\np2,p1,2024-01-01\np0,p2,\np3,p3,\n"
    _write(tmp_path, {"people.csv": people, "reporting_lines.csv": lines})
    report = import_records(graph, directory_sources(tmp_path))
    assert [(p.line, p.field) for p in report.problems] == [(4, "manager"), (5, "manager")]
    assert report.counts["reporting_lines.csv"].created == 2


def test_an_unknown_column_refuses_the_file(graph: Graph, tmp_path: Path) -> None:
    _write(tmp_path, {"companies.csv": "externalId,nmae\nx,Acme\n"})
    report = import_records(graph, directory_sources(tmp_path))
    assert len(report.problems) == 1
    assert "nmae" in report.problems[0].reason and report.problems[0].line == 1
    assert count_nodes_and_edges(graph) == (0, 0)


def test_caches_see_an_import_made_by_another_process(
    graph: Graph, other_graph: Graph, tmp_path: Path
) -> None:
    """Only new relationships, written through another connection (another process): its
    feed entries tell this one's cache."""
    people = [factories.person(graph, f"P{i}") for i in range(4)]
    factories.knows(graph, people[0], people[1], 0.5)
    first = network_measures(graph, Network.RELATIONSHIPS)
    _write(
        tmp_path,
        {
            "relationships.csv": "externalId,fromPerson,toPerson,tier,strength\n"
            f"k-a,{people[1]},{people[2]},FRIEND,0.5\nk-b,{people[2]},{people[3]},FRIEND,0.5\n"
        },
    )
    assert import_records(other_graph, directory_sources(tmp_path)).written == 2
    after = network_measures(graph, Network.RELATIONSHIPS)
    assert after.edge_count == first.edge_count + 2


def test_an_import_refuses_what_the_api_refuses(graph: Graph, tmp_path: Path) -> None:
    """Findings 9 and 16 on the import path: it validates with the API's models, so a file
    can store neither an unreadable name nor an amount over the maximum."""
    company = factories.company(graph, "Existing")
    people = [
        {"externalId": "p-ok", "name": "Ann Lee"},
        {"externalId": "p-zw", "name": "\u200b\u200b"},
        {"externalId": "p-nul", "name": "Ann\u0000Lee"},
        {"externalId": "p-rlo", "name": "Ann\u202eeeL"},
    ]
    deals = [
        {"externalId": "d-ok", "company": company, "amount": 1e15, "date": "2024-06-01",
         "productLine": "Core"},
        {"externalId": "d-big", "company": company, "amount": 1.7e308, "date": "2024-06-01",
         "productLine": "Core"},
    ]  # fmt: skip
    _write(
        tmp_path,
        {
            "people.jsonl": "\n".join(json.dumps(x) for x in people),
            "deals.jsonl": "\n".join(json.dumps(x) for x in deals),
        },
    )
    report = import_records(graph, directory_sources(tmp_path))
    assert [(p.source, p.line, p.field) for p in report.problems] == [
        ("people.jsonl", 2, "people.name"),
        ("people.jsonl", 3, "people.name"),
        ("people.jsonl", 4, "people.name"),
        ("deals.jsonl", 2, "deals.amount"),
    ]
    assert report.counts["people.jsonl"].created == 1
    assert report.counts["deals.jsonl"].created == 1
