"""The past is the past: every demo company, walked through its recorded changes.

For each demo company, the moments to check come from the change log itself (never from the
demo's dates, which move with the day the demo is loaded): the times of every recorded change
of the company, of the roles at it, of its people's ties with anyone who ever worked for us, of
those people's roles with us, of its relationships with our companies and of its people's
reporting lines. At a moment inside each period between two changes (and between the last
change and now), the key-person map and the org chart as of that moment must show what the log,
replayed here by hand (the `after` of the subject's last change by then), says stood then: the
company's stage, status and classes, the roles, the ties with our people and their tiers,
strengths and levels, the tier with us, and the reporting lines. The current map and chart
(no `asOf`) must show the log's state now.

The demo sets each reporting line once; so that lines have a past to check, the test first
removes one demo line and sets it again later, and moves another to a new manager, through the
API with past effective times (`move_lines`).

The expected state is computed from the log's before/after records only; the code under test
answers through the GraphQL API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.core import reads
from graph.core.history import Change, Operation
from graph.core.models import CompanyTier
from graph.db.connection import Graph
from graph.evolution.timelines import subject_history
from graph.keypersons.maps import reporting_line_subject
from seed.demo import load_demo
from tests.conftest import data

MAP = """query ($c: ID!, $at: DateTime) {
  keyPersonMap(companyId: $c, everyone: true, asOf: $at) {
    company { id lifecycleStage status valueClass intentClass }
    tierWithUs
    entries {
      person { id }
      roles { id title isKeyPerson buyingRole seniority endDate desiredTier stance }
      relationships { tier strength level relationship { id } ourPerson { id } }
    }
  }
  orgChart(companyId: $c, asOf: $at) { people { person { id } managerId } }
}"""

COMPANY_FIELDS = {
    "lifecycleStage": "lifecycleStage",
    "status": "status",
    "valueClass": "valueClass",
    "intentClass": "intentClass",
}
ROLE_FIELDS = (
    "title",
    "isKeyPerson",
    "buyingRole",
    "seniority",
    "endDate",
    "desiredTier",
    "stance",
)
EVERYTHING = 10_000


@dataclass(frozen=True)
class Log:
    """The recorded changes of the subjects that make up one company's map, oldest first."""

    changes: dict[str, list[Change]]

    def state(self, subject_id: str, at: dt.datetime) -> dict[str, Any] | None:
        """The subject's recorded state at `at`: the `after` of its last change by then (None
        before its first change and after a deletion)."""
        state: dict[str, Any] | None = None
        for change in self.changes.get(subject_id, []):
            if change.at > at:
                break
            state = None if change.operation is Operation.DELETED else change.after
        return state

    def times(self) -> list[dt.datetime]:
        return sorted({c.at for changes in self.changes.values() for c in changes})


@dataclass(frozen=True)
class Book:
    """The demo's items as they are now, only for what never changes: ids and ends."""

    role_ends: dict[str, tuple[str, str]]  # role id -> (person, company)
    tie_ends: dict[str, tuple[str, str]]  # relationship id -> its two people
    business_ends: dict[str, tuple[str, str]]  # company relationship id -> its two companies
    ours: set[str]  # our companies

    @classmethod
    def read(cls, graph: Graph) -> Book:
        roles = reads.role_page(graph, offset=0, limit=EVERYTHING, include_past=True).items
        ties = reads.relationship_page(graph, offset=0, limit=EVERYTHING).items
        business = reads.company_relationship_page(graph, offset=0, limit=EVERYTHING).items
        companies = reads.company_page(graph, offset=0, limit=EVERYTHING).items
        return cls(
            role_ends={r.id: (r.person_id, r.company_id) for r in roles},
            tie_ends={t.id: (t.from_person_id, t.to_person_id) for t in ties},
            business_ends={b.id: (b.from_company_id, b.to_company_id) for b in business},
            ours={c.id for c in companies if c.is_ours},
        )

    def roles_at(self, company_ids: Iterable[str]) -> list[str]:
        wanted = set(company_ids)
        return [id_ for id_, (_, company) in self.role_ends.items() if company in wanted]

    def subjects(self, company_id: str) -> list[str]:
        """Every subject whose changes can move the company's map or org chart."""
        roles = self.roles_at([company_id])
        people = {self.role_ends[r][0] for r in roles}
        ties = [t for t, ends in self.tie_ends.items() if set(ends) & people]
        others = {p for t in ties for p in self.tie_ends[t]} - people
        ours = [r for r in self.roles_at(self.ours) if self.role_ends[r][0] in people | others]
        business = [b for b, ends in self.business_ends.items() if company_id in ends]
        lines = [reporting_line_subject(p) for p in sorted(people)]
        return [company_id, *roles, *ties, *ours, *business, *lines]


