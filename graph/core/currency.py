"""Money: the currency an amount is in (ISO 4217 codes; CNY when none is given)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from graph.db.errors import InvalidInput

DEFAULT_CURRENCY = "CNY"

Amount = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
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
