"""Stored figures (graph/core/figures.py): after any sequence of writes through the write path
(API writes, deletes and restores, interactions, an import), every company's and person's
stored figures equal a recount; figures a role's end date changes are recounted when due."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.core import figures, kinds, reads, writes
from graph.core.inputs import Patch
from graph.core.kinds import NodeKind
from graph.core.models import to_date
from graph.cypher.core import figures as cypher
from graph.db.connection import Graph
from graph.db.errors import GuanxiError
from graph.evolution.interactions import InteractionFields, log_interaction
from graph.transfer.importer import directory_sources, import_records
from tests import factories

TODAY = dt.datetime.now(dt.UTC).date()
NOW = dt.datetime.now(dt.UTC)


def _stored(graph: Graph, kind: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = graph.read(kind.statements.by_id, ids=ids)
    return {str(row["item"]["id"]): row["item"] for row in rows}


def assert_figures_hold(graph: Graph, companies: list[str], people: list[str]) -> int:
    """Every stored figure of these companies and people (those that exist) equals a recount
    (the figures as pages computed them before they were stored); returns how many items."""
    stored = _stored(graph, kinds.COMPANY, companies)
    for row in graph.read(cypher.COMPANY_FIGURES_RECOUNT, ids=list(stored)):
        props = stored[row["id"]]
        assert (
            props.get("peopleCount"),
            props.get("ourRelationshipCount"),
            to_date(props.get("figuresDue")),
        ) == (row["peopleCount"], row["ourRelationshipCount"], to_date(row["figuresDue"])), props
    stored_people = _stored(graph, kinds.PERSON, people)
    for row in graph.read(cypher.PEOPLE_FIGURES_RECOUNT, ids=list(stored_people)):
        props = stored_people[row["id"]]
        assert (props.get("strongestTie"), props.get("relationshipCount")) == (
            row["strongestTie"],
            row["relationshipCount"],
        ), props
    return len(stored) + len(stored_people)


class _Writer:
    """Random writes through the same functions the API's mutations call."""

    def __init__(self, graph: Graph, rng: random.Random, tmp_path: Path) -> None:
        self.graph, self.rng, self.tmp_path = graph, rng, tmp_path
        self.companies: list[str] = []
        self.people: list[str] = []
        self.roles: list[str] = []
        self.ties: list[str] = []
        self.deleted: list[tuple[Any, str]] = []
        self.imports = 0
        self.done: dict[str, int] = {}

    def _date(self) -> dt.date | None:
        choice = self.rng.random()
        if choice < 0.5:
            return None
        return TODAY + dt.timedelta(days=self.rng.choice([-400, -3, -1, 0, 1, 2, 30, 400]))

    def _pick(self, ids: list[str]) -> str:
        return self.rng.choice(ids)

    def company(self) -> None:
        self.companies.append(factories.company(self.graph, "Co", isOurs=self.rng.random() < 0.3))

    def person(self) -> None:
        self.people.append(factories.person(self.graph, "P"))

    def flip_ours(self) -> None:
        id_ = self._pick(self.companies)
        [found] = reads.companies_by_id(self.graph, [id_])
        if found is not None:
            patch = Patch({"isOurs": not found.is_ours})
            writes.update_node(self.graph, kinds.COMPANY, id_, patch)

    def rename(self) -> None:  # moves no figure
        id_ = self._pick(self.companies)
        writes.update_node(self.graph, kinds.COMPANY, id_, Patch({"name": "Renamed"}))

    def role(self) -> None:
        fields = kinds.ROLE.checked({"title": "Staff", "endDate": self._date()})
        person, company = self._pick(self.people), self._pick(self.companies)
        self.roles.append(writes.create_edge(self.graph, kinds.ROLE, person, company, fields).id)

    def end_role(self) -> None:
        patch = Patch({"endDate": self._date()})
        writes.update_edge(self.graph, kinds.ROLE, self._pick(self.roles), patch)

    def retitle_role(self) -> None:  # moves no figure
        writes.update_edge(self.graph, kinds.ROLE, self._pick(self.roles), Patch({"title": "X"}))

    def drop_role(self) -> None:
        id_ = self._pick(self.roles)
        writes.delete_edge(self.graph, kinds.ROLE, id_)
        self.roles.remove(id_)

    def tie(self) -> None:
        a, b = self._pick(self.people), self._pick(self.people)
        strength = round(self.rng.random(), 2)
        self.ties.append(factories.knows(self.graph, a, b, strength))

    def restrength(self) -> None:
        patch = Patch({"strength": round(self.rng.random(), 2)})
        writes.update_edge(self.graph, kinds.RELATIONSHIP, self._pick(self.ties), patch)

    def drop_tie(self) -> None:
        id_ = self._pick(self.ties)
        writes.delete_edge(self.graph, kinds.RELATIONSHIP, id_)
        self.ties.remove(id_)

    def delete_node(self) -> None:
        kind: NodeKind[Any, Any] = self.rng.choice([kinds.COMPANY, kinds.PERSON])
        id_ = self._pick(self.companies if kind is kinds.COMPANY else self.people)
        writes.delete_node(self.graph, kind, id_, force=True)
        self.deleted.append((kind, id_))

    def restore_node(self) -> None:
        kind, id_ = self.deleted.pop(self.rng.randrange(len(self.deleted)))
        writes.restore_node(self.graph, kind, id_)

    def interaction(self) -> None:
        roles = reads.roles_for_people(self.graph, self.people, include_past=False)
        at = {c.id for c in reads.companies_by_id(self.graph, self.companies) if c and c.is_ours}
        staff = [
            p
            for p, held in zip(self.people, roles, strict=True)
            if any(r.company_id in at for r in held)
        ]
        others = [p for p in self.people if p not in staff]
        if not staff or not others:
            raise GuanxiError("no one to meet")
        ours, theirs = self._pick(staff), self._pick(others)
        fields = InteractionFields.checked(
            {
                "kind": "MEETING",
                "at": NOW - dt.timedelta(days=self.rng.randrange(1, 30)),
                "ourPersonIds": [ours],
                "theirPersonIds": [theirs],
                "sentiment": self.rng.choice([-2, 0, 2]),
            }
        )
        log_interaction(self.graph, fields)

    def import_file(self) -> None:
        """A small record file: new items, and changes to some made before."""
        self.imports += 1
        n = self.imports
        directory = self.tmp_path / f"import-{n}"
        directory.mkdir()
        people = [self._pick(self.people) for _ in range(3)]
        companies = [self._pick(self.companies) for _ in range(2)]
        (directory / "companies.csv").write_text(
            "externalId,name,isOurs\n"
            f"imp{n}-ours,Imported ours {n},true\n"
            f"imp{n}-acme,Imported acme {n},false\n"
        )
        (directory / "people.csv").write_text(
            f"externalId,name\nimp{n}-a,A{n}\nimp{n}-b,B{n}\n", encoding="utf-8"
        )
        past = (TODAY - dt.timedelta(days=5)).isoformat()
        future = (TODAY + dt.timedelta(days=5)).isoformat()
        (directory / "roles.csv").write_text(
            "externalId,person,company,title,endDate\n"
            f"imp{n}-r1,imp{n}-a,imp{n}-ours,Staff,\n"
            f"imp{n}-r2,imp{n}-b,imp{n}-acme,Buyer,{future}\n"
            f"imp{n}-r3,{people[0]},imp{n}-acme,Advisor,{past}\n"
            f"imp{n}-r4,{people[1]},{companies[0]},Staff,\n"
        )
        (directory / "relationships.csv").write_text(
            "externalId,fromPerson,toPerson,tier,strength\n"
            f"imp{n}-k1,imp{n}-a,imp{n}-b,FRIEND,0.7\n"
            f"imp{n}-k2,imp{n}-a,{people[2]},ACQUAINTANCE,0.2\n"
            f"imp{n}-k3,imp{n}-b,{people[1]},ACQUAINTANCE,0.9\n"
        )
        import_records(self.graph, directory_sources(directory), batch_size=2)
        for key in ("ours", "acme"):
            found = reads.id_by_external_id(self.graph, "company", f"imp{n}-{key}")
            assert found is not None
            self.companies.append(found)
        for key in ("a", "b"):
            found = reads.id_by_external_id(self.graph, "person", f"imp{n}-{key}")
            assert found is not None
            self.people.append(found)
        if n > 1:  # the same file again, changed: updates through the import
            before = self.tmp_path / f"import-{n - 1}"
            roles = (before / "roles.csv").read_text().replace(f",{future}\n", f",{past}\n")
            (before / "roles.csv").write_text(roles)
            ties = (before / "relationships.csv").read_text().replace("0.7", "0.1")
            (before / "relationships.csv").write_text(ties)
            companies_csv = (before / "companies.csv").read_text()
            (before / "companies.csv").write_text(companies_csv.replace(",true\n", ",false\n"))
            import_records(self.graph, directory_sources(before), batch_size=2)

    def step(self) -> None:
        ops: list[tuple[Callable[[], None], int]] = [
            (self.company, 3 if len(self.companies) < 8 else 1),
            (self.person, 4 if len(self.people) < 25 else 1),
            (self.flip_ours, 2),
            (self.rename, 1),
            (self.role, 8),
            (self.end_role, 4 if self.roles else 0),
            (self.retitle_role, 1 if self.roles else 0),
            (self.drop_role, 2 if self.roles else 0),
            (self.tie, 10),
            (self.restrength, 4 if self.ties else 0),
            (self.drop_tie, 2 if self.ties else 0),
            (self.delete_node, 2),
            (self.restore_node, 3 if self.deleted else 0),
            (self.interaction, 5),
            (self.import_file, 1 if self.imports < 3 else 0),
        ]
        op = self.rng.choices([o for o, _ in ops], [w for _, w in ops])[0]
        try:
            op()
        except GuanxiError:  # refused (a pair already tied, a deleted end, …): nothing written
            self.done["refused"] = self.done.get("refused", 0) + 1
            return
        self.done[op.__name__] = self.done.get(op.__name__, 0) + 1


