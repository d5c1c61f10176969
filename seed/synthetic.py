"""A deterministic synthetic book of business, with one scale knob, and four years of history.

`generate(people=N, seed=S)` gives the same graph for the same N and S: our companies with
staff, customer companies of 50 people with roles (key persons, buying roles, seniority),
reporting lines, person-to-person relationships with heavy-tailed degrees (about 10 per person
on average, so N people have about 10 N relationships) whose tiers follow the seeds' ladder,
and company relationships across the four tiers and lifecycle stages. Names mix Chinese and
English.

History runs from HISTORY_START to HISTORY_END (2022-11 to 2026-11), written the way the app
writes it (graph/core/history.py, graph/evolution/interactions.py):

- Companies, people, roles and relationships appear over those years (`createdAt`): about
  half the customers came with the initial import, the rest later; ties are recorded after
  both their people are known. Items without recorded changes count from their `createdAt`.
- Every tie between one of our staff and a customer's person is set by hand when recorded (a
  CREATED change, evidence MANUAL), then moved by interactions at heavy-tailed rates (a few
  ties monthly, most a few times a year or less, some falling silent), each strength computed
  by graph/evolution/strength.py and recorded as an UPDATED change with the interaction as evidence;
  now and then a person reviews the tier against the suggested one.
- Some customer people leave (their role gets an `endDate`) and start at another customer;
  some customers move through lifecycle stages and statuses.
- The featured customer (`featured_customer`, the first with 50 people) has an account team of
  our staff tied to each of its key persons, with monthly to bimonthly interactions; one of its
  key persons leaves in 2025 and a colleague becomes a key person later that year.

Referrals and deals come with or without that history (`history=False` skips only the history):

- Referrals (REFERRED, about REFERRALS_PER_PERSON a person) grow as referral trees over those
  years: each referral comes from a party already in the network, chosen with weight (referrals
  it made + REFERRAL_ATTACHMENT), or now and then from someone new (a root), and refers a
  customer's person or (about one in ten) a customer company that exists by then. So a few
  referrers are busy and reach thousands downstream, most make one or two referrals, and chains
  run deep. About 1% repeat an earlier referral later on, and a few close a cycle (someone
  downstream refers an ancestor).
- Deals (:Deal)-[:FOR]->(:Company): customers that are CURRENT, WON_BACK (some of the CHURNED) or
  CHURNED buy over the years (the churned stop, the won-back pause and come back), customer
  sizes Pareto-distributed, repeat purchases in a product line and cross-selling into others.
  Many customers that were referred (the company or one of its people) start buying after
  their first referral.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, LiteralString

from graph.core import figures, kinds, writes
from graph.core.history import (
    ChangeNote,
    ChangeRecord,
    EvidenceKind,
    Operation,
    SubjectKind,
    change_row,
    from_ms,
    to_ms,
)
from graph.core.kinds import EdgeKind, NodeKind
from graph.core.search import search_text
from graph.cypher.transfer import bulk
from graph.cypher.transfer import records as records_cypher
from graph.db import recorder
from graph.db.connection import Graph
from graph.db.setup import schema_lifted
from graph.evolution.strength import DAY_MS, InteractionKind, StrengthModel, clamp

# Bump when the generated graph changes, so stored benchmark graphs are rebuilt.
GENERATOR_VERSION = 6

COMPANY_SIZE = 50
STAFF_SHARE = 0.01
TIES_PER_PERSON = 10
SAME_COMPANY_SHARE = 0.3
# tier, share of relationships, strength range (the seeds: of 100 contacts about 50
# acquaintances, 10 friends, 3-5 confidants)
TIERS = [
    ("PASSER_BY", 0.36, (0.02, 0.2)),
    ("ACQUAINTANCE", 0.50, (0.2, 0.5)),
    ("FRIEND", 0.10, (0.5, 0.8)),
    ("CONFIDANT", 0.04, (0.8, 1.0)),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
ENGLISH_FIRST = ["Anna", "Ben", "Chloe", "David", "Emily", "Frank", "Grace", "Henry", "Ivy", "Jack"]
ENGLISH_LAST = ["Smith", "Wong", "Chan", "Miller", "Lee", "Tan", "Becker", "Nair", "Lau", "Kim"]
INDUSTRIES = ["Manufacturing", "Logistics", "Retail", "Finance", "Healthcare", "Energy"]
REGIONS = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Hong Kong", "Singapore"]
BUYING_ROLES = ["DECISION_MAKER", "INFLUENCER", "CHAMPION", "GATEKEEPER", "USER", "BLOCKER"]
STAGES = ["EXPLORATION", "FORMATION", "STABILITY", "DECLINE"]
STATUSES = ["PROSPECT", "TARGET", "CURRENT", "CHURNED", "WON_BACK"]

HISTORY_START = dt.datetime(2022, 11, 1, 9, tzinfo=dt.UTC)
HISTORY_END = dt.datetime(2026, 11, 15, 18, tzinfo=dt.UTC)
IMPORT_SHARE = 0.5  # customers (and their people) that came with the initial import
STAFF_AT_START = 0.7
MOVER_SHARE = 0.08  # customer people who leave for another customer over the years
CHANGING_COMPANY_SHARE = 0.4  # customers whose stage or status moves
DORMANT_SHARE = 0.35  # ties that fall silent at some point
REVIEW_CHANCE = 0.08  # after an interaction, someone reviews the tier
GROUP_CHANCE = 0.15  # an interaction that includes colleagues of the person met
MAX_RATE = 12.0  # interactions per year of the busiest ties
FEATURED_RATE = (4.0, 10.0)
FEATURED_TEAM = 5
FEATURED_LEAVER_SLOT = 2
FEATURED_LEAVES_ON = dt.date(2025, 9, 15)
FEATURED_PROMOTED_SLOT = 9
FEATURED_PROMOTED_ON = dt.date(2025, 11, 3)
KINDS = [
    (InteractionKind.EMAIL, 25),
    (InteractionKind.MEETING, 25),
    (InteractionKind.CALL, 20),
    (InteractionKind.MESSAGE, 8),
    (InteractionKind.MEAL, 8),
    (InteractionKind.VISIT, 7),
    (InteractionKind.EVENT, 5),
    (InteractionKind.OTHER, 2),
]
SENTIMENTS = [(-2, 1), (-1, 3), (0, 20), (1, 55), (2, 21)]
# referrals: per person; the weight of a party with k referrals made is k + REFERRAL_ATTACHMENT;
# the share of referrals from someone new to the network; the share that refer a company
REFERRALS_PER_PERSON = 0.4
REFERRAL_ATTACHMENT = 1.0
REFERRAL_ROOT_SHARE = 0.1
REFERRED_COMPANY_SHARE = 0.1
REPEAT_SHARE = 0.01  # the same referrer refers the same party again, later
REFERRALS_PER_CYCLE = 2000  # someone downstream refers an ancestor: one in this many referrals
REFERRAL_NOTE_SHARE = 0.3
REFERRAL_NOTES = ["met at a trade fair", "former colleague", "introduced over dinner",
                  "industry association", "alumni network", "one of their suppliers",
                  "asked us for a recommendation"]  # fmt: skip
# deals: the statuses that buy, customer sizes (Pareto: about 20% of customers bring 80%),
# product lines (weight of being the first line, price factor)
PAYING = ("CURRENT", "CHURNED", "WON_BACK")
WON_BACK_SHARE = 0.3  # of the churned customers
CUSTOMER_SIZE_ALPHA = 1.3
MAX_CUSTOMER_SIZE = 500.0
DEAL_BASE_AMOUNT = 20_000.0
CROSS_SELL_CHANCE = 0.25
REFERRAL_CONVERSION = 0.6  # referred paying customers whose buying starts after the referral
PRODUCT_LINES = [
    ("Core Platform", 45, 1.0),
    ("Analytics", 20, 0.6),
    ("Integrations", 15, 0.5),
    ("Premium Support", 12, 0.35),
    ("Training", 8, 0.15),
]
TOPICS = ["quarterly review", "pricing", "renewal", "new project", "support escalation",
          "site visit", "dinner", "trade fair", "contract terms", "introductions"]  # fmt: skip


@dataclass
class Synthetic:
    """The generated rows, ready for the bulk statements, and the adjacency for sampling."""

    companies: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    company_relationships: list[dict[str, Any]] = field(default_factory=list)
    reporting_lines: list[dict[str, Any]] = field(default_factory=list)
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    # the company each person was generated at (people who moved on hold roles elsewhere too)
    company_of: dict[str, str] = field(default_factory=dict)
    featured_customer: str = ""
    # history: interactions with their parties, companies and predecessors; the change log
    # (props and the companies each concerns); the time index of each subject with changes
    interactions: list[dict[str, Any]] = field(default_factory=list)
    took_part: list[dict[str, Any]] = field(default_factory=list)
    about: list[dict[str, Any]] = field(default_factory=list)
    follows: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    histories: list[dict[str, Any]] = field(default_factory=list)
    # referrals {fromId, fromKind, toId, toKind, props} (kinds PERSON or COMPANY), in date
    # order; deals {companyId, props}
    referrals: list[dict[str, Any]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)

    def steps(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Each step's name (see `load`) with its rows, in loading order."""
        return [
            ("COMPANIES", self.companies),
            ("PEOPLE", self.people),
            ("ROLES", self.roles),
            ("COMPANY_RELATIONSHIPS", self.company_relationships),
            ("REPORTING_LINES", self.reporting_lines),
            ("RELATIONSHIPS", self.relationships),
            ("REFERRALS", self.referrals),
            ("DEALS", self.deals),
            ("INTERACTIONS", self.interactions),
            ("TOOK_PART", self.took_part),
            ("ABOUT", self.about),
            ("FOLLOWS", self.follows),
            ("CHANGES", self.changes),
            ("HISTORIES", self.histories),
        ]

    def row_count(self) -> int:
        """The rows `load` writes, and the companies and people whose figures it counts."""
        figures = len(self.companies) + len(self.people)
        return sum(len(rows) for _, rows in self.steps()) + figures

    def summary(self) -> list[str]:
        """Counts of what was generated, for printing."""
        kinds = Counter(c["props"]["subjectKind"] for c in self.changes)
        evidence = Counter(c["props"]["evidenceKind"] for c in self.changes)
        ended = sum(1 for r in self.roles if r["props"].get("endDate") is not None)
        rates = sorted(
            r["props"].get("interactionCount", 0)
            / max(0.25, (to_ms(HISTORY_END) - to_ms(r["props"]["createdAt"])) / DAY_MS / 365)
            for r in self.relationships
            if "strengthRaw" in r["props"]
        )

        def at(share: float) -> float:
            return rates[min(len(rates) - 1, int(share * len(rates)))] if rates else 0.0

        pairs = Counter((r["fromId"], r["toId"]) for r in self.referrals)
        made = Counter(r["fromId"] for r in self.referrals)
        few = sum(1 for n in made.values() if n <= 2)
        reach = referral_reach(self.referrals)
        busiest = max(reach.values(), default=0)
        revenue = Counter[str]()
        for deal in self.deals:
            revenue[deal["companyId"]] += deal["props"]["amount"]
        amounts = sorted(revenue.values(), reverse=True)
        top = sum(amounts[: max(1, len(amounts) // 5)]) / max(1.0, sum(amounts))
        graph = [
            f"{len(self.companies):,} companies, {len(self.people):,} people, "
            f"{len(self.roles):,} roles ({ended:,} ended), "
            f"{len(self.relationships):,} relationships",
            f"{len(self.referrals):,} referrals ("
            f"{sum(1 for r in self.referrals if r['toKind'] == 'COMPANY'):,} of companies, "
            f"{sum(pairs.values()) - len(pairs):,} repeated) by {len(made):,} referrers "
            f"({few / max(1, len(made)):.0%} with 1 or 2); busiest: {busiest:,} downstream "
            "within 6 levels",
            f"{len(self.deals):,} deals for {len(revenue):,} customers, "
            f"{sum(amounts):,.0f} CNY; the top 20% of customers bring {top:.0%}",
        ]
        if not self.changes:
            return [*graph, "no history"]
        return [
            *graph,
            f"{len(rates):,} our-customer ties with history; {len(self.interactions):,} "
            f"interactions ({len(self.took_part):,} parties, {len(self.follows):,} follow-ups)",
            "interactions per tie per year: "
            f"p50 {at(0.5):.1f}, p90 {at(0.9):.1f}, p99 {at(0.99):.1f}, max {at(1.0):.1f}",
            f"{len(self.changes):,} changes ("
            + ", ".join(f"{k.lower()} {n:,}" for k, n in sorted(kinds.items()))
            + "; evidence "
            + ", ".join(f"{str(k).lower()} {n:,}" for k, n in sorted(evidence.items(), key=str))
            + f"), {len(self.histories):,} time indexes",
        ]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2])))
    return f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A time in [start, end), to the second."""
    seconds = max(0, int((end - start).total_seconds()))
    return start + dt.timedelta(seconds=rng.randrange(seconds) if seconds else 0)


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def referral_reach(referrals: list[dict[str, Any]], depth: int = 6) -> dict[str, int]:
    """Each referrer's distinct parties downstream within `depth` levels (itself not counted)."""
    children: dict[str, list[str]] = {}
    for row in referrals:
        children.setdefault(row["fromId"], []).append(row["toId"])
    reach: dict[str, int] = {}
    for party in children:
        seen, frontier = {party}, [party]
        for _ in range(depth):
            following: list[str] = []
            for node in frontier:
                for child in children.get(node, ()):
                    if child not in seen:
                        seen.add(child)
                        following.append(child)
            if not following:
                break
            frontier = following
        reach[party] = len(seen) - 1
    return reach


