"""Stored timestamps as Python datetimes: aware, in UTC, to the microsecond."""

from __future__ import annotations

import datetime as dt

import neo4j.time

from graph.core.models import to_datetime
from graph.cypher.db import admin
from graph.db.connection import Graph

EIGHT_EAST = dt.timezone(dt.timedelta(hours=8))


def test_driver_timestamps_become_aware_utc_datetimes() -> None:
    naive = neo4j.time.DateTime(2024, 2, 29, 23, 59, 59, 999_999_999)
    assert to_datetime(naive) == dt.datetime(2024, 2, 29, 23, 59, 59, 999_999, dt.UTC)
    aware = neo4j.time.DateTime(2024, 1, 1, 1, 2, 3, 456_789_123, tzinfo=EIGHT_EAST)
    converted = to_datetime(aware)
    assert converted == dt.datetime(2023, 12, 31, 17, 2, 3, 456_789, dt.UTC)
    assert converted is not None and converted.tzinfo is dt.UTC
    for value in (naive, aware):  # the same as through the driver's own conversion
        native = value.to_native()
        expected = (
            native.replace(tzinfo=dt.UTC) if native.tzinfo is None else native.astimezone(dt.UTC)
        )
        assert to_datetime(value) == expected


def test_other_timestamps() -> None:
    assert to_datetime(None) is None
    assert to_datetime("2024-05-01T08:00:00") == dt.datetime(2024, 5, 1, 8, tzinfo=dt.UTC)
    assert to_datetime(dt.datetime(2024, 5, 1, 16, tzinfo=EIGHT_EAST)) == dt.datetime(
        2024, 5, 1, 8, tzinfo=dt.UTC
    )


def test_timestamp_strings() -> None:
    """As Cypher's toString() writes them: to the minute, to the nanosecond (cut to the
    microsecond, as from the driver's value), with Z, an offset, or a named zone."""
    assert to_datetime("2024-01-02T03:04") == dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert to_datetime("2024-01-02T03:04:05.123456789") == dt.datetime(
        2024, 1, 2, 3, 4, 5, 123_456, dt.UTC
    )
    assert to_datetime("2024-01-02T03:04:05Z") == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert to_datetime("2024-01-02T11:04:05+08:00") == dt.datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC
    )
    berlin_summer = dt.datetime(2024, 7, 1, 10, 0, 0, 500_000, dt.UTC)
    assert to_datetime("2024-07-01T12:00:00.5+02:00[Europe/Berlin]") == berlin_summer
    assert to_datetime("2024-07-01T12:00:00.5[Europe/Berlin]") == berlin_summer
    assert to_datetime("2024-01-02T03:04:05.033267084Z[Etc/UTC]") == dt.datetime(
        2024, 1, 2, 3, 4, 5, 33_267, dt.UTC
    )
    converted = to_datetime("2024-01-02T11:04:05+08:00")
    assert converted is not None and converted.tzinfo is dt.UTC


def test_the_engines_timestamp_strings_convert_to_the_same_instants(graph: Graph) -> None:
    stamps = [
        dt.datetime(2024, 1, 2, 3, 4, 5, 123_456),
        dt.datetime(2024, 1, 2, 3, 4),
        dt.datetime(2024, 1, 2, 3, 4, 5, 120_000, dt.UTC),
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=EIGHT_EAST),
        neo4j.time.DateTime(2024, 1, 2, 3, 4, 5, 123_456_789),
        neo4j.time.DateTime(2024, 1, 2, 3, 4, 5, 987_654_321, tzinfo=EIGHT_EAST),
    ]
    graph.write(admin.TIMESTAMP_PROBE_CREATE, stamps=stamps)
    rows = graph.read(admin.TIMESTAMP_PROBE_READ)
    assert len(rows) == len(stamps) + 4
    for row in rows:
        assert isinstance(row["text"], str)
        assert to_datetime(row["text"]) == to_datetime(row["at"]), row["text"]
        assert row["projected"]["at"] == row["text"]
