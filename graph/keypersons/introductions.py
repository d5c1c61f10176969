"""Who can introduce us: the strongest paths through person-to-person relationships, and, when
asked (`via`), through the reporting lines and colleagues at the customer too."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain
from typing import Any, LiteralString

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
    Ask,
    Fetch,
    Fetched,
    FetchMany,
    Meeting,
    Path,
    Request,
    SearchTooLarge,
    Tie,
    meet_in_the_middle,
    run_together,
    search,
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


class PathStepKind(Enum):
    """What joins the two people of a hop: a relationship (KNOWS), a reporting line between
    them, or current roles at the same customer (colleagues)."""

    RELATIONSHIP = "RELATIONSHIP"
    REPORTING_LINE = "REPORTING_LINE"
    COLLEAGUE = "COLLEAGUE"


# The strength of a hop that is not a relationship, multiplied into a path like a
# relationship's strength. A reporting line counts as a friend-tier tie (0.6, above the friend
# floor of 0.5): a manager and a report talk every week and an introduction between them is an
# ordinary request. Colleagues (current roles at the same customer, nothing more known) count
# as an acquaintance (0.3, within 0.2-0.5): they can pass a name on, without weight. So a
# path through a manager our friend knows at 0.68 reads 0.68 * 0.6 = 0.41; through a mere
# colleague 0.68 * 0.3 = 0.20.
ORG_HOP_STRENGTH: Mapping[PathStepKind, float] = {
    PathStepKind.REPORTING_LINE: 0.6,
    PathStepKind.COLLEAGUE: 0.3,
}
RELATIONSHIPS_ONLY = frozenset({PathStepKind.RELATIONSHIP})


def hop_kind(tie: Tie) -> PathStepKind:
    """The kind of a path's hop: org hops carry their kind in place of a tier."""
    if tie.tier == PathStepKind.REPORTING_LINE.value:
        return PathStepKind.REPORTING_LINE
    if tie.tier == PathStepKind.COLLEAGUE.value:
        return PathStepKind.COLLEAGUE
    return PathStepKind.RELATIONSHIP


@dataclass(frozen=True)
class Org:
    """The current people of some customers and the reporting lines among them: the hops a
    path may take besides relationships (`via`). Colleagues are people with a current role at
    the same one of these customers; a reporting line joins a report and a manager both there.
    An org hop is a `Tie` whose id names the pair (`line:report>manager`,
    `colleague:a|b`), whose tier is its kind, and whose strength is ORG_HOP_STRENGTH's."""

    members: Mapping[str, Sequence[str]]  # company id -> its current people
    lines: Sequence[tuple[str, str]]  # (report, manager)
    kinds: frozenset[PathStepKind]
    companies: Mapping[str, frozenset[str]] = field(default_factory=dict[str, frozenset[str]])
    by_person: Mapping[str, Sequence[Tie]] = field(default_factory=dict[str, Sequence[Tie]])
    handles: Mapping[str, str] = field(default_factory=dict[str, str])  # element ids
    colleague_ties: dict[str, list[Tie]] = field(
        default_factory=dict[str, list[Tie]], compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        members: Mapping[str, Sequence[str]],
        lines: Iterable[tuple[str, str]],
        kinds: Collection[PathStepKind],
        handles: Mapping[str, str] | None = None,
    ) -> Org:
        companies: dict[str, set[str]] = {}
        for company_id, people_there in members.items():
            for person in people_there:
                companies.setdefault(person, set()).add(company_id)
        known = sorted(set(lines))
        by_person: dict[str, list[Tie]] = {}
        if PathStepKind.REPORTING_LINE in kinds:
            strength = ORG_HOP_STRENGTH[PathStepKind.REPORTING_LINE]
            for report, manager in known:
                if report == manager:
                    continue
                tie = Tie(
                    f"line:{report}>{manager}",
                    report,
                    manager,
                    PathStepKind.REPORTING_LINE.value,
                    strength,
                )
                by_person.setdefault(report, []).append(tie)
                by_person.setdefault(manager, []).append(tie)
        return cls(
            members=members,
            lines=known,
            kinds=frozenset(kinds),
            companies={p: frozenset(c) for p, c in companies.items()},
            by_person=by_person,
            handles=dict(handles or {}),
        )

    def strongest(self, person: str) -> float:
        """The strongest org hop of this person (0 for none)."""
        best = 0.0
        if self.by_person.get(person):
            best = ORG_HOP_STRENGTH[PathStepKind.REPORTING_LINE]
        if PathStepKind.COLLEAGUE in self.kinds and any(
            len(self.members[c]) > 1 for c in self.companies.get(person, ())
        ):
            best = max(best, ORG_HOP_STRENGTH[PathStepKind.COLLEAGUE])
        return best

    def ties(self, person: str, low: float, below: float | None) -> list[Tie]:
        """The person's org hops of strength in [low, below)."""

        def wanted(strength: float) -> bool:
            return strength >= low and (below is None or strength < below)

        found = [tie for tie in self.by_person.get(person, ()) if wanted(tie.strength)]
        if PathStepKind.COLLEAGUE in self.kinds and wanted(
            ORG_HOP_STRENGTH[PathStepKind.COLLEAGUE]
        ):
            found.extend(self._colleagues(person))
        return found

    def _colleagues(self, person: str) -> list[Tie]:
        """The person's colleague hops, made once (a search asks again at each threshold)."""
        found = self.colleague_ties.get(person)
        if found is None:
            found = list[Tie]()
            colleague = ORG_HOP_STRENGTH[PathStepKind.COLLEAGUE]
            for company_id in sorted(self.companies.get(person, ())):
                for other in self.members[company_id]:
                    if other != person:
                        a, b = sorted((person, other))
                        found.append(
                            Tie(f"colleague:{a}|{b}", a, b, PathStepKind.COLLEAGUE.value, colleague)
                        )
            self.colleague_ties[person] = found
        return found