@pytest.mark.parametrize("seed", [3, 11])
def test_stored_figures_equal_a_recount_after_random_writes(
    graph: Graph, tmp_path: Path, seed: int
) -> None:
    writer = _Writer(graph, random.Random(seed), tmp_path)
    for _ in range(4):
        writer.company()
    for _ in range(10):
        writer.person()
    checked = 0
    for n in range(1, 241):
        writer.step()
        if n % 20 == 0:
            checked = assert_figures_hold(graph, writer.companies, writer.people)
    # the sequence did what it means to: every kind of write, a few times each
    ops = ("flip_ours", "end_role", "drop_role", "restore_node", "interaction", "restrength")
    assert {op: writer.done.get(op, 0) for op in ops if writer.done.get(op, 0) < 2} == {}
    assert writer.imports >= 2
    assert checked > 30
    # and the figures were not all zero
    stored = _stored(graph, kinds.COMPANY, writer.companies)
    assert any(p.get("ourRelationshipCount") for p in stored.values())


def test_an_update_that_changes_nothing_writes_no_figure(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    tie = factories.knows(graph, ids["li"], ids["zhou"], 0.5)
    [acme] = reads.companies_by_id(graph, [ids["acme"]])
    assert acme is not None and acme.figures is not None
    assert (acme.figures.people_count, acme.figures.our_relationship_count) == (1, 1)
    [li] = reads.people_by_id(graph, [ids["li"]])
    assert li is not None and li.figures is not None
    assert (li.figures.strongest_tie, li.figures.relationship_count) == (0.5, 1)
    # the figures are no user fields: an update with the same values changes nothing
    same = writes.update_edge(graph, kinds.RELATIONSHIP, tie, Patch({"strength": 0.5}))
    assert same.version == 1
    again = writes.update_node(graph, kinds.COMPANY, ids["acme"], Patch({"name": "Acme"}))
    assert again.updated_at == acme.updated_at


def _pass_days(graph: Graph, role_id: str, person_id: str, company_ids: list[str]) -> None:
    """As if the calendar moved on a day since the role ended today: its end date and the
    companies' `figuresDue` one day earlier, written past the write path (no figure moves)."""
    yesterday = TODAY - dt.timedelta(days=1)
    graph.write(
        kinds.ROLE.statements.set,
        rows=[{"id": role_id, "fromId": person_id, "props": {"endDate": yesterday}}],
    )
    graph.write(
        kinds.COMPANY.statements.set,
        rows=[{"id": id_, "props": {"figuresDue": yesterday}} for id_ in company_ids],
    )


def test_figures_a_role_end_changes_are_recounted_when_due(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["zhou", "wang"]})
    factories.knows(graph, ids["li"], ids["zhou"], 0.5)
    # zhou's role at acme ends today: counted today, not tomorrow
    [ending] = [
        r.id
        for r in reads.roles_for_people(graph, [ids["zhou"]], include_past=False)[0]
        if r.company_id == ids["acme"]
    ]
    writes.update_edge(graph, kinds.ROLE, ending, Patch({"endDate": TODAY}))
    [stored] = _stored(graph, kinds.COMPANY, [ids["acme"]]).values()
    assert (stored["peopleCount"], stored["ourRelationshipCount"]) == (2, 1)
    assert to_date(stored["figuresDue"]) == TODAY
    assert figures.refresh_due_figures(graph) == 0  # nothing due today

    _pass_days(graph, ending, ids["zhou"], [ids["acme"]])
    # stale: a read of the company counts its figures anew; a page first recounts what is due
    [acme] = reads.companies_by_id(graph, [ids["acme"]])
    assert acme is not None and acme.figures is None
    [counted] = reads.company_figures_by_id(graph, [ids["acme"]])
    assert (counted.people_count, counted.our_relationship_count) == (1, 0)
    # this process checked today already: a page's check is one date() read; the hourly
    # round (force) looks again
    assert figures.refresh_due_figures(graph) == 0
    assert figures.refresh_due_figures(graph, force=True) == 1
    [stored] = _stored(graph, kinds.COMPANY, [ids["acme"]]).values()
    assert (stored["peopleCount"], stored["ourRelationshipCount"]) == (1, 0)
    assert stored.get("figuresDue") is None
    assert assert_figures_hold(graph, [ids["acme"], ids["ours"]], []) == 2
    assert figures.refresh_due_figures(graph, force=True) == 0


