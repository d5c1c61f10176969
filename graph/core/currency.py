"""Money: the currency an amount is in (ISO 4217 codes; CNY when none is given)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from graph.db.errors import InvalidInput

DEFAULT_CURRENCY = "CNY"

# The largest amount one deal may hold, in its own currency: far above any real order, and
# low enough that the totals of millions of deals stay exact to the unit and finite (two
# amounts near the float maximum summed to infinity, which no figure or page could answer).
MAX_AMOUNT = 1e15

Amount = Annotated[float, Field(ge=0.0, le=MAX_AMOUNT, allow_inf_nan=False)]
CURRENCY_PATTERN = r"^[A-Z]{3}$"
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN)]


def checked_currency(currency: str) -> str:
    """A currency asked for in a query, as stored: an ISO 4217 code in capitals."""
    code = currency.strip().upper()
    if not re.fullmatch(CURRENCY_PATTERN, code):
        raise InvalidInput(
            f"currency: '{currency}' is not a three-letter ISO 4217 code", field="currency"
        )
    return code
