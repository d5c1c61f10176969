"""Load the demo data (seed/demo.json): every item is upserted by its external id, so loading
it twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph import kinds, writes
from graph.connection import Graph

DEMO_FILE = Path(__file__).with_name("demo.json")
PREFIX = "demo:"

_FIELDS_ONLY = ("key", "person", "company", "from", "to")


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _FIELDS_ONLY}


def load_demo(graph: Graph) -> dict[str, int]:
    """Upsert the whole demo dataset; returns how many items of each kind it holds."""
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    companies = {
        item["key"]: writes.upsert_node(
            graph, kinds.COMPANY, f"{PREFIX}company:{item['key']}", _fields(item)
        )
        for item in demo["companies"]
    }
    people = {
        item["key"]: writes.upsert_node(
            graph, kinds.PERSON, f"{PREFIX}person:{item['key']}", _fields(item)
        )
        for item in demo["people"]
    }
    parties = {f"co:{k}": v for k, v in companies.items()} | {
        f"pe:{k}": v for k, v in people.items()
    }
    edges = [
        (kinds.ROLE, "roles", "person", people, "company", companies),
        (kinds.RELATIONSHIP, "relationships", "from", people, "to", people),
        (kinds.COMPANY_RELATIONSHIP, "companyRelationships", "from", companies, "to", companies),
        (kinds.REFERRAL, "referrals", "from", parties, "to", parties),
    ]
    counts = {"companies": len(companies), "people": len(people)}
    for kind, section, from_key, from_ids, to_key, to_ids in edges:
        for item in demo[section]:
            writes.upsert_edge(
                graph,
                kind,
                f"{PREFIX}{section}:{item['key']}",
                from_ids[item[from_key]],
                to_ids[item[to_key]],
                _fields(item),
            )
        counts[section] = len(demo[section])
    return counts
