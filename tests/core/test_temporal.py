"""Stored timestamps as Python datetimes: aware, in UTC, to the microsecond."""

from __future__ import annotations

import datetime as dt

import neo4j.time

from graph.core.models import to_datetime

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
