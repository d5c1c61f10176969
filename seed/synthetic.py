"""A deterministic synthetic book of business, with one scale knob.

`generate(people=N, seed=S)` gives the same graph for the same N and S: our companies with
staff, customer companies of 50 people with roles (key persons, buying roles, seniority),
reporting lines, person-to-person relationships with heavy-tailed degrees (about 10 per person
on average, so N people have about 10 N relationships) whose tiers follow the seeds' ladder,
and company relationships across the four tiers. Names mix Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.connection import Graph
from graph.cypher import bulk
from graph.search import search_text

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
    company_of: dict[str, str] = field(default_factory=dict)


def _name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2])))
    return f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"


def generate(people: int, seed: int = 7) -> Synthetic:
    """The synthetic graph for `people` people (at least 100)."""
    rng = random.Random(seed)
    out = Synthetic()
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    staff_count = max(2, int(people * STAFF_SHARE))
    customers = max(1, (people - staff_count) // COMPANY_SIZE)
    for index in range(2):
        out.companies.append(
            {
                "id": f"co_ours{index}",
                "name": f"关系科技 Guanxi {index}",
                "isOurs": True,
                "status": "CURRENT",
                "createdAt": stamp,
                "updatedAt": stamp,
                "searchText": search_text(f"关系科技 Guanxi {index}"),
            }
        )
    for index in range(customers):
        name = f"客户{index:05d} Customer {index}"
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
                "lifecycleStage": rng.choice(["EXPLORATION", "FORMATION", "STABILITY", "DECLINE"]),
                "createdAt": stamp,
                "updatedAt": stamp,
                "searchText": search_text(name),
            }
        )
    for index in range(people):
        person_id = f"pe_{index:07d}"
        name = _name(rng)
        out.people.append(
            {
                "id": person_id,
                "name": name,
                "createdAt": stamp,
                "updatedAt": stamp,
                "communicationStyle": rng.choice(["AMIABLE", "DRIVER", "ANALYTICAL", "EXPRESSIVE"]),
                "searchText": search_text(name),
            }
        )
        if index < staff_count:
            company_id = f"co_ours{index % 2}"
            seniority = "MIDDLE"
            key = False
        else:
            slot = (index - staff_count) % COMPANY_SIZE
            company_id = f"co_{min((index - staff_count) // COMPANY_SIZE, customers - 1):06d}"
            seniority = ["EXECUTIVE", "SENIOR", "SENIOR", "MIDDLE"][slot] if slot < 4 else "STAFF"
            key = slot < 8
            if slot > 0:
                manager = index - slot + (0 if slot < 4 else (slot % 3) + 1)
                out.reporting_lines.append({"fromId": person_id, "toId": f"pe_{manager:07d}"})
        out.company_of[person_id] = company_id
        props: dict[str, Any] = {
            "id": f"ro_{index:07d}",
            "title": seniority.title(),
            "seniority": seniority,
            "isKeyPerson": key,
            "startDate": dt.date(2015 + index % 10, 1 + index % 12, 1),
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        if key:
            props["buyingRole"] = BUYING_ROLES[index % len(BUYING_ROLES)]
        out.roles.append({"personId": person_id, "companyId": company_id, "props": props})
    for index in range(customers):
        tier = ["TRANSACTIONAL", "PREFERRED_SUPPLIER", "PARTNERSHIP", "STRATEGIC_ALLIANCE"][
            min(3, int(rng.paretovariate(2.0)) - 1)
        ]
        out.company_relationships.append(
            {
                "fromId": f"co_ours{index % 2}",
                "toId": f"co_{index:06d}",
                "props": {
                    "id": f"cr_{index:06d}",
                    "tier": tier,
                    "strength": round(rng.random(), 3),
                    "createdAt": stamp,
                    "updatedAt": stamp,
                },
            }
        )
    _relationships(rng, out, people, stamp)
    return out


def _relationships(rng: random.Random, out: Synthetic, people: int, stamp: dt.datetime) -> None:
    """About TIES_PER_PERSON ties a person, endpoints drawn with heavy-tailed weights."""
    ids = [p["id"] for p in out.people]
    weights = [min(rng.paretovariate(2.0), 50.0) for _ in ids]
    members: dict[str, list[str]] = {}
    for person_id in ids:
        members.setdefault(out.company_of[person_id], []).append(person_id)
    wanted = people * TIES_PER_PERSON
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    seen: set[tuple[str, str]] = set()
    tier_names = [t[0] for t in TIERS]
    tier_shares = [t[1] for t in TIERS]
    strength_of = {t[0]: t[2] for t in TIERS}
    while len(out.relationships) < wanted:
        batch = rng.choices(ids, cum_weights=cumulative, k=2 * (wanted - len(out.relationships)))
        for a, b in zip(batch[::2], batch[1::2], strict=True):
            if rng.random() < SAME_COMPANY_SHARE:
                b = rng.choice(members[out.company_of[a]])
            pair = (a, b) if a < b else (b, a)
            if a == b or pair in seen:
                continue
            seen.add(pair)
            tier = rng.choices(tier_names, weights=tier_shares)[0]
            low, high = strength_of[tier]
            out.relationships.append(
                {
                    "fromId": a,
                    "toId": b,
                    "props": {
                        "id": f"kn_{len(out.relationships):08d}",
                        "tier": tier,
                        "strength": round(rng.uniform(low, high), 3),
                        "createdAt": stamp,
                        "updatedAt": stamp,
                    },
                }
            )
            out.neighbours.setdefault(a, set()).add(b)
            out.neighbours.setdefault(b, set()).add(a)
            if len(out.relationships) == wanted:
                break


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def load(graph: Graph, data: Synthetic, *, batch_size: int = 5000, progress: Any = None) -> None:
    """Write the generated rows in batches (the database must hold none of them yet)."""
    steps = [
        (bulk.BULK_COMPANIES, data.companies),
        (bulk.BULK_PEOPLE, data.people),
        (bulk.BULK_ROLES, data.roles),
        (bulk.BULK_COMPANY_RELATIONSHIPS, data.company_relationships),
        (bulk.BULK_REPORTING_LINES, data.reporting_lines),
        (bulk.BULK_RELATIONSHIPS, data.relationships),
    ]
    for statement, rows in steps:
        for batch in _batches(rows, batch_size):
            graph.write(statement, rows=batch)
            if progress is not None:
                progress(len(batch))
