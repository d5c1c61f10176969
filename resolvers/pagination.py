"""Cursor pagination: opaque cursors over positions in a sorted list."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
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


def decode_cursor(cursor: str, argument: str = "after") -> int:
    """The position a cursor of this API stands for; anything else is refused (naming
    `argument`, the argument it came in)."""
    try:
        digits = base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix(_PREFIX)
        position = int(digits) if digits.isdigit() else -1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        position = -1
    if not 0 <= position <= MAX_POSITION or encode_cursor(position) != cursor:
        raise InvalidInput(f"{argument}: '{cursor}' is not a cursor from this API", field=argument)
    return position


def _checked_size(argument: str, size: int) -> int:
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            f"{argument}: must be between 0 and {MAX_PAGE_SIZE} (got {size})", field=argument
        )
    return size


def window(first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, limit) for `first` items after the cursor `after`."""
    limit = _checked_size("first", DEFAULT_PAGE_SIZE if first is None else first)
    offset = 0 if after is None else decode_cursor(after) + 1
    return offset, limit


def page_of(items: Sequence[T], first: int | None, after: str | None) -> Page[T]:
    """One page of a list already in memory, for `first` items after the cursor `after`."""
    offset, limit = window(first, after)
    return Page(items=list(items[offset : offset + limit]), total=len(items), offset=offset)


@dataclass(frozen=True)
class Slice:
    """What a connection's four arguments ask for, with Relay's meaning: the items after
    `after` and before `before`, then the `first` of them or the `last` of them. Without
    `first` or `last`, the first 20; with only `before`, the 20 just before it. `first` and
    `last` together are refused."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def __post_init__(self) -> None:
        if self.first is not None and self.last is not None:
            raise InvalidInput(
                "last: not with first (first pages forward, last backward)",
                field="last",
            )
        if self.first is not None:
            _checked_size("first", self.first)
        if self.last is not None:
            _checked_size("last", self.last)
        if self.after is not None:
            decode_cursor(self.after, "after")
        if self.before is not None:
            decode_cursor(self.before, "before")

    @property
    def backward(self) -> bool:
        """Whether these arguments need more than `first` and `after`."""
        return self.last is not None or self.before is not None

    @property
    def _last(self) -> int | None:
        """`last`, or the default page for `before` alone."""
        if self.last is None and self.first is None and self.before is not None:
            return DEFAULT_PAGE_SIZE
        return self.last

    @property
    def needs_total(self) -> bool:
        """Whether the window depends on the list's length: `last` with no `before`."""
        return self.last is not None and self.before is None

    def forward(self, total: int | None = None) -> tuple[int, str | None]:
        """(first, after) asking for the same items (every connection field takes those);
        `total`, the list's length, is needed when `needs_total`."""
        start = 0 if self.after is None else decode_cursor(self.after, "after") + 1
        last = self._last
        if last is None:
            size = DEFAULT_PAGE_SIZE if self.first is None else self.first
            if self.before is not None:
                size = min(size, max(0, decode_cursor(self.before, "before") - start))
        else:
            if self.before is not None:
                end = decode_cursor(self.before, "before")
            else:
                assert total is not None, "last without before needs the list's length"
                end = total
            end = max(start, end)
            start = max(start, end - last)
            size = end - start
        return size, None if start == 0 else encode_cursor(start - 1)