class _WithOrg:
    """A fetch that adds the org hops of the people asked about to the relationships the
    database answers (they live in memory: a customer's people and lines, read once)."""

    def __init__(self, fetch: _Fetcher, org: Org) -> None:
        self._fetch = fetch
        self._org = org

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched:
        [got] = self.many([Ask(requests, meet)])
        return got

    def many(self, asks: Sequence[Ask]) -> list[Fetched]:
        """Each ask's answer (`_Fetcher.many`), with its org hops."""
        return [
            self._with_org(ask, got) for ask, got in zip(asks, self._fetch.many(asks), strict=True)
        ]

    def _with_org(self, ask: Ask, got: Fetched) -> Fetched:
        org, meet = self._org, ask.meet
        ties = list(got.ties)
        for person, low, below in ask.requests:
            if person not in org.companies:
                continue
            for tie in org.ties(person, low, below):
                other = tie.b if tie.a == person else tie.a
                if meet is None or other in meet:
                    ties.append(tie)
        strongest = dict(got.strongest)
        for person, value in got.strongest.items():
            if person in org.companies:
                strongest[person] = max(value, org.strongest(person))
        return Fetched(found=got.found, ties=ties, strongest=strongest)


Seen = Callable[[str], bool]


class _OnlySeen:
    """A fetch that leaves out the ties with a person the caller does not see (a credential
    scoped to account teams, graph/auth/scope.py): the search then finds the best paths among
    the people it sees, never one through someone else."""

    def __init__(self, fetch: Fetch, many: FetchMany, seen: Seen) -> None:
        self._fetch = fetch
        self._many = many
        self._seen = seen

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched:
        return self._kept(self._fetch(requests, meet=meet))

    def many(self, asks: Sequence[Ask]) -> list[Fetched]:
        return [self._kept(got) for got in self._many(asks)]

    def _kept(self, got: Fetched) -> Fetched:
        seen = self._seen
        ties = [tie for tie in got.ties if seen(tie.a) and seen(tie.b)]
        return Fetched(found=got.found, ties=ties, strongest=got.strongest)


