"""Load the demo data: every item is upserted by its external id, so loading twice is a no-op."""

from __future__ import annotations

from graph import kinds, writes
from graph.connection import Graph
from seed import demo_data

PREFIX = "demo:"


def load_demo(graph: Graph) -> dict[str, int]:
    """Upsert the whole demo dataset; returns how many items of each kind it holds."""
    companies = {
        key: writes.upsert_node(graph, kinds.COMPANY, f"{PREFIX}company:{key}", fields)
        for key, fields in demo_data.COMPANIES
    }
    people = {
        key: writes.upsert_node(graph, kinds.PERSON, f"{PREFIX}person:{key}", fields)
        for key, fields in demo_data.PEOPLE
    }
    parties = {f"co:{k}": v for k, v in companies.items()} | {
        f"pe:{k}": v for k, v in people.items()
    }
    edges = [
        (kinds.ROLE, "role", demo_data.ROLES, people, companies),
        (kinds.RELATIONSHIP, "relationship", demo_data.RELATIONSHIPS, people, people),
        (
            kinds.COMPANY_RELATIONSHIP,
            "company-relationship",
            demo_data.COMPANY_RELATIONSHIPS,
            companies,
            companies,
        ),
        (kinds.REFERRAL, "referral", demo_data.REFERRALS, parties, parties),
    ]
    counts = {"companies": len(companies), "people": len(people)}
    for kind, name, rows, from_ids, to_ids in edges:
        for key, from_key, to_key, fields in rows:
            writes.upsert_edge(
                graph, kind, f"{PREFIX}{name}:{key}", from_ids[from_key], to_ids[to_key], fields
            )
        counts[name] = len(rows)
    return counts
