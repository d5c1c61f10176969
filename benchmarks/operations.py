"""The read operations `python -m benchmarks` times: every read a planner or an analyst uses
(issue 17), each a GraphQL document with its variables per round.

Search by a sample person's and the featured customer's names, in characters, pinyin with and
without spaces, and initials; pages of companies and people under every sort the schema
offers and filtered by a figure, the first page and the last (a page deep in the list, its
cursor from the first page's `totalCount`); a company with its people, a person with their
relationships; the key-person map now and as of a date; introduction paths of 4 hops between
sample pairs and of 6 between the busiest pair; best introductions to a person (3 hops) and
to a company (4); relationship and change history; lifecycle timeline and customer changes;
referral chains and top referrers; the tier pyramid and value classes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks import queries
from benchmarks.harness import Samples
from graph.core import reads
from graph.core.search import search_text
from graph.cypher.core import history
from graph.cypher.core import kinds as kind_statements
from graph.db.connection import Graph
from resolvers.pagination import encode_cursor

AS_OF_DAYS = 548  # about 1.5 years back, as benchmarks/evolution.py
CHANGES_DAYS = 365  # customerChanges over the last year
TIMELINE_CANDIDATES = 40  # customers tried for the longest lifecycle timeline
PAGE = 20
MIN_OUR_RELATIONSHIPS = 3  # the company pages' figure filter
MIN_STRONGEST_TIE = 0.6  # the people pages' figure filter
OUR_COMPANY = "co_ours0"  # the synthetic graph's first company of ours: the pyramid's team

# The targets, over GraphQL/HTTP, one client.
READ_P50_MS = 50.0
READ_P99_MS = 250.0
SIX_HOPS_P50_MS = 250.0

SEARCH_FORMS = ("characters", "pinyin with spaces", "pinyin without spaces", "initials")


@dataclass(frozen=True)
class Operation:
    """One read operation: its GraphQL document and variables per round, its targets."""

    root_field: str
    label: str
    query: str
    variables: Callable[[int], dict[str, Any]]
    p50_target: float = READ_P50_MS
    p99_target: float | None = READ_P99_MS
    # served from a cache the first call fills: in-process, run once before recording
    cached: bool = False
    # keep the answer's totalCount under this name (a deep page's cursor is made from it)
    total_key: str = ""
    note: str = ""


@dataclass(frozen=True)
class Setup:
    """What the operations need beyond the stored samples, read through the bare driver
    (the app's own by-id reads) so that the first calls find the server cold."""

    person_name: str
    company_name: str
    as_of: dt.datetime
    changes_from: dt.datetime
    changes_to: dt.datetime
    timeline_company: str  # the customer with the longest lifecycle timeline of those tried
    short_timeline_company: str  # and the shortest, for the growth table
    change_subject: str  # the busiest pair's relationship: the longest change history
    totals: dict[str, int] = field(default_factory=dict)  # filled by first pages' answers

    def search_forms(self, name: str) -> dict[str, str]:
        """A name as a user may type it: characters, pinyin with and without spaces,
        initials (graph/core/search.py)."""
        return dict(zip(SEARCH_FORMS, search_text(name).split("\n"), strict=True))

    def deep_cursor(self, key: str) -> str | None:
        """The cursor of the last page of the list whose first page kept its total as `key`."""
        total = self.totals[key]
        return encode_cursor(total - PAGE - 1) if total > PAGE else None


def setup(graph: Graph, samples: Samples) -> Setup:
    """Names to search, dates, the timeline customers and the change history's subject."""
    [person] = reads.people_by_id(graph, [samples.path_pairs[0][1]])
    [company] = reads.companies_by_id(graph, [samples.customer_of_50])
    if person is None or company is None:
        raise SystemExit("the samples are not in the graph: rebuild it")
    timelines = sorted(
        (sum(len(row["changes"]) for row in graph.read(history.STAGE_CHANGES, companyId=c)), c)
        for c in (f"co_{i:06d}" for i in range(TIMELINE_CANDIDATES))
    )
    a, b = samples.busiest_pair
    between = kind_statements.RELATIONSHIP.between
    assert between is not None  # one relationship per pair of people
    [pair] = graph.read(between, fromId=a, toId=b)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return Setup(
        person_name=person.name,
        company_name=company.name,
        as_of=now - dt.timedelta(days=AS_OF_DAYS),
        changes_from=now - dt.timedelta(days=CHANGES_DAYS),
        changes_to=now,
        timeline_company=timelines[-1][1],
        short_timeline_company=timelines[0][1],
        change_subject=str(pair["id"]),
    )


def _fixed(variables: dict[str, Any]) -> Callable[[int], dict[str, Any]]:
    """The same variables every round."""
    return lambda round_: variables


def _deep(s: Setup, base: dict[str, Any], key: str) -> Callable[[int], dict[str, Any]]:
    """The variables of the last page (its cursor known once the first page has answered)."""
    return lambda round_: {**base, "after": s.deep_cursor(key)}


def _searches(s: Setup) -> list[Operation]:
    found = []
    for form, term in s.search_forms(s.person_name).items():
        found.append(
            Operation(
                "people",
                f'people: search "{term}" ({form}), with roles and companies',
                queries.PEOPLE_SEARCH,
                _fixed({"q": term}),
            )
        )
    for form, term in s.search_forms(s.company_name).items():
        found.append(
            Operation(
                "companies",
                f'companies: search "{term}" ({form})',
                queries.COMPANY_SEARCH,
                _fixed({"q": term}),
            )
        )
    return found


def _pages(
    s: Setup,
    root: str,
    query: str,
    sorts: list[tuple[str, str]],
    figure_filter: tuple[str, float],
) -> list[Operation]:
    """The first and the last page of `root` under each sort, and under the figure filter."""
    found = []
    name, threshold = figure_filter
    shown = f"{threshold:g}"
    cases: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = [
        (f"sorted by {field_} {direction}", {"field": field_, "direction": direction}, None)
        for field_, direction in sorts
    ]
    cases.append((f"filtered {name} >= {shown}", None, {name: threshold}))
    for what, sort, filter_ in cases:
        key = f"{root} {what}"
        base = {"sort": sort, "filter": filter_}
        found.append(
            Operation(
                root,
                f"{root}: first page of {PAGE}, {what}",
                query,
                _fixed(base),
                total_key=key,
            )
        )
        found.append(
            Operation(
                root,
                f"{root}: last page of {PAGE}, {what}",
                query,
                _deep(s, base, key),
            )
        )
    return found


def operations(samples: Samples, s: Setup) -> list[Operation]:
    """The read operations, in the order they run each round (a first page before its last)."""
    customer = samples.customer_of_50
    pairs = samples.path_pairs
    referrers = samples.busiest_referrers
    a, b = samples.busiest_pair

    def pair(round_: int) -> tuple[str, str]:
        first, second, _ = pairs[round_ % len(pairs)]
        return first, second

    ops = [
        Operation(
            "companies",
            "companies: a page of 20 customers with their people",
            queries.COMPANIES,
            lambda r: {"first": 20},
        ),
        *_searches(s),
        *_pages(
            s,
            "companies",
            queries.COMPANY_PAGE,
            [
                ("NAME", "ASC"),
                ("CREATED_AT", "DESC"),
                ("OUR_RELATIONSHIP_COUNT", "DESC"),
                ("PEOPLE_COUNT", "DESC"),
            ],
            ("minOurRelationships", MIN_OUR_RELATIONSHIPS),
        ),
        *_pages(
            s,
            "people",
            queries.PEOPLE_PAGE,
            [
                ("NAME", "ASC"),
                ("CREATED_AT", "DESC"),
                ("STRONGEST_TIE", "DESC"),
                ("RELATIONSHIP_COUNT", "DESC"),
            ],
            ("minStrongestTie", MIN_STRONGEST_TIE),
        ),
        Operation(
            "people",
            f"people: last page of {PAGE} by `last`, sorted by STRONGEST_TIE DESC",
            queries.PEOPLE_LAST,
            _fixed({"last": PAGE, "sort": {"field": "STRONGEST_TIE", "direction": "DESC"}}),
        ),
        Operation(
            "nodes",
            "nodes: 20 people and a customer by id (Node)",
            queries.NODES,
            lambda r: {
                "ids": [
                    samples.customer_of_50,
                    *dict.fromkeys(p for a, b, _ in samples.path_pairs for p in (a, b)),
                ][:21]
            },
        ),
        Operation(
            "peopleByExternalIds",
            "peopleByExternalIds: 100 external ids",
            queries.PEOPLE_BY_EXTERNAL_IDS,
            lambda r: {"ids": [f"crm:{r}:{i}" for i in range(100)]},
            note="the synthetic graph keeps no external ids: 100 misses on the unique index",
        ),
        Operation(
            "company",
            "company: customer of 50, with its people",
            queries.COMPANY,
            lambda r: {"c": customer},
        ),
        Operation(
            "person",
            "person: median-degree people, with their relationships",
            queries.PERSON,
            lambda r: {"p": pair(r)[1]},
        ),
        Operation(
            "keyPersonMap",
            "keyPersonMap: customer of 50, everyone",
            queries.MAP,
            lambda r: {"c": customer, "at": None},
        ),
        Operation(
            "keyPersonMap",
            f"keyPersonMap asOf {AS_OF_DAYS} days back",
            queries.MAP,
            lambda r: {"c": customer, "at": s.as_of.isoformat()},
        ),
        Operation(
            "callPlan",
            "callPlan: customer of 50, first 10",
            queries.CALL_PLAN,
            lambda r: {"c": customer},
        ),
        Operation(
            "orgChart",
            "orgChart: customer of 50",
            queries.ORG_CHART,
            lambda r: {"c": customer, "at": None},
        ),
        Operation(
            "orgChart",
            f"orgChart asOf {AS_OF_DAYS} days back",
            queries.ORG_CHART,
            lambda r: {"c": customer, "at": s.as_of.isoformat()},
        ),
        Operation(
            "introductionPaths",
            "introductionPaths: 4 hops, median-degree people 3-4 apart",
            queries.PATHS,
            lambda r: dict(zip(("a", "b"), pair(r), strict=True)),
        ),
        Operation(
            "introductionPaths",
            "introductionPaths: 6 hops, the busiest pair",
            queries.PATHS,
            lambda r: {"a": a, "b": b, "hops": 6},
            p50_target=SIX_HOPS_P50_MS,
            p99_target=None,
        ),
        Operation(
            "bestIntroductions",
            "bestIntroductions: 3 hops to a median-degree person",
            queries.BEST,
            lambda r: {"p": pair(r)[1]},
        ),
        Operation(
            "bestIntroductions",
            "bestIntroductions: 4 hops to the customer of 50",
            queries.BEST_TO_COMPANY,
            lambda r: {"c": customer},
        ),
        Operation(
            "relationshipHistory",
            "relationshipHistory: the busiest pair, first 100",
            queries.HISTORY,
            lambda r: {"a": a, "b": b},
        ),
        Operation(
            "changeHistory",
            "changeHistory: the busiest pair's relationship, first 100",
            queries.CHANGE_HISTORY,
            lambda r: {"s": s.change_subject},
        ),
        Operation(
            "lifecycleTimeline",
            f"lifecycleTimeline: {s.timeline_company}",
            queries.TIMELINE,
            lambda r: {"c": s.timeline_company},
        ),
        Operation(
            "customerChanges",
            f"customerChanges: customer of 50, last {CHANGES_DAYS} days",
            queries.CHANGES,
            lambda r: {
                "c": customer,
                "from": s.changes_from.isoformat(),
                "to": s.changes_to.isoformat(),
            },
        ),
        Operation(
            "referralChain",
            "referralChain summary, depth 6: the ten busiest referrers",
            queries.REFERRAL_SUMMARY,
            lambda r: {"id": referrers[r % len(referrers)]},
            cached=True,
            note="walked in Python over a cached index of the whole referral network",
        ),
        Operation(
            "topReferrers",
            "topReferrers by value, top 10",
            queries.TOP_REFERRERS,
            lambda r: {"by": "VALUE"},
            cached=True,
            note="served from the cached referral network, whose fingerprint is read again "
            "at most once a second",
        ),
        Operation(
            "tierPyramid",
            f"tierPyramid: the staff of {OUR_COMPANY}",
            queries.TIER_PYRAMID,
            lambda r: {"c": OUR_COMPANY},
            cached=True,
            note="cached per company until ties, roles or companies change; the fingerprint is "
            "read again at most once a second",
        ),
        Operation(
            "valueClasses",
            "valueClasses: counts and the first 20 customers",
            queries.VALUE_CLASSES,
            lambda r: {},
            cached=True,
            note="cached until companies or deals change; the fingerprint is read again at "
            "most once a second",
        ),
    ]
    return ops
