"""The fast datetime packing (graph/db/packing.py) makes the driver's own structures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from neo4j._codec.hydration.bolt.v1 import temporal as v1
from neo4j._codec.hydration.bolt.v2 import temporal as v2
from neo4j._codec.packstream import Structure

from graph.core import kinds, reads, writes
from graph.db import packing
from graph.db.connection import Graph

# the driver's own functions, whether or not packing is installed in this process
DRIVER_V2 = getattr(v2.dehydrate_datetime, "_guanxi_fast_datetime", v2.dehydrate_datetime)
DRIVER_V1 = getattr(v1.dehydrate_datetime, "_guanxi_fast_datetime", v1.dehydrate_datetime)
FAST_V2 = packing.fast_dehydrator(DRIVER_V2, Structure, bolt4=False)
FAST_V1 = packing.fast_dehydrator(DRIVER_V1, Structure, bolt4=True)

OFFSETS = [
    dt.UTC,
    dt.timezone(dt.timedelta(hours=8)),
    dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
]
INSTANTS = [
    dt.datetime(2024, 3, 1, 12, 30, 45, 123456),
    dt.datetime(1970, 1, 1),
    dt.datetime(1969, 12, 31, 23, 59, 59, 999999),
    dt.datetime(1900, 1, 1, 0, 0, 0, 1),
    dt.datetime(9999, 12, 30, 23, 59, 59, 999999),
    dt.datetime(2026, 12, 6, 18, 0),
]
CASES = [instant.replace(tzinfo=tz) for instant in INSTANTS for tz in OFFSETS]


def _fields(structure: Any) -> tuple[bytes, list[Any]]:
    return structure.tag, list(structure.fields)


@pytest.mark.parametrize("value", CASES, ids=str)
def test_fixed_offset_datetimes_pack_as_the_driver_packs_them(value: dt.datetime) -> None:
    assert _fields(FAST_V2(value)) == _fields(DRIVER_V2(value))
    assert _fields(FAST_V1(value)) == _fields(DRIVER_V1(value))


class _Beijing(dt.tzinfo):
    """A time zone that is not `datetime.timezone` (a named zone's class, without loading the
    zone database: zoneinfo there made the JVM's start in the same process crash at times)."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=8)

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, when: dt.datetime | None) -> str:
        return "CST"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2024, 3, 1, 12, 30),  # naive
        dt.datetime(2024, 3, 1, 12, 30, tzinfo=_Beijing()),  # another kind of zone
    ],
    ids=str,
)
def test_other_datetimes_are_left_to_the_driver(value: dt.datetime) -> None:
    assert _fields(FAST_V2(value)) == _fields(DRIVER_V2(value))
    assert _fields(FAST_V1(value)) == _fields(DRIVER_V1(value))


def test_the_app_installs_it_and_instants_round_trip_through_the_engine(graph: Graph) -> None:
    assert hasattr(v2.dehydrate_datetime, "_guanxi_fast_datetime")
    items = [
        writes.New(
            writes.new_props(
                kinds.COMPANY,
                {"name": f"Packed {n}", "isOurs": False, "status": "CURRENT", "searchText": "p"},
                created_at=value,
            )
        )
        for n, value in enumerate(CASES)
    ]
    graph.write_tx(lambda tx: writes.create_in(tx, kinds.COMPANY, items, None, recorded=False))
    stored = reads.companies_by_id(graph, [str(item.props["id"]) for item in items])
    assert [company.created_at if company else None for company in stored] == CASES