def _only_seen(fetch: _Fetcher | _WithOrg, seen: Seen | None) -> Fetch:
    """`fetch`, or with `seen`, `fetch` without the ties of people not seen."""
    return fetch if seen is None else _OnlySeen(fetch, fetch.many, seen)


def _only_seen_many(fetch: _Fetcher | _WithOrg, seen: Seen | None) -> FetchMany:
    return fetch.many if seen is None else _OnlySeen(fetch, fetch.many, seen).many


def read_org(tx: Tx, company_ids: Sequence[str], kinds: Collection[PathStepKind]) -> Org:
    """The current people of these customers and the reporting lines among them, one round
    trip (none when `kinds` holds relationships only)."""
    if not (set(kinds) - RELATIONSHIPS_ONLY) or not company_ids:
        return Org.of({}, [], kinds)
    rows = tx.run(cypher.CUSTOMER_ORG, companyIds=list(company_ids))
    members = {row["companyId"]: sorted(p for p, _ in row["people"]) for row in rows}
    handles = {p: handle for row in rows for p, handle in row["people"]}
    lines = [(report, manager) for row in rows for report, manager in row["lines"]]
    return Org.of(members, lines, kinds, handles)


def _check_via(via: Collection[PathStepKind]) -> frozenset[PathStepKind]:
    if PathStepKind.RELATIONSHIP not in via:
        raise InvalidInput("via: must include RELATIONSHIP", field="via")
    return frozenset(via)


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
    return cache.cached(graph, ("our-ties",), lambda: _read_our_ties(graph))


