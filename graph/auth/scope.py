"""Account teams: what a credential scoped to teams may read and write.

Companies belong to account teams (`Company.teams`, set by admins). A credential carries its
teams (`Principal.teams`: a token's, or a JWT claim's) or none, meaning every customer. A scoped
credential sees:

- the companies in scope: ours, and the customers one of whose teams is the credential's;
- the people in scope: those who hold, or held, a role at a company in scope;
- what lies between those only: a role at a company in scope, a relationship or a referral
  whose two ends are in scope, an interaction all of whose people and companies are, a deal
  of a company in scope, the changes of anything it sees.

Everything else is left out as if it did not exist (a look-up answers null, a list leaves it
out); a write that names it is FORBIDDEN (schema/scope.py names the rule of every field).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.cypher.auth import scope as cypher
from graph.db import cache
from graph.db.connection import Graph


@dataclass(frozen=True)
class Visibility:
    """The companies and people a credential sees; None: every one (not scoped)."""

    companies: frozenset[str] | None = None
    people: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        """Not scoped: every company and person is seen."""
        return self.companies is None

    def company(self, id_: str) -> bool:
        return self.companies is None or id_ in self.companies

    def person(self, id_: str) -> bool:
        return self.people is None or id_ in self.people

    def party(self, id_: str) -> bool:
        """A company or a person (a referral's end, a change's subject end...)."""
        return self.everything or self.company(id_) or self.person(id_)

    def all_people(self, ids: Iterable[str]) -> bool:
        return self.people is None or all(id_ in self.people for id_ in ids)

    def all_companies(self, ids: Iterable[str]) -> bool:
        return self.companies is None or all(id_ in self.companies for id_ in ids)


EVERYTHING = Visibility()


def visibility(graph: Graph, teams: frozenset[str] | None) -> Visibility:
    """What a credential of `teams` sees (EVERYTHING for None); kept until the graph changes."""
    if teams is None:
        return EVERYTHING
    return cache.cached(graph, ("account-teams", teams), lambda: _read(graph, teams))


def _read(graph: Graph, teams: frozenset[str]) -> Visibility:
    names = sorted(teams)
    companies = frozenset(
        str(row["id"]) for row in graph.read(cypher.VISIBLE_COMPANIES, teams=names)
    )
    people = frozenset(
        str(id_) for row in graph.read(cypher.VISIBLE_PEOPLE, teams=names) for id_ in row["people"]
    )
    return Visibility(companies=companies, people=people)


def assign_teams(graph: Graph, teams_by_company: dict[str, list[str]]) -> int:
    """Set customers' teams in bulk, recording no change (for a benchmark's graph; the API's
    `updateCompany` records it); the count of companies found."""
    rows = [[id_, sorted(teams)] for id_, teams in sorted(teams_by_company.items())]
    return int(graph.write(cypher.ASSIGN_TEAMS, rows=rows)[0]["assigned"])


def figures_seen(graph: Graph, v: Visibility, ids: list[str]) -> list[tuple[float | None, int]]:
    """Each person's strongest tie and count of relationships, over the ties with people `v`
    sees (the stored figures count every tie)."""
    found = {str(row["key"]): row["ties"] for row in graph.read(cypher.PEOPLE_TIES, ids=ids)}
    figures: list[tuple[float | None, int]] = []
    for id_ in ids:
        strengths = [float(s) for other, s in found.get(id_, []) if v.person(str(other))]
        figures.append((max(strengths) if strengths else None, len(strengths)))
    return figures
