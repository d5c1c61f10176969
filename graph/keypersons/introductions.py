"""Who can introduce us: the strongest paths through person-to-person relationships."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import chain

from graph.core import reads
from graph.core.kinds import PERSON
from graph.core.models import Person, PersonTier, tiers_at_least
from graph.cypher.core import people
from graph.cypher.keypersons import paths as cypher
from graph.db import cache
from graph.db.connection import Graph, Tx
from graph.db.errors import InvalidInput, NotFound
from graph.keypersons.paths import (
    MAX_HOPS,
    Fetched,
    Meeting,
    Path,
    Request,
    Tie,
    meet_in_the_middle,
)

MAX_PATHS = 20
# A target with at most this many ties is searched in full (no strength threshold) up to
# FULL_SEARCH_HOPS: the ties of its neighbours are fewer round trips than the threshold's
# runs. At 100,000 people, to 25 people of 10 ties, 3 hops: 27 ms against 59 ms (median); to
# people of 200 ties, 0.36-0.54 s against 0.09 s, so the threshold stays for them.
FEW_TIES = 20
FULL_SEARCH_HOPS = 3
MAX_BEST_HOPS = 4
STRONG = 0.5
MODERATE = 0.2


class PathLabel(Enum):
    """How good an introduction path is: strong (strength >= 0.5), moderate (>= 0.2), weak."""

    STRONG = "STRONG"
    MODERATE = "MODERATE"
    WEAK = "WEAK"


def label(strength: float) -> PathLabel:
    if strength >= STRONG:
        return PathLabel.STRONG
    if strength >= MODERATE:
        return PathLabel.MODERATE
    return PathLabel.WEAK


def _check(max_hops: int, cap: int, first: int) -> None:
    if not 1 <= max_hops <= cap:
        raise InvalidInput(
            f"maxHops: must be between 1 and {cap} (got {max_hops})", field="maxHops"
        )
    if not 1 <= first <= MAX_PATHS:
        raise InvalidInput(f"first: must be between 1 and {MAX_PATHS} (got {first})", field="first")


@dataclass(frozen=True)
class OurTies:
    """Our people (id -> element id) and every tie with one of them at an end, by each end."""

    ours: dict[str, str]
    by_person: dict[str, list[Tie]]

    def answers(self, requests: Sequence[Request], meet: Collection[str]) -> bool:
        """Whether these ties are all at hand: the people asked about, or those to meet, are
        all ours."""
        return all(person in self.ours for person in meet) or all(
            person in self.ours for person, _, _ in requests
        )

    def meeting(
        self, requests: Sequence[Request], meet: Collection[str], tiers: list[str]
    ) -> Fetched:
        """What MEETING_TIES answers for these, from memory (the people a meeting asks about
        were reached through ties: all of them are found)."""
        allowed = set(tiers)
        ties: list[Tie] = []
        for person, low, below in requests:
            for tie in self.by_person.get(person, ()):
                other = tie.b if tie.a == person else tie.a
                if (
                    other in meet
                    and tie.tier in allowed
                    and tie.strength > 0
                    and tie.strength >= low
                    and (below is None or tie.strength < below)
                ):
                    ties.append(tie)
        return Fetched(found=frozenset(person for person, _, _ in requests), ties=ties)


def _read_our_ties(graph: Graph) -> OurTies:
    [row] = graph.read(cypher.OUR_TIES)
    by_person: dict[str, list[Tie]] = {}
    seen: set[str] = set()
    for person, _, ties in row["ours"]:
        for tie_id, other, starts, tier, strength in ties:
            if tie_id in seen:  # a tie between two of our people comes twice
                continue
            seen.add(tie_id)
            a, b = (person, other) if starts else (other, person)
            tie = Tie(tie_id, a, b, tier, float(strength))
            by_person.setdefault(a, []).append(tie)
            if b != a:
                by_person.setdefault(b, []).append(tie)
    return OurTies({person: handle for person, handle, _ in row["ours"]}, by_person)


def our_ties(graph: Graph) -> OurTies:
    """Our people and their ties, read once and kept until a change is recorded
    (graph/db/cache.py: read again off the request path once the read is slow, so a
    bestIntroductions answer may miss the last few seconds' changes to our people's ties)."""
    return cache.cached(
        graph, ("our-ties",), cypher.OUR_TIES_FINGERPRINT, lambda: _read_our_ties(graph)
    )


class _Fetcher:
    """The search's round trips, in one read transaction. It keeps the element id of every
    person it has seen, to name the people a meeting looks for. With our people's ties at
    hand (`ours`), a meeting they answer costs no round trip."""

    def __init__(self, tx: Tx, tiers: list[str], ours: OurTies | None = None) -> None:
        self._tx = tx
        self._tiers = tiers
        self._ours = ours
        self._handles: dict[str, str] = {} if ours is None else dict(ours.ours)

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched:
        if meet is not None and self._ours is not None and self._ours.answers(requests, meet):
            return self._ours.meeting(requests, meet, self._tiers)
        asked = [list(request) for request in requests]
        if meet is None:
            [[found, by_person]] = self._tx.run_plain(
                cypher.PATH_TIES, requests=asked, tiers=self._tiers
            )
        else:
            meeting = {self._handles[p]: True for p in meet if p in self._handles}
            [[found, by_person]] = self._tx.run_plain(
                cypher.MEETING_TIES, requests=asked, tiers=self._tiers, meet=meeting
            )
        ties: list[Tie] = []
        handles = self._handles
        strongest: dict[str, float] = {}
        for tie_id, person, other, handle, starts, tier, strength, top in chain(*by_person):
            handles[other] = handle
            if top is not None:
                strongest[other] = float(top)
            if starts:
                ties.append(Tie(tie_id, person, other, tier, float(strength)))
            else:
                ties.append(Tie(tie_id, other, person, tier, float(strength)))
        for person, handle in found:
            handles[person] = handle
        return Fetched(
            found=frozenset(person for person, _ in found), ties=ties, strongest=strongest
        )


@dataclass(frozen=True)
class Introductions:
    """The paths found, and the people on them as read with them, by id."""

    paths: list[Path]
    people: dict[str, Person]


def find_introductions(
    graph: Graph,
    from_id: str,
    to_id: str,
    *,
    max_hops: int = 4,
    first: int = 5,
    min_tier: PersonTier | None = None,
) -> Introductions:
    """The `first` strongest simple paths from one person to another, best first, with the
    people on them: a search from both ends that meet in the middle (`meet_in_the_middle`), a
    few round trips in one read transaction."""
    _check(max_hops, MAX_HOPS, first)
    if from_id == to_id:
        raise InvalidInput("toPersonId: must differ from fromPersonId", field="toPersonId")
    tiers = tiers_at_least(min_tier)

    def work(tx: Tx) -> tuple[Meeting, dict[str, Person]]:
        found = meet_in_the_middle(
            _Fetcher(tx, tiers), [from_id], [to_id], max_hops=max_hops, k=first
        )
        on_paths = sorted({id_ for path in found.paths for id_ in path.person_ids})
        rows = tx.run(PERSON.statements.by_id, ids=on_paths) if on_paths else []
        return found, {row["item"]["id"]: PERSON.model(row["item"]) for row in rows}

    found, people = graph.read_tx(work)
    for field_name, id_ in (("fromPersonId", from_id), ("toPersonId", to_id)):
        if id_ in found.missing:
            raise NotFound("person", id_, field=field_name)
    return Introductions(found.paths, people)


def _first_threshold(tx: Tx, person_id: str, max_hops: int) -> float | None:
    """No threshold (0) for a search to a person of few ties (FEW_TIES, its stored figure);
    the search's own first threshold otherwise. The answer does not depend on it."""
    if max_hops > FULL_SEARCH_HOPS:
        return None
    rows = tx.run(people.PEOPLE_FIGURES_BY_ID, ids=[person_id])
    count = rows[0]["relationshipCount"] if rows else None
    return 0.0 if count is not None and count <= FEW_TIES else None