class _Fetcher:
    """The searches' round trips, in one read transaction. It keeps the element id of every
    person it has seen, to name the people a meeting looks for. With our people's ties at
    hand (`ours`), a meeting they answer costs no round trip.

    It also keeps the ties it fetched for each person (`_ties`: all of theirs from `_from` on)
    and asks the database only for the rest, so that searches run together (`many`, the call
    plan's: one per key person) share what any of them fetched; a round of them is at most one
    PATH_TIES and one MEETING_TIES. Each ask is answered with exactly the ties it asked for,
    as a fetch of its own would have been."""

    def __init__(self, tx: Tx, tiers: list[str], ours: OurTies | None = None) -> None:
        self._tx = tx
        self._tiers = tiers
        self._ours = ours
        self._handles: dict[str, str] = {} if ours is None else dict(ours.ours)
        self._exists: dict[str, bool] = {}  # people asked about: whether they exist
        self._ties: dict[str, list[Tie]] = {}
        self._from: dict[str, float] = {}
        self._strongest: dict[str, float] = {}  # the other ends' stored strongestTie

    def know(self, handles: Mapping[str, str]) -> None:
        """Element ids of people a meeting may look for that no answer named (org hops)."""
        self._handles.update(handles)

    def __call__(self, requests: Sequence[Request], *, meet: Collection[str] | None) -> Fetched:
        [got] = self.many([Ask(requests, meet)])
        return got

    def _at_hand(self, person: str, low: float) -> bool:
        known = self._from.get(person)
        return self._exists.get(person) is False or (known is not None and known <= low)

    def many(self, asks: Sequence[Ask]) -> list[Fetched]:
        """Each ask's answer: first one PATH_TIES for the ties the plain asks need that are
        not at hand, then one MEETING_TIES for those the meetings need."""
        ours = self._ours
        by_ours = [
            ask.meet is not None and ours is not None and ours.answers(ask.requests, ask.meet)
            for ask in asks
        ]
        plain: dict[str, float] = {}
        for ask, answered in zip(asks, by_ours, strict=True):
            if ask.meet is None and not answered:
                for person, low, _ in ask.requests:
                    if not self._at_hand(person, low):
                        plain[person] = min(low, plain.get(person, low))
        if plain:
            asked = [[p, low, self._from.get(p)] for p, low in sorted(plain.items())]
            for person, ties in self._read(cypher.PATH_TIES, asked).items():
                self._ties.setdefault(person, []).extend(ties)
            for person, low in plain.items():
                self._from[person] = low
        meeting: dict[str, float] = {}
        meet: set[str] = set()
        for ask, answered in zip(asks, by_ours, strict=True):
            if ask.meet is not None and not answered:
                for person, low, _ in ask.requests:
                    if not self._at_hand(person, low):
                        meeting[person] = min(low, meeting.get(person, low))
                        meet.update(ask.meet)
        met: dict[str, list[Tie]] = {}
        if meeting:
            asked = [[p, low, self._from.get(p)] for p, low in sorted(meeting.items())]
            met = self._read(cypher.MEETING_TIES, asked, meet)
        answers: list[Fetched] = []
        for ask, answered in zip(asks, by_ours, strict=True):
            if answered:
                assert ours is not None and ask.meet is not None
                answers.append(ours.meeting(ask.requests, ask.meet, self._tiers))
            else:
                answers.append(self._answer(ask, met))
        return answers

    def _read(
        self, statement: LiteralString, asked: list[list[Any]], meet: Collection[str] = ()
    ) -> dict[str, list[Tie]]:
        """The ties of the people asked about, in the ranges asked, by person; whether each
        exists, the element ids and strongest ties seen are kept."""
        if statement is cypher.MEETING_TIES:
            meeting = {self._handles[p]: True for p in meet if p in self._handles}
            [[found, by_person]] = self._tx.run_plain(
                statement, requests=asked, tiers=self._tiers, meet=meeting
            )
        else:
            [[found, by_person]] = self._tx.run_plain(statement, requests=asked, tiers=self._tiers)
        handles, strongest = self._handles, self._strongest
        got: dict[str, list[Tie]] = {}
        for tie_id, person, other, handle, starts, tier, strength, top in chain(*by_person):
            handles[other] = handle
            if top is not None:
                strongest[other] = float(top)
            if starts:
                tie = Tie(tie_id, person, other, tier, float(strength))
            else:
                tie = Tie(tie_id, other, person, tier, float(strength))
            got.setdefault(person, []).append(tie)
        for person, _, _ in asked:
            self._exists[person] = False
        for person, handle in found:
            handles[person] = handle
            self._exists[person] = True
        return got

    def _answer(self, ask: Ask, met: Mapping[str, Sequence[Tie]]) -> Fetched:
        """An ask's ties from what is at hand and what its round's meeting read."""
        meet = ask.meet
        ties: list[Tie] = []
        strongest: dict[str, float] = {}
        for person, low, below in ask.requests:
            for tie in chain(met.get(person, ()), self._ties.get(person, ())):
                if tie.strength < low or (below is not None and tie.strength >= below):
                    continue
                other = tie.b if tie.a == person else tie.a
                if meet is not None and other not in meet:
                    continue
                ties.append(tie)
                if other in self._strongest:
                    strongest[other] = self._strongest[other]
        found = frozenset(person for person, _, _ in ask.requests if self._exists.get(person))
        return Fetched(found=found, ties=ties, strongest=strongest)


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
    via: Collection[PathStepKind] = RELATIONSHIPS_ONLY,
    seen: Seen | None = None,
) -> Introductions:
    """The `first` strongest simple paths from one person to another, best first, with the
    people on them: a search from both ends that meet in the middle (`meet_in_the_middle`), a
    few round trips in one read transaction. With `via`, hops may also be reporting lines and
    colleagues at the target's customers (`Org`; `minTier` bounds relationship hops only).
    With `seen`, only through the people it accepts."""
    _check(max_hops, MAX_HOPS, first)
    kinds = _check_via(via)
    if from_id == to_id:
        raise InvalidInput("toPersonId: must differ from fromPersonId", field="toPersonId")
    tiers = tiers_at_least(min_tier)

    def work(tx: Tx) -> tuple[Meeting, dict[str, Person]]:
        fetcher = _Fetcher(tx, tiers)
        fetch: _Fetcher | _WithOrg = fetcher
        if kinds != RELATIONSHIPS_ONLY:
            [row] = tx.run(cypher.PERSON_CUSTOMERS, personId=to_id)
            org = read_org(tx, row["companyIds"], kinds)
            fetcher.know(org.handles)
            fetch = _WithOrg(fetcher, org)
        found = meet_in_the_middle(
            _only_seen(fetch, seen), [from_id], [to_id], max_hops=max_hops, k=first
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
    via: Collection[PathStepKind] = RELATIONSHIPS_ONLY,
    seen: Seen | None = None,
) -> list[Path]:
    """The strongest paths from any of our people to the person, or to anyone at the company:
    a search from the targets whose last round meets our people (`meet_in_the_middle`). With
    `via`, hops may also be reporting lines and colleagues at the customer (the company, or
    the person's)."""
    _check(max_hops, MAX_BEST_HOPS, first)
    kinds = _check_via(via)
    if (to_person_id is None) == (to_company_id is None):
        raise InvalidInput("give exactly one of toPersonId and toCompanyId", field="toPersonId")
    tiers = tiers_at_least(min_tier)
    ours = our_ties(graph)

    def work(tx: Tx) -> Meeting | None:
        fetcher = _Fetcher(tx, tiers, ours)
        fetch: _Fetcher | _WithOrg = fetcher
        if kinds != RELATIONSHIPS_ONLY:
            if to_company_id is not None:
                customers = [to_company_id]
            else:
                [row] = tx.run(cypher.PERSON_CUSTOMERS, personId=to_person_id)
                customers = row["companyIds"]
            org = read_org(tx, customers, kinds)
            fetcher.know(org.handles)
            fetch = _WithOrg(fetcher, org)
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
            threshold = None
            if kinds == RELATIONSHIPS_ONLY:  # colleagues would make a full search wide
                threshold = _first_threshold(tx, to_person_id, max_hops)
        return meet_in_the_middle(
            _only_seen(fetch, seen),
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


def paths_at_customer(
    tx: Tx,
    ours: OurTies,
    org: Org,
    requests: Sequence[tuple[str, frozenset[str], int]],
    *,
    max_hops: int,
    seen: Seen | None = None,
) -> dict[str, list[Path]]:
    """For each (target, our people left out, k): the k best paths from our other people to
    the target, through relationships and `org`'s hops, passing through none of our people;
    one bounded search each (`meet_in_the_middle`), run together in this transaction (a round
    of round trips for all of them at once, sharing the ties fetched). A search that grows
    too large (SearchTooLarge) finds none, so that one crowded key person leaves the others'
    answers."""
    fetcher = _Fetcher(tx, tiers_at_least(None), ours)
    fetcher.know(org.handles)
    searches = [
        search(
            [p for p in ours.ours if p not in left_out and p != target],
            [target],
            max_hops=max_hops,
            k=k,
            check_sources=False,
        )
        for target, left_out, k in requests
    ]
    found: dict[str, list[Path]] = {}
    met = run_together(searches, _only_seen_many(_WithOrg(fetcher, org), seen))
    for (target, _, _), meeting in zip(requests, met, strict=True):
        if isinstance(meeting, SearchTooLarge):
            found[target] = []
            continue
        found[target] = [
            path for path in meeting.paths if not any(p in ours.ours for p in path.person_ids[1:])
        ]
    return found


def nearest_at_customer(
    tx: Tx,
    ours: OurTies,
    people_there: Collection[str],
    *,
    max_hops: int,
    seen: Seen | None = None,
) -> Path | None:
    """The best path from one of our people to anyone of `people_there` (through
    relationships), or None when there is none within `max_hops` or the search grows too
    large."""
    try:
        meeting = meet_in_the_middle(
            _only_seen(_Fetcher(tx, tiers_at_least(None), ours), seen),
            ours.ours,
            people_there,
            max_hops=max_hops,
            k=1,
            check_sources=False,
        )
    except SearchTooLarge:
        return None
    return meeting.paths[0] if meeting.paths else None


def people_on(tx: Tx, ids: Collection[str]) -> dict[str, Person]:
    """These people by id, in one round trip (none for no ids)."""
    rows = tx.run(PERSON.statements.by_id, ids=sorted(ids)) if ids else []
    return {row["item"]["id"]: PERSON.model(row["item"]) for row in rows}
