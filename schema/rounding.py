"""Strengths, shares and ratios as the API returns them: rounded to 4 decimals.

The graph computes with full precision (a decayed strength is a sum of powers of a half); the
API shows `0.12`, not `0.12000000000621833`. Every field that returns such a number rounds it
here, and says so in its description (`ROUNDED`).
"""

from __future__ import annotations

from typing import Any, Final

DECIMALS: Final = 4
ROUNDED: Final = f"Rounded to {DECIMALS} decimals."


def rounded(value: float) -> float:
    """A strength, share or ratio as the API returns it."""
    return round(value, DECIMALS)


def rounded_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def described(text: str) -> str:
    """A field's description, saying that it is rounded."""
    return f"{text} {ROUNDED}" if text else ROUNDED


def rounded_json(value: Any) -> Any:
    """A recorded state or value (a change's before and after) with its floats rounded: they
    are strengths."""
    if isinstance(value, float):
        return rounded(value)
    if isinstance(value, dict):
        return {k: rounded_json(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [rounded_json(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value