def _log(graph: Graph, subjects: list[str]) -> Log:
    return Log(
        {s: list(subject_history(graph, s, offset=0, limit=EVERYTHING).items) for s in subjects}
    )


def _current(role: dict[str, Any] | None, at: dt.datetime) -> bool:
    """A role (its recorded state) held on that day: recorded by then and not ended before."""
    if role is None:
        return False
    end = role.get("endDate")
    return end is None or dt.date.fromisoformat(str(end)[:10]) >= at.date()


def expected(book: Book, log: Log, company_id: str, at: dt.datetime) -> dict[str, Any]:
    """The map and org chart as the log says they stood at `at`, in the shape `answered` gives."""
    company = log.state(company_id, at) or {}
    roles: dict[str, list[dict[str, Any]]] = {}
    for role_id in book.roles_at([company_id]):
        state = log.state(role_id, at)
        if _current(state, at):
            assert state is not None
            person = book.role_ends[role_id][0]
            roles.setdefault(person, []).append(
                {"id": role_id, **{name: state.get(name) for name in ROLE_FIELDS}}
            )
    ours_then = {
        book.role_ends[r][0] for r in book.roles_at(book.ours) if _current(log.state(r, at), at)
    }
    ties: dict[str, list[tuple[str, str, str, float, str | None]]] = {p: [] for p in roles}
    for tie_id, ends in book.tie_ends.items():
        state = log.state(tie_id, at)
        if state is None:
            continue
        for person, other in (ends, ends[::-1]):
            if person in roles and other in ours_then:
                ties[person].append(
                    (tie_id, other, state["tier"], float(state["strength"]), state.get("level"))
                )
    order = list(CompanyTier)
    tiers = [
        CompanyTier(state["tier"])
        for b, ends in book.business_ends.items()
        if company_id in ends and set(ends) - {company_id} <= book.ours
        for state in [log.state(b, at)]
        if state is not None
    ]
    managers: dict[str, str | None] = {}
    for person in roles:
        line = log.state(reporting_line_subject(person), at)
        manager = None if line is None else line.get("managerId")
        managers[person] = manager if manager in roles else None
    return {
        "company": {name: company.get(field) for name, field in COMPANY_FIELDS.items()},
        "tierWithUs": max(tiers, key=order.index).value if tiers else None,
        "roles": {p: sorted(r, key=lambda role: role["id"]) for p, r in roles.items()},
        "ties": {p: sorted(t) for p, t in ties.items()},
        "managers": managers,
    }


def answered(client: TestClient, company_id: str, at: dt.datetime | None) -> dict[str, Any]:
    """The API's map and org chart of the company as of `at` (now when None)."""
    found = data(client, MAP, c=company_id, at=None if at is None else at.isoformat())
    answer, chart = found["keyPersonMap"], found["orgChart"]
    company = answer["company"]
    return {
        "company": {name: company[name] for name in COMPANY_FIELDS},
        "tierWithUs": answer["tierWithUs"],
        "roles": {
            e["person"]["id"]: sorted(e["roles"], key=lambda role: role["id"])
            for e in answer["entries"]
        },
        "ties": {
            e["person"]["id"]: sorted(
                (
                    t["relationship"]["id"],
                    t["ourPerson"]["id"],
                    t["tier"],
                    t["strength"],
                    t["level"],
                )
                for t in e["relationships"]
            )
            for e in answer["entries"]
        },
        "managers": {p["person"]["id"]: p["managerId"] for p in chart["people"]},
    }


