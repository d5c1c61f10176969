"""Cursor pagination: opaque cursors over positions in a sorted list."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from graph.core.models import Page
from graph.db.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_POSITION = 10_000_000
_PREFIX = "offset:"
T = TypeVar("T")


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor of this API stands for; anything else is refused."""
    try:
        digits = base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix(_PREFIX)
        position = int(digits) if digits.isdigit() else -1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        position = -1
    if not 0 <= position <= MAX_POSITION or encode_cursor(position) != cursor:
        raise InvalidInput(f"after: '{cursor}' is not a cursor from this API", field="after")
    return position


def window(first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, limit) for `first` items after the cursor `after`."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(
            f"first: must be between 0 and {MAX_PAGE_SIZE} (got {limit})", field="first"
        )
    offset = 0 if after is None else decode_cursor(after) + 1
    return offset, limit


def page_of(items: Sequence[T], first: int | None, after: str | None) -> Page[T]:
    """One page of a list already in memory, for `first` items after the cursor `after`."""
    offset, limit = window(first, after)
    return Page(items=list(items[offset : offset + limit]), total=len(items), offset=offset)