def generate(people: int, seed: int = 7, history: bool = True) -> Synthetic:
    """The synthetic graph for `people` people (at least 100), with or without the four years
    of interactions and changes (referrals and deals come either way, the same)."""
    rng = random.Random(seed)
    out = Synthetic()
    staff_count = max(2, int(people * STAFF_SHARE))
    customers = max(1, (people - staff_count) // COMPANY_SIZE)
    out.featured_customer = "co_000000"
    late = HISTORY_END - dt.timedelta(days=120)
    for index in range(2):
        out.companies.append(
            {
                "id": f"co_ours{index}",
                "name": f"关系科技 Guanxi {index}",
                "isOurs": True,
                "status": "CURRENT",
                "createdAt": HISTORY_START,
                "updatedAt": HISTORY_START,
                "searchText": search_text(f"关系科技 Guanxi {index}"),
            }
        )
    company_created: dict[str, dt.datetime] = {}
    for index in range(customers):
        name = f"客户{index:05d} Customer {index}"
        imported = index == 0 or rng.random() < IMPORT_SHARE
        created = HISTORY_START if imported else _between(rng, HISTORY_START, late)
        company_created[f"co_{index:06d}"] = created
        out.companies.append(
            {
                "id": f"co_{index:06d}",
                "name": name,
                "isOurs": False,
                "industry": rng.choice(INDUSTRIES),
                "region": rng.choice(REGIONS),
                "status": rng.choice(["PROSPECT", "TARGET", "CURRENT", "CURRENT", "CHURNED"]),
                "valueClass": rng.choice("ABC"),
                "intentClass": rng.choice("ABCD"),
                "lifecycleStage": rng.choice(STAGES),
                "createdAt": created,
                "updatedAt": created,
                "searchText": search_text(name),
            }
        )
    for index in range(people):
        person_id = f"pe_{index:07d}"
        name = _name(rng)
        if index < staff_count:
            company_id = f"co_ours{index % 2}"
            seniority = "MIDDLE"
            key = False
            at_start = index < 2 or rng.random() < STAFF_AT_START
            created = HISTORY_START if at_start else _between(rng, HISTORY_START, late)
        else:
            slot = (index - staff_count) % COMPANY_SIZE
            company_id = f"co_{min((index - staff_count) // COMPANY_SIZE, customers - 1):06d}"
            seniority = ["EXECUTIVE", "SENIOR", "SENIOR", "MIDDLE"][slot] if slot < 4 else "STAFF"
            key = slot < 8
            created = company_created[company_id]
            if slot > 0:
                manager = index - slot + (0 if slot < 4 else (slot % 3) + 1)
                out.reporting_lines.append({"fromId": person_id, "toId": f"pe_{manager:07d}"})
        if created > HISTORY_START:
            start = created.date() if company_id.startswith("co_ours") else None
        else:
            start = None
        if start is None:
            start = _date_between(rng, dt.date(2012, 1, 1), created.date() - dt.timedelta(days=30))
        out.people.append(
            {
                "id": person_id,
                "name": name,
                "createdAt": created,
                "updatedAt": created,
                "communicationStyle": rng.choice(["AMIABLE", "DRIVER", "ANALYTICAL", "EXPRESSIVE"]),
                "searchText": search_text(name),
            }
        )
        out.company_of[person_id] = company_id
        props: dict[str, Any] = {
            "id": f"ro_{index:07d}",
            "title": seniority.title(),
            "seniority": seniority,
            "isKeyPerson": key,
            "startDate": start,
            "createdAt": created,
            "updatedAt": created,
        }
        if key:
            props["buyingRole"] = BUYING_ROLES[index % len(BUYING_ROLES)]
        out.roles.append({"personId": person_id, "companyId": company_id, "props": props})
    for index in range(customers):
        tier = ["TRANSACTIONAL", "PREFERRED_SUPPLIER", "PARTNERSHIP", "STRATEGIC_ALLIANCE"][
            min(3, int(rng.paretovariate(2.0)) - 1)
        ]
        created = company_created[f"co_{index:06d}"]
        out.company_relationships.append(
            {
                "fromId": f"co_ours{index % 2}",
                "toId": f"co_{index:06d}",
                "props": {
                    "id": f"cr_{index:06d}",
                    "tier": tier,
                    "strength": round(rng.random(), 3),
                    # the business relationship's stage follows the customer's own
                    "lifecycleStage": out.companies[index + 2]["lifecycleStage"],
                    "createdAt": created,
                    "updatedAt": created,
                },
            }
        )
    featured = _featured_ties(rng, out, staff_count)
    _relationships(rng, out, people, featured)
    _Referrals(random.Random(seed * 7919 + 2), out, people).run()
    _deals(random.Random(seed * 7919 + 3), out)
    if history:
        _History(random.Random(seed * 7919 + 1), out, featured).run()
    return out


def _featured_ties(rng: random.Random, out: Synthetic, staff_count: int) -> list[dict[str, Any]]:
    """Ties between an account team of our staff and each key person of the featured customer."""
    team = [f"pe_{i:07d}" for i in range(0, staff_count, 2)]  # staff of co_ours0
    rng.shuffle(team)
    team = team[:FEATURED_TEAM]
    key_persons = [
        r["personId"]
        for r in out.roles
        if r["companyId"] == out.featured_customer and r["props"]["isKeyPerson"]
    ]
    ties: list[dict[str, Any]] = []
    for person in key_persons:
        for ours in sorted(rng.sample(team, min(len(team), rng.randint(2, 4)))):
            tier = rng.choices([t[0] for t in TIERS], weights=[0.1, 0.5, 0.3, 0.1])[0]
            ties.append({"fromId": ours, "toId": person, "tier": tier})
    return ties


def _relationships(
    rng: random.Random, out: Synthetic, people: int, featured: list[dict[str, Any]]
) -> None:
    """About TIES_PER_PERSON ties a person, endpoints drawn with heavy-tailed weights (the
    featured customer's account ties first), each recorded after both its people were known."""
    ids = [p["id"] for p in out.people]
    created_of = {p["id"]: int(p["createdAt"].timestamp()) for p in out.people}
    weights = [min(rng.paretovariate(2.0), 50.0) for _ in ids]
    members: dict[str, list[str]] = {}
    for person_id in ids:
        members.setdefault(out.company_of[person_id], []).append(person_id)
    wanted = people * TIES_PER_PERSON
    cumulative: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    seen: set[tuple[str, str]] = set()
    tier_names = [t[0] for t in TIERS]
    tier_shares = [t[1] for t in TIERS]
    strength_of = {t[0]: t[2] for t in TIERS}
    last = int((HISTORY_END - dt.timedelta(days=30)).timestamp())

    def add(a: str, b: str, tier: str) -> None:
        low, high = strength_of[tier]
        floor = max(created_of[a], created_of[b])
        seconds = floor + int((last - floor) * rng.random() ** 2)
        created = dt.datetime.fromtimestamp(seconds, dt.UTC)
        out.relationships.append(
            {
                "fromId": a,
                "toId": b,
                "props": {
                    "id": f"kn_{len(out.relationships):08d}",
                    "tier": tier,
                    "strength": round(rng.uniform(low, high), 3),
                    "createdAt": created,
                    "updatedAt": created,
                },
            }
        )
        seen.add((a, b) if a < b else (b, a))
        out.neighbours.setdefault(a, set()).add(b)
        out.neighbours.setdefault(b, set()).add(a)

    for tie in featured:
        add(tie["fromId"], tie["toId"], tie["tier"])
    while len(out.relationships) < wanted:
        batch = rng.choices(ids, cum_weights=cumulative, k=2 * (wanted - len(out.relationships)))
        for a, b in zip(batch[::2], batch[1::2], strict=True):
            if rng.random() < SAME_COMPANY_SHARE:
                b = rng.choice(members[out.company_of[a]])
            pair = (a, b) if a < b else (b, a)
            if a == b or pair in seen:
                continue
            add(a, b, rng.choices(tier_names, weights=tier_shares)[0])
            if len(out.relationships) == wanted:
                break


class _Referrals:
    """Grows the referral network over the years, one referral at a time in date order."""

    def __init__(self, rng: random.Random, out: Synthetic, people: int) -> None:
        self.rng = rng
        self.out = out
        self.total = round(REFERRALS_PER_PERSON * people)
        # customer people and companies by the time they were recorded, for fresh parties
        persons = sorted(
            (p["createdAt"], p["id"])
            for p in out.people
            if not out.company_of[p["id"]].startswith("co_ours")
        )
        companies = sorted((c["createdAt"], c["id"]) for c in out.companies if not c["isOurs"])
        self.person_times = [t for t, _ in persons]
        self.person_ids = [p for _, p in persons]
        self.company_times = [t for t, _ in companies]
        self.company_ids = [c for _, c in companies]
        self.nodes: list[str] = []  # parties in the network, in the order they joined
        self.made: list[str] = []  # the referrer of each referral so far
        self.made_count: Counter[str] = Counter()
        self.referred_on: dict[str, dt.date] = {}  # first referred
        self.parent: dict[str, str] = {}  # the first referrer
        self.depth: dict[str, int] = {}  # along first referrers, roots 0
        self.pairs: set[tuple[str, str]] = set()
        self.referred_companies: list[str] = []

    def run(self) -> None:
        rng, total = self.rng, self.total
        if total < 10:
            return
        times = sorted(
            _between(rng, HISTORY_START + dt.timedelta(days=1), HISTORY_END) for _ in range(total)
        )
        repeats = max(2, round(REPEAT_SHARE * total))
        cycles = max(2, total // REFERRALS_PER_CYCLE)
        special = rng.sample(range(total // 4, total), repeats + cycles)
        kinds = {number: "repeat" for number in special[:repeats]}
        kinds.update({number: "cycle" for number in special[repeats:]})
        for number, at in enumerate(times):
            kind = kinds.get(number)
            done = (kind == "repeat" and self._repeat(at)) or (kind == "cycle" and self._cycle(at))
            if not done:
                self._new(at)

    # parties ------------------------------------------------------------------------------

    def _fresh(self, ids: list[str], times: list[dt.datetime], at: dt.datetime) -> str | None:
        """A party recorded by `at` and not yet in the network (None when none was found)."""
        known = bisect.bisect_right(times, at)
        for _ in range(64 if known else 0):
            party = ids[self.rng.randrange(known)]
            if party not in self.depth:
                return party
        return None

    def _fresh_party(self, at: dt.datetime, company_share: float) -> str | None:
        if self.rng.random() < company_share:
            company = self._fresh(self.company_ids, self.company_times, at)
            if company is not None:
                return company
        return self._fresh(self.person_ids, self.person_times, at)

    def _referrer(self, at: dt.datetime) -> str | None:
        """One already in the network, by weight (referrals made + REFERRAL_ATTACHMENT), who was
        referred before that day; now and then someone new."""
        rng, day = self.rng, at.date()
        if self.nodes and rng.random() >= REFERRAL_ROOT_SHARE:
            for _ in range(8):
                pick = rng.random() * (len(self.made) + REFERRAL_ATTACHMENT * len(self.nodes))
                if pick < len(self.made):
                    party = self.made[int(pick)]
                else:
                    party = self.nodes[int((pick - len(self.made)) / REFERRAL_ATTACHMENT)]
                if self.referred_on.get(party, dt.date.min) < day:
                    return party
        return self._fresh_party(at, REFERRED_COMPANY_SHARE)

    def _referred(self, referrer: str, at: dt.datetime) -> str | None:
        """A customer's person not yet in the network, or now and then a company: a new one or
        (companies are few) one that was referred already but has referred no one."""
        rng = self.rng
        if rng.random() < REFERRED_COMPANY_SHARE:
            company = self._fresh(self.company_ids, self.company_times, at)
            if company is not None and company != referrer:
                return company
            for _ in range(16 if self.referred_companies else 0):
                company = rng.choice(self.referred_companies)
                if (
                    company != referrer
                    and not self.made_count[company]
                    and (referrer, company) not in self.pairs
                ):
                    return company
        person = self._fresh(self.person_ids, self.person_times, at)
        return person if person != referrer else None

    # referrals ----------------------------------------------------------------------------

    def _add(self, referrer: str, referred: str, at: dt.datetime) -> None:
        rng, day = self.rng, at.date()
        if referrer not in self.depth:
            self.depth[referrer] = 0
            self.nodes.append(referrer)
        if referred not in self.depth:
            self.depth[referred] = self.depth[referrer] + 1
            self.parent[referred] = referrer
            self.nodes.append(referred)
            if referred.startswith("co_"):
                self.referred_companies.append(referred)
        self.referred_on.setdefault(referred, day)
        self.made.append(referrer)
        self.made_count[referrer] += 1
        self.pairs.add((referrer, referred))
        created = min(HISTORY_END, at + dt.timedelta(minutes=rng.randint(5, 3 * 24 * 60)))
        props: dict[str, Any] = {
            "id": f"rf_{len(self.out.referrals) + 1:07d}",
            "date": day,
            "createdAt": created,
            "updatedAt": created,
        }
        if rng.random() < REFERRAL_NOTE_SHARE:
            props["note"] = rng.choice(REFERRAL_NOTES)
        self.out.referrals.append(
            {
                "fromId": referrer,
                "fromKind": "COMPANY" if referrer.startswith("co_") else "PERSON",
                "toId": referred,
                "toKind": "COMPANY" if referred.startswith("co_") else "PERSON",
                "props": props,
            }
        )

    def _new(self, at: dt.datetime) -> None:
        referrer = self._referrer(at)
        if referrer is None:
            return
        referred = self._referred(referrer, at)
        if referred is not None:
            self._add(referrer, referred, at)

    def _repeat(self, at: dt.datetime) -> bool:
        """The referrer of an earlier referral (a month or more before) refers the same party."""
        rows, latest = self.out.referrals, at.date() - dt.timedelta(days=30)
        for _ in range(32 if rows else 0):
            row = rows[self.rng.randrange(len(rows))]
            if row["props"]["date"] <= latest:
                self._add(row["fromId"], row["toId"], at)
                return True
        return False

    def _cycle(self, at: dt.datetime) -> bool:
        """Someone three or more levels down refers an ancestor above its own referrer (one
        that was referred itself, so every referral still follows its referrer's)."""
        rng, day = self.rng, at.date()
        for _ in range(256 if self.nodes else 0):
            party = self.nodes[rng.randrange(len(self.nodes))]
            if self.depth[party] < 3 or self.referred_on[party] >= day:
                continue
            ancestors = [self.parent[party]]
            while ancestors[-1] in self.parent:
                ancestors.append(self.parent[ancestors[-1]])
            above = [a for a in ancestors[1:] if a in self.referred_on]
            target = rng.choice(above)
            if (party, target) not in self.pairs:
                self._add(party, target, at)
                return True
        return False


def _deals(rng: random.Random, out: Synthetic) -> None:
    """Deals for the paying customers (and some of the churned won back), sized by a Pareto
    draw per customer; referred customers often start buying after their first referral."""
    first_referred: dict[str, dt.date] = {}
    for row in out.referrals:
        to = row["toId"]
        company = to if row["toKind"] == "COMPANY" else out.company_of[to]
        first_referred.setdefault(company, row["props"]["date"])  # rows are in date order
    lines = [name for name, _, _ in PRODUCT_LINES]
    weights = [weight for _, weight, _ in PRODUCT_LINES]
    price = {name: factor for name, _, factor in PRODUCT_LINES}
    end = HISTORY_END.date()
    for company in out.companies:
        if company["isOurs"]:
            continue
        if company["status"] == "CHURNED" and rng.random() < WON_BACK_SHARE:
            company["status"] = "WON_BACK"
        status = company["status"]
        if status not in PAYING:
            continue
        size = min(MAX_CUSTOMER_SIZE, rng.paretovariate(CUSTOMER_SIZE_ALPHA))
        count = max(2, min(30, round(4 + 2.5 * math.log2(size) + rng.gauss(0, 2))))
        created = company["createdAt"].date()
        referred = first_referred.get(company["id"])
        if (
            referred is not None
            and referred < end - dt.timedelta(days=150)
            and rng.random() < REFERRAL_CONVERSION
        ):
            first = referred + dt.timedelta(days=7 + int(rng.expovariate(1 / 60)))
        else:
            first = created + dt.timedelta(days=int(rng.expovariate(1 / 120)))
        # the churned stopped a while ago, the won-back paused for half a year or more
        latest_first = end - dt.timedelta(days=30 if status == "CURRENT" else 240)
        first = max(created, min(first, latest_first))
        periods: list[tuple[dt.date, dt.date]]
        if status == "CURRENT":
            periods = [(first, end)]
        elif status == "CHURNED":
            lapse = _date_between(rng, first + dt.timedelta(days=150), end - dt.timedelta(days=60))
            periods = [(first, lapse)]
        else:
            lapse = _date_between(rng, first + dt.timedelta(days=60), end - dt.timedelta(days=200))
            back = min(end, lapse + dt.timedelta(days=rng.randint(180, 360)))
            periods = [(first, lapse), (back, end)]
        spans = [(b - a).days + 1 for a, b in periods]
        dates = [a for a, _ in periods]  # each period opens with a deal
        while len(dates) < count:
            a, b = rng.choices(periods, weights=spans)[0]
            dates.append(min(end, _date_between(rng, a, b)))
        owned = [rng.choices(lines, weights=weights)[0]]
        for number, date in enumerate(sorted(dates)):
            line = owned[0]
            if number and len(owned) < len(lines) and rng.random() < CROSS_SELL_CHANCE:
                line = rng.choices(
                    [n for n in lines if n not in owned],
                    weights=[w for n, w in zip(lines, weights, strict=True) if n not in owned],
                )[0]
                owned.append(line)
            elif number:
                line = rng.choice(owned)
            amount = DEAL_BASE_AMOUNT * size * price[line] * rng.lognormvariate(0, 0.4)
            recorded = dt.datetime.combine(date, dt.time(10), dt.UTC) + dt.timedelta(
                minutes=rng.randint(0, 8 * 60)
            )
            out.deals.append(
                {
                    "companyId": company["id"],
                    "props": {
                        "id": f"de_{len(out.deals) + 1:07d}",
                        "amount": max(1000.0, round(amount, -2)),
                        "currency": "CNY",
                        "date": date,
                        "productLine": line,
                        "createdAt": recorded,
                        "updatedAt": recorded,
                        "credential": recorder.SEED,
                    },
                }
            )


@dataclass
class _Tie:
    """A tie between one of our staff and a customer's person, as the simulation moves it."""

    row: dict[str, Any]
    ours: str
    theirs: str
    rate: float  # interactions a year while active
    raw: float = 0.0
    raw_at: int = 0
    last_held: int | None = None
    last_id: str | None = None
    count: int = 0


class _History:
    """Plays four years forward: role moves, company stage moves, and the ties' interactions,
    recording each change as graph/core/history.py's `record()` would."""

    def __init__(self, rng: random.Random, out: Synthetic, featured: list[dict[str, Any]]) -> None:
        self.rng = rng
        self.out = out
        self.model = StrengthModel()
        self.names = {p["id"]: p["name"] for p in out.people}
        self.index: dict[str, tuple[str, list[int], list[str]]] = {}
        # (company, created ms, last day) of each role a person holds or held
        self.roles_of: dict[str, list[tuple[str, int, dt.date | None]]] = {}
        self.featured = {(t["fromId"], t["toId"]) for t in featured}
        self.staff = [p for p, c in out.company_of.items() if c.startswith("co_ours")]

    # the change log ---------------------------------------------------------------------

    def _record(self, change: ChangeRecord, at_ms: int, by: str | None, reason: str | None) -> bool:
        """Append one change as `record()` does: the same props, state JSON and time index."""
        if change.operation is Operation.UPDATED and not change.changed:
            return False
        number = len(self.out.changes)
        companies = list(change.company_ids)
        for person in change.people_ids:
            companies.extend(self._employers(person, at_ms, ours=True))
        seq = at_ms * 1_000_000 + number % 1_000_000
        row = change_row(
            change, from_ms(at_ms), ChangeNote(by=by, reason=reason), seq, recorder.SEED
        )
        row["props"]["id"] = f"ch_{number:09d}"  # deterministic, unlike the app's uuid
        self.out.changes.append({"props": row["props"], "companyIds": sorted(set(companies))})
        _, times, states = self.index.setdefault(change.subject_id, (change.kind.value, [], []))
        assert not times or times[-1] <= at_ms, change.subject_id
        times.append(at_ms)
        states.append(row["state"])
        return True

    def _employers(self, person: str, at_ms: int, *, ours: bool) -> list[str]:
        """The companies where the person held a current role at `at_ms` (ours too or not)."""
        day = from_ms(at_ms).date()
        return [
            company
            for company, created, last_day in self.roles_of.get(person, [])
            if created <= at_ms
            and (last_day is None or last_day >= day)
            and (ours or not company.startswith("co_ours"))
        ]

    # the passes -------------------------------------------------------------------------

    def run(self) -> None:
        for row in self.out.roles:
            created = to_ms(row["props"]["createdAt"])
            self.roles_of.setdefault(row["personId"], []).append((row["companyId"], created, None))
        self._role_moves()
        self._company_moves()
        self._ties()
        self.out.histories = [
            {"subjectId": subject, "subjectKind": kind, "at": times, "state": states}
            for subject, (kind, times, states) in self.index.items()
        ]
        # each changed item keeps the time of its latest change, as the app's writes do
        latest = {subject: times[-1] for subject, (_, times, _) in self.index.items()}
        for row in [*self.out.relationships, *self.out.roles, *self.out.company_relationships]:
            if row["props"]["id"] in latest:
                row["props"]["changedAtMs"] = latest[row["props"]["id"]]
        for company in self.out.companies:
            if company["id"] in latest:
                company["changedAtMs"] = latest[company["id"]]

    def _role_created(self, row: dict[str, Any], by: str, reason: str) -> None:
        props = row["props"]
        change = ChangeRecord(
            SubjectKind.ROLE,
            props["id"],
            None,
            dict(props),
            ends=(row["personId"], row["companyId"]),
            company_ids=[row["companyId"]],
        )
        self._record(change, to_ms(props["createdAt"]), by, reason)

    def _role_updated(
        self, row: dict[str, Any], patch: dict[str, Any], at: dt.datetime, by: str, reason: str
    ) -> None:
        props = row["props"]
        change = ChangeRecord(
            SubjectKind.ROLE,
            props["id"],
            dict(props),
            {**props, **patch},
            ends=(row["personId"], row["companyId"]),
            company_ids=[row["companyId"]],
        )
        self._record(change, to_ms(at), by, reason)
        props.update(patch, updatedAt=at)

    def _leave(self, row: dict[str, Any], last_day: dt.date, by: str) -> None:
        """End a role on `last_day` and record its state before and after."""
        self._role_created(row, by, "recorded")
        at = dt.datetime.combine(last_day, dt.time(17, 30), dt.UTC)
        self._role_updated(row, {"endDate": last_day}, at, by, "left the company")
        person, company = row["personId"], row["companyId"]
        self.roles_of[person] = [
            (c, created, last_day if c == company else end)
            for c, created, end in self.roles_of[person]
        ]

    def _join(self, person: str, company: str, start: dt.date, key: bool, by: str) -> None:
        seniority = self.rng.choice(["SENIOR", "MIDDLE", "STAFF", "STAFF"])
        created = dt.datetime.combine(start, dt.time(10), dt.UTC)
        props: dict[str, Any] = {
            "id": f"ro_m{len(self.out.roles):07d}",
            "title": seniority.title(),
            "seniority": seniority,
            "isKeyPerson": key,
            "startDate": start,
            "createdAt": created,
            "updatedAt": created,
        }
        if key:
            props["buyingRole"] = self.rng.choice(BUYING_ROLES)
        row = {"personId": person, "companyId": company, "props": props}
        self.out.roles.append(row)
        self.roles_of.setdefault(person, []).append((company, to_ms(created), None))
        self._role_created(row, by, "started at a new company")

    def _role_moves(self) -> None:
        """Customer people leaving for another customer; the featured customer's script."""
        rng, out = self.rng, self.out
        created_of = {c["id"]: c["createdAt"] for c in out.companies}
        others = sorted(
            c for c in created_of if not c.startswith("co_ours") and c != out.featured_customer
        )
        first_day, last_day = HISTORY_START.date(), HISTORY_END.date() - dt.timedelta(days=90)
        for row in list(out.roles):
            company = row["companyId"]
            if company.startswith("co_ours"):
                continue
            by = self.names[rng.choice(self.staff)]
            if company == out.featured_customer:
                slot = int(row["personId"][3:]) - len(self.staff)
                if slot == FEATURED_LEAVER_SLOT:
                    self._leave(row, FEATURED_LEAVES_ON, by)
                    start = FEATURED_LEAVES_ON + dt.timedelta(days=35)
                    targets = [c for c in others if created_of[c].date() <= start]
                    if targets:
                        self._join(row["personId"], targets[0], start, True, by)
                elif slot == FEATURED_PROMOTED_SLOT:
                    self._role_created(row, by, "recorded")
                    at = dt.datetime.combine(FEATURED_PROMOTED_ON, dt.time(11), dt.UTC)
                    patch = {"isKeyPerson": True, "buyingRole": "CHAMPION", "title": "Lead"}
                    self._role_updated(row, patch, at, by, "now leads the project on their side")
                continue
            if rng.random() >= MOVER_SHARE:
                continue
            earliest = max(first_day, row["props"]["createdAt"].date()) + dt.timedelta(days=60)
            if earliest >= last_day:
                continue
            leaves = _date_between(rng, earliest, last_day)
            self._leave(row, leaves, by)
            start = leaves + dt.timedelta(days=rng.randint(1, 60))
            targets = [c for c in others if c != company and created_of[c].date() <= start]
            if targets:
                self._join(row["personId"], rng.choice(targets), start, rng.random() < 0.2, by)

    def _company_moves(self) -> None:
        """Customers moving through lifecycle stages and statuses to where they are now."""
        rng = self.rng
        for company in self.out.companies:
            if company["isOurs"]:
                continue
            if company["id"] != self.out.featured_customer and rng.random() >= (
                CHANGING_COMPANY_SHARE
            ):
                continue
            stage, status = (
                STAGES.index(company["lifecycleStage"]),
                STATUSES.index(company["status"]),
            )
            stage_steps = min(stage, rng.randint(0, 2))
            status_steps = min(status, rng.randint(0, 2))
            moves = ["lifecycleStage"] * stage_steps + ["status"] * status_steps
            if not moves:
                continue
            rng.shuffle(moves)
            state = {
                **company,
                "lifecycleStage": STAGES[stage - stage_steps],
                "status": STATUSES[status - status_steps],
            }
            created = company["createdAt"]
            by = self.names[rng.choice(self.staff)]
            self._record(
                ChangeRecord(
                    SubjectKind.COMPANY,
                    company["id"],
                    None,
                    state,
                    company_ids=[company["id"]],
                ),
                to_ms(created),
                by,
                "recorded",
            )
            start = created + dt.timedelta(days=30)
            times = sorted(_between(rng, start, HISTORY_END) for _ in moves)
            for name, at in zip(moves, times, strict=True):
                order = STAGES if name == "lifecycleStage" else STATUSES
                after = {**state, name: order[order.index(state[name]) + 1]}
                self._record(
                    ChangeRecord(
                        SubjectKind.COMPANY,
                        company["id"],
                        state,
                        after,
                        company_ids=[company["id"]],
                    ),
                    to_ms(at),
                    self.names[rng.choice(self.staff)],
                    f"{name} reviewed",
                )
                state = after
            assert state["lifecycleStage"] == company["lifecycleStage"]
            assert state["status"] == company["status"]
            company["updatedAt"] = times[-1]

    # ties and interactions --------------------------------------------------------------

    def _ties(self) -> None:
        rng, out = self.rng, self.out
        key_person = {r["personId"] for r in out.roles if r["props"]["isKeyPerson"]}
        ties: list[_Tie] = []
        for row in out.relationships:
            a, b = row["fromId"], row["toId"]
            ours_a = out.company_of[a].startswith("co_ours")
            if ours_a == out.company_of[b].startswith("co_ours"):
                continue
            ours, theirs = (a, b) if ours_a else (b, a)
            if (a, b) in self.featured:
                rate = rng.uniform(*FEATURED_RATE)
            else:
                rate = min(MAX_RATE, 0.5 * rng.paretovariate(1.15))
                if theirs in key_person:
                    rate = min(MAX_RATE, 1.5 * rate)
            ties.append(_Tie(row, ours, theirs, rate))
        by_ours: dict[tuple[str, str], list[int]] = {}
        events: list[tuple[int, int, int, int]] = []  # (ms, order, kind 0/1, tie)
        end_ms = to_ms(HISTORY_END)
        for number, tie in enumerate(ties):
            props = tie.row["props"]
            created = to_ms(props["createdAt"])
            props["since"] = props["createdAt"].date()
            # a strength set by hand is the model's anchor (graph/core/writes.py `_record`)
            props["strengthRaw"], props["strengthAtMs"] = float(props["strength"]), created
            self._record(
                ChangeRecord(
                    SubjectKind.RELATIONSHIP,
                    props["id"],
                    None,
                    dict(props),
                    ends=(tie.row["fromId"], tie.row["toId"]),
                    people_ids=[tie.row["fromId"], tie.row["toId"]],
                    evidence_kind=EvidenceKind.MANUAL,
                ),
                created,
                self.names[tie.ours],
                None,
            )
            tie.raw, tie.raw_at = float(props["strength"]), created
            by_ours.setdefault((tie.ours, out.company_of[tie.theirs]), []).append(number)
            active_until = end_ms
            if (tie.row["fromId"], tie.row["toId"]) not in self.featured and (
                rng.random() < DORMANT_SHARE
            ):
                active_until = min(end_ms, created + int(rng.expovariate(1 / 400) * DAY_MS))
            gap = 365 * DAY_MS / tie.rate
            at = created + int(rng.expovariate(1.0) * gap)
            while at < active_until:
                events.append((at, len(events), 0, number))
                at += max(DAY_MS // 2, int(rng.expovariate(1.0) * gap))
        heapq.heapify(events)
        order = len(events)
        while events:
            at, _, kind, number = heapq.heappop(events)
            if kind == 1:
                self._review(ties[number], at)
                continue
            group = self._group(ties, by_ours, number, at)
            if not group:
                continue
            self._interaction(group, at)
            if rng.random() < REVIEW_CHANCE:
                review = at + rng.randint(1, 14) * DAY_MS
                if review < end_ms:
                    order += 1
                    heapq.heappush(events, (review, order, 1, number))

    def _group(
        self, ties: list[_Tie], by_ours: dict[tuple[str, str], list[int]], number: int, at: int
    ) -> list[_Tie]:
        """The ties an interaction moves: the one it is about and, now and then, those with
        colleagues of the same customer met together (none when the person has no customer
        role then)."""
        tie = ties[number]
        companies = self._employers(tie.theirs, at, ours=False)
        if not companies:
            return []
        group = [tie]
        if self.rng.random() < GROUP_CHANCE:
            for other in by_ours[(tie.ours, self.out.company_of[tie.theirs])]:
                colleague = ties[other]
                if (
                    other != number
                    and to_ms(colleague.row["props"]["createdAt"]) < at
                    and companies[0] in self._employers(colleague.theirs, at, ours=False)
                ):
                    group.append(colleague)
                if len(group) == 3:
                    break
        return group

    def _interaction(self, group: list[_Tie], at: int) -> None:
        """Log one interaction as log_interaction() does, held and applied at `at`."""
        rng, out, model = self.rng, self.out, self.model
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        sentiment = rng.choices([s for s, _ in SENTIMENTS], weights=[w for _, w in SENTIMENTS])[0]
        interaction_id = f"in_{len(out.interactions):09d}"
        ours = group[0].ours
        by = self.names[ours]
        deposit = model.deposit(kind, sentiment)
        previous: set[str] = set()
        relationship_ids: list[str] = []
        for tie in group:
            props = tie.row["props"]
            raw = model.after_interaction(tie.raw, tie.raw_at, deposit, at, at)
            fresh = {
                "strength": clamp(raw),
                "strengthRaw": raw,
                "strengthAtMs": at,
                "lastInteractionAtMs": max(at, tie.last_held or at),
                "lastInteractionId": interaction_id,
                "interactionCount": tie.count + 1,
            }
            change = ChangeRecord(
                SubjectKind.RELATIONSHIP,
                props["id"],
                dict(props),
                {**props, **fresh},
                ends=(tie.ours, tie.theirs),
                people_ids=[tie.ours, tie.theirs],
                evidence_kind=EvidenceKind.INTERACTION,
                evidence_id=interaction_id,
            )
            self._record(change, at, by, f"{kind.value.lower()} logged")
            props.update(fresh, updatedAt=from_ms(at))
            tie.raw, tie.raw_at = raw, at
            tie.last_held = max(at, tie.last_held or at)
            if tie.last_id is not None:
                previous.add(tie.last_id)
            tie.last_id = interaction_id
            tie.count += 1
            relationship_ids.append(props["id"])
        theirs = [tie.theirs for tie in group]
        companies: list[str] = []
        for person in theirs:
            companies.extend(
                c for c in self._employers(person, at, ours=False) if c not in companies
            )
        held = from_ms(at)
        out.interactions.append(
            {
                "id": interaction_id,
                "kind": kind.value,
                "at": held,
                "atMs": at,
                "appliedAtMs": at,
                "seq": at * 1_000_000 + len(out.interactions) % 1_000_000,
                "summary": f"{rng.choice(TOPICS)} with {self.names[theirs[0]]}",
                "sentiment": sentiment,
                "by": by,
                "credential": recorder.SEED,
                "ourPersonIds": [ours],
                "theirPersonIds": theirs,
                "companyIds": companies,
                "previousIds": sorted(previous),
                "relationshipIds": relationship_ids,
                "createdAt": held + dt.timedelta(minutes=rng.randint(5, 2 * 24 * 60)),
            }
        )
        out.took_part.append({"personId": ours, "interactionId": interaction_id, "side": "OURS"})
        out.took_part.extend(
            {"personId": p, "interactionId": interaction_id, "side": "THEIRS"} for p in theirs
        )
        out.about.extend({"interactionId": interaction_id, "companyId": c} for c in companies)
        out.follows.extend({"fromId": interaction_id, "toId": p} for p in sorted(previous))

    def _review(self, tie: _Tie, at: int) -> None:
        """Someone sets the tier to the one the strength suggests (when it differs)."""
        props = tie.row["props"]
        suggested = self.model.suggested_tier(float(props["strength"])).value
        if suggested == props["tier"]:
            return
        change = ChangeRecord(
            SubjectKind.RELATIONSHIP,
            props["id"],
            dict(props),
            {**props, "tier": suggested},
            ends=(tie.row["fromId"], tie.row["toId"]),
            people_ids=[tie.row["fromId"], tie.row["toId"]],
        )
        if self._record(change, at, self.names[tie.ours], "tier reviewed"):
            props.update(tier=suggested, updatedAt=from_ms(at))


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# The steps written through the kinds' own write path (graph/core/writes.py), with the row
# columns naming an edge's ends; the change log and time index are generated whole (above)
# and written as they are.
_ITEM_STEPS: dict[str, tuple[NodeKind[Any, Any] | EdgeKind[Any, Any], tuple[str, str] | None]] = {
    "COMPANIES": (kinds.COMPANY, None),
    "PEOPLE": (kinds.PERSON, None),
    "ROLES": (kinds.ROLE, ("personId", "companyId")),
    "COMPANY_RELATIONSHIPS": (kinds.COMPANY_RELATIONSHIP, ("fromId", "toId")),
    "RELATIONSHIPS": (kinds.RELATIONSHIP, ("fromId", "toId")),
    "REFERRALS": (kinds.REFERRAL, ("fromId", "toId")),
}
_BULK_STEPS: dict[str, LiteralString] = {
    "REPORTING_LINES": bulk.BULK_REPORTING_LINES,
    "INTERACTIONS": bulk.BULK_INTERACTIONS,
    "TOOK_PART": bulk.BULK_TOOK_PART,
    "ABOUT": bulk.BULK_ABOUT,
    "FOLLOWS": bulk.BULK_FOLLOWS,
    "CHANGES": bulk.BULK_CHANGES,
    "HISTORIES": bulk.BULK_HISTORIES,
}


def _write(graph: Graph, step: str, batch: list[dict[str, Any]]) -> None:
    if step in _ITEM_STEPS:
        kind, ends = _ITEM_STEPS[step]
        items = [
            writes.New(row, line=line)
            if ends is None
            else writes.New(row["props"], (row[ends[0]], row[ends[1]]), line)
            for line, row in enumerate(batch)
        ]
        graph.write_tx(
            lambda tx: writes.create_in(tx, kind, items, None, recorded=False, count_figures=False)
        )
    elif step == "DEALS":
        rows = [
            {"line": line, "toId": row["companyId"], "props": row["props"]}
            for line, row in enumerate(batch)
        ]
        graph.write(records_cypher.CREATE_DEALS, rows=rows)
    else:
        graph.write(_BULK_STEPS[step], rows=batch)


def load(
    graph: Graph,
    data: Synthetic,
    *,
    batch_size: int = 5000,
    progress: Callable[[str, int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> None:
    """Write the generated rows in batches (the database must hold none of them yet): the
    companies, people and edges through the same write path as the API and the import (their
    creation not recorded: the generated history records it), the rest as generated; then
    the stored figures of every company and person, counted once (FIGURES) rather than per
    batch of edges. The edges' uniqueness rules and the search keys' index are lifted while it
    writes and built at the end (INDEXES; graph/db/setup.py `schema_lifted`).
    `progress(step, n)` hears of the rows of each step as they are written
    (and of the items counted, as step FIGURES); with `timings`, add the seconds each step took
    under its name (COMPANIES, ROLES, …, FIGURES)."""
    with schema_lifted(graph):
        for step, rows in data.steps():
            started = time.perf_counter()
            for batch in _batches(rows, batch_size):
                _write(graph, step, batch)
                if progress is not None:
                    progress(step, len(batch))
            if timings is not None:
                timings[step] = timings.get(step, 0.0) + time.perf_counter() - started
        started = time.perf_counter()
    if timings is not None:
        timings["INDEXES"] = timings.get("INDEXES", 0.0) + time.perf_counter() - started
    started = time.perf_counter()
    figures.backfill_figures(graph, None if progress is None else partial(progress, "FIGURES"))
    if timings is not None:
        timings["FIGURES"] = timings.get("FIGURES", 0.0) + time.perf_counter() - started