def assert_same(got: dict[str, Any], want: dict[str, Any], where: str) -> None:
    """Equal, strengths within the API's rounding (4 decimals)."""
    for key in ("company", "tierWithUs", "roles", "managers"):
        assert got[key] == want[key], (where, key)
    assert got["ties"].keys() == want["ties"].keys(), (where, "ties")
    for person, ties in want["ties"].items():
        shown = got["ties"][person]
        assert [t[:3] + t[4:] for t in shown] == [t[:3] + t[4:] for t in ties], (where, person)
        assert [t[3] for t in shown] == pytest.approx([t[3] for t in ties], abs=1e-4), where


def moments(times: list[dt.datetime], now: dt.datetime) -> list[dt.datetime]:
    """A moment inside each period between two recorded changes (and after the last one): the
    middle, to the millisecond the log keeps; periods too short to hold one are skipped."""
    found: list[dt.datetime] = []
    for start, end in zip(times, [*times[1:], now], strict=True):
        if end - start >= dt.timedelta(milliseconds=2):
            found.append(start + (end - start) / 2)
    return found


SET_LINE = """mutation ($p: ID!, $m: ID!, $at: DateTime!) {
  setReportingLine(personId: $p, managerId: $m, change: {at: $at, by: "test"}) { id } }"""
REMOVE_LINE = """mutation ($p: ID!, $at: DateTime!) {
  removeReportingLine(personId: $p, change: {at: $at, by: "test"}) }"""
CHART = """query ($c: ID!) { orgChart(companyId: $c) { people { person { id } managerId } } }"""


def move_lines(client: TestClient, graph: Graph, companies: list[str]) -> int:
    """Give the demo's reporting lines a past (its lines were each set once): at a company with
    two lines, one is removed and later set again, the other moves to a new manager; at times
    between the lines' latest recorded change and now, taken from the log. Returns how many
    changes were made."""
    now = dt.datetime.now(dt.UTC)
    for company_id in companies:
        people = data(client, CHART, c=company_id)["orgChart"]["people"]
        lines = [(p["person"]["id"], p["managerId"]) for p in people if p["managerId"]]
        roots = {p["person"]["id"] for p in people if p["managerId"] is None}
        if len(lines) < 2:
            continue
        (first, first_manager), (second, second_manager) = lines[:2]
        new_manager = next(iter(sorted(roots - {second, second_manager})), None)
        if new_manager is None:
            continue
        log = _log(graph, [reporting_line_subject(first), reporting_line_subject(second)])
        last = log.times()[-1]
        removed, back = last + (now - last) / 3, last + (now - last) * 2 / 3
        data(client, REMOVE_LINE, p=first, at=removed.isoformat())
        data(client, SET_LINE, p=second, m=new_manager, at=removed.isoformat())
        data(client, SET_LINE, p=first, m=first_manager, at=back.isoformat())
        return 3
    return 0


@pytest.fixture
def demo(client: TestClient, graph: Graph) -> Graph:
    load_demo(graph)
    companies = reads.company_page(graph, offset=0, limit=EVERYTHING).items
    assert move_lines(client, graph, [c.id for c in companies]) == 3
    return graph


def test_every_demo_company_as_of_every_period(client: TestClient, demo: Graph) -> None:
    book = Book.read(demo)
    companies = reads.company_page(demo, offset=0, limit=EVERYTHING).items
    assert len(companies) >= 5
    now = dt.datetime.now(dt.UTC)
    walked = 0
    for company in companies:
        subjects = book.subjects(company.id)
        log = _log(demo, subjects)
        # everything the demo made was recorded as it happened: no subject without a log
        assert all(log.changes[s] for s in subjects if not s.startswith("rl_")), company.name
        times = log.times()
        assert times, company.name
        for at in moments(times, now):
            where = f"{company.name} as of {at.isoformat()}"
            assert_same(
                answered(client, company.id, at), expected(book, log, company.id, at), where
            )
            walked += 1
        # today's map and chart are the log's state now
        assert_same(answered(client, company.id, None), expected(book, log, company.id, now), "now")
    assert walked >= 3 * len(companies)
