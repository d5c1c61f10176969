"""The benchmark's own helpers that decide what it reports (benchmarks/ is not app code; its
figures come from `python -m benchmarks`, never from a test)."""

from __future__ import annotations

import datetime as dt

from benchmarks import lookups
from benchmarks.operations import PAGE, Setup
from resolvers.pagination import decode_cursor


def test_the_floor_reads_every_item_an_answer_names_once_by_kind() -> None:
    answer = {
        "people": {
            "totalCount": 2,
            "nodes": [
                {"id": "pe_0000002", "name": "张伟", "roles": [{"id": "ro_0000001"}]},
                {"id": "pe_0000001", "company": {"id": "co_000003"}},
                {"id": "pe_0000002"},
            ],
        },
        "steps": [{"relationshipId": "kn_00000009", "tier": "FRIEND"}],
        "changes": [{"subjectId": "cr_000001", "field": "tier"}],
        "other": {"id": "xx_1", "cursor": "pe_0000007", "name": "pe_0000008"},
    }
    assert lookups.ids_in(answer) == {
        "pe": ["pe_0000002", "pe_0000001"],
        "ro": ["ro_0000001"],
        "co": ["co_000003"],
        "kn": ["kn_00000009"],
        "cr": ["cr_000001"],
    }
    assert lookups.describe({"pe": ["a", "b"], "kn": ["c"]}) == "2 people, 1 relationships"
    assert lookups.describe({}) == "nothing"
    assert set(lookups.statements()) == {s for _, s in lookups.BY_PREFIX.values()}


def test_the_deep_page_is_the_last_page() -> None:
    now = dt.datetime.now(dt.UTC)
    s = Setup("张伟", "华为", now, now, now, "co_1", "co_2", "kn_1", {"long": 1000, "short": PAGE})
    cursor = s.deep_cursor("long")
    assert cursor is not None and decode_cursor(cursor) + 1 == 1000 - PAGE
    assert s.deep_cursor("short") is None