def best_introductions(
    graph: Graph,
    *,
    to_person_id: str | None = None,
    to_company_id: str | None = None,
    key_persons_only: bool = False,
    max_hops: int = 3,
    first: int = 5,
    min_tier: PersonTier | None = None,
) -> list[Path]:
    """The strongest paths from any of our people to the person, or to anyone at the company:
    a search from the targets whose last round meets our people (`meet_in_the_middle`)."""
    _check(max_hops, MAX_BEST_HOPS, first)
    if (to_person_id is None) == (to_company_id is None):
        raise InvalidInput("give exactly one of toPersonId and toCompanyId", field="toPersonId")
    tiers = tiers_at_least(min_tier)
    ours = our_ties(graph)

    def work(tx: Tx) -> Meeting | None:
        if to_company_id is not None:
            rows = tx.run(
                cypher.PEOPLE_AT, companyId=to_company_id, keyPersonsOnly=key_persons_only
            )
            targets = [row["id"] for row in rows]
            if not targets:
                return None
            threshold = None
        else:
            assert to_person_id is not None
            targets = [to_person_id]
            threshold = _first_threshold(tx, to_person_id, max_hops)
        return meet_in_the_middle(
            _Fetcher(tx, tiers, ours),
            ours.ours,
            targets,
            max_hops=max_hops,
            k=first,
            check_sources=False,
            threshold=threshold,
        )

    found = graph.read_tx(work)
    if found is None:
        assert to_company_id is not None
        if reads.companies_by_id(graph, [to_company_id]) == [None]:
            raise NotFound("company", to_company_id, field="toCompanyId")
        return []
    if to_person_id is not None and to_person_id in found.missing:
        raise NotFound("person", to_person_id, field="toPersonId")
    return found.paths