def test_our_role_ending_is_due_at_the_customer(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    factories.knows(graph, ids["li"], ids["zhou"], 0.5)
    [ours] = reads.roles_for_people(graph, [ids["li"]], include_past=False)[0]
    writes.update_edge(graph, kinds.ROLE, ours.id, Patch({"endDate": TODAY}))
    [acme] = _stored(graph, kinds.COMPANY, [ids["acme"]]).values()
    assert to_date(acme["figuresDue"]) == TODAY  # li's role at ours, counted at acme, ends
    _pass_days(graph, ours.id, ids["li"], [ids["acme"], ids["ours"]])
    assert figures.refresh_due_figures(graph, force=True) == 2
    [acme] = _stored(graph, kinds.COMPANY, [ids["acme"]]).values()
    assert (acme["peopleCount"], acme["ourRelationshipCount"]) == (1, 0)
    assert assert_figures_hold(graph, [ids["acme"], ids["ours"]], [ids["li"]]) == 3


def test_backfill_counts_items_without_figures_once(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    factories.knows(graph, ids["li"], ids["zhou"], 0.5)
    assert figures.backfill_figures(graph) == 0  # the writes stored them
    # a database from before: no figures stored
    graph.write(
        kinds.COMPANY.statements.set,
        rows=[
            {"id": ids[k], "props": {"peopleCount": None, "ourRelationshipCount": None}}
            for k in ("ours", "acme")
        ],
    )
    graph.write(
        kinds.PERSON.statements.set,
        rows=[
            {"id": ids[k], "props": {"relationshipCount": None, "strongestTie": None}}
            for k in ("li", "zhou")
        ],
    )
    heard: list[int] = []
    assert figures.backfill_figures(graph, heard.append) == 4
    assert sum(heard) == 4
    companies, people = [ids["ours"], ids["acme"]], [ids["li"], ids["zhou"]]
    assert assert_figures_hold(graph, companies, people) == 4
    assert figures.backfill_figures(graph) == 0
