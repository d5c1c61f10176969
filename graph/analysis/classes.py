"""Customer value classes from data: A/B/C from deal revenue, beside the class people set.

The rule (a Pareto rule, the seeds' classification by value, 004):

- Revenue is counted in one currency (default CNY; a deal stored without a currency is CNY)
  over the deals dated on or after `since` (None: all deals). Deals in that window in other
  currencies are not converted and not counted; the report says how many were left out.
- Customer companies (any company not one of ours) are ranked by revenue, highest first;
  equal revenues go by company id, so the result is stable.
- A: the highest-revenue customers that together make up the first A_SHARE (80%) of revenue,
  i.e. every customer whose preceding customers hold less than 80% of it (so the customer
  whose revenue crosses 80% is A, and after one that ends exactly at 80% the next is B).
  B: the next ones, up to B_SHARE (95%), by the same test. C: the rest, including customers
  with no revenue in the window.
- A customer with no revenue in the window is classified (C) only if its status is CURRENT,
  WON_BACK or CHURNED, or it has deals at all (any date, any currency); companies with no
  deals and status PROSPECT, TARGET or none are not classified and not listed.
- The comparison with the thresholds is exact on the revenues as summed (fractions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from graph.core.currency import DEFAULT_CURRENCY, checked_currency
from graph.core.models import CompanyStatus, ValueClass, to_enum
from graph.cypher.analysis import classes as cypher
from graph.db import cache
from graph.db.connection import Graph

A_SHARE: Final = Fraction(80, 100)
B_SHARE: Final = Fraction(95, 100)
CLASSIFIED_WITHOUT_REVENUE: Final = frozenset(
    {CompanyStatus.CURRENT, CompanyStatus.WON_BACK, CompanyStatus.CHURNED}
)

# The fields of each list VALUE_CLASS_ROWS returns, in order.
_ROW_KEYS: Final = (
    "id",
    "name",
    "valueClass",
    "status",
    "revenue",
    "dealCount",
    "otherCurrencyDeals",
    "allDeals",
)


@dataclass(frozen=True)
class CompanyValue:
    """One customer's revenue, its place in the ranking, and its computed and set classes.

    `share` and `cumulative_share` (through this customer) are of the total revenue, 0.0 when
    there is none; `agrees` is None when no class is set."""

    company_id: str
    name: str
    status: CompanyStatus | None
    revenue: float
    deal_count: int
    other_currency_deals: int
    share: float
    cumulative_share: float
    computed_class: ValueClass
    set_class: ValueClass | None
    agrees: bool | None


@dataclass(frozen=True)
class ValueClassSummary:
    """Counts per computed class; `matrix[set][computed]` counts the customers with that set
    class (None: unset) and that computed class, every cell present."""

    counts: dict[ValueClass, int]
    matrix: dict[ValueClass | None, dict[ValueClass, int]]
    classified: int
    unclassified: int
    total_revenue: float
    other_currency_deals: int


@dataclass(frozen=True)
class ValueClassReport:
    """Every classified customer, by revenue (highest first) then id; the disagreements (a
    set class other than the computed one) in the same order."""

    currency: str
    since: dt.date | None
    companies: list[CompanyValue]
    disagreements: list[CompanyValue]
    summary: ValueClassSummary


def _classified(row: dict[str, Any]) -> bool:
    status = to_enum(CompanyStatus, row["status"])
    return row["revenue"] > 0 or status in CLASSIFIED_WITHOUT_REVENUE or row["allDeals"] > 0


def _over_one_denominator(values: list[float]) -> tuple[list[int], int]:
    """Each value as an integer over one denominator (a power of two), and that denominator:
    exact."""
    ratios = [value.as_integer_ratio() for value in values]
    unit = max((denominator for _, denominator in ratios), default=1)
    return [numerator * (unit // denominator) for numerator, denominator in ratios], unit


def _before_share(before: int, share: Fraction, total: int) -> bool:
    """Whether `before` is less than `share` of `total`, exactly."""
    return before * share.denominator < share.numerator * total


def build_report(
    rows: list[dict[str, Any]], *, currency: str, since: dt.date | None
) -> ValueClassReport:
    """The report from the companies of VALUE_CLASS_ROWS, each a dict by _ROW_KEYS (a pure
    function of them)."""
    ranked = sorted(
        (row for row in rows if _classified(row)), key=lambda r: (-float(r["revenue"]), r["id"])
    )
    # Exact arithmetic on the revenues as summed, in integers: a float is an integer over a
    # power of two, so over the largest of those denominators every revenue is an integer
    # (Fraction gave the same results at ten times the cost: 80 ms for 2,000 customers).
    # `int / int` rounds correctly, as float(Fraction) does.
    revenues, unit = _over_one_denominator([float(row["revenue"]) for row in ranked])
    total = sum(revenues)
    companies: list[CompanyValue] = []
    before = 0
    for row, revenue in zip(ranked, revenues, strict=True):
        if revenue > 0 and _before_share(before, A_SHARE, total):
            computed = ValueClass.A
        elif revenue > 0 and _before_share(before, B_SHARE, total):
            computed = ValueClass.B
        else:
            computed = ValueClass.C
        before += revenue
        set_class = to_enum(ValueClass, row["valueClass"])
        companies.append(
            CompanyValue(
                company_id=row["id"],
                name=row["name"],
                status=to_enum(CompanyStatus, row["status"]),
                revenue=float(row["revenue"]),
                deal_count=int(row["dealCount"]),
                other_currency_deals=int(row["otherCurrencyDeals"]),
                share=revenue / total if total else 0.0,
                cumulative_share=before / total if total else 0.0,
                computed_class=computed,
                set_class=set_class,
                agrees=None if set_class is None else set_class is computed,
            )
        )
    matrix: dict[ValueClass | None, dict[ValueClass, int]] = {
        set_class: dict.fromkeys(ValueClass, 0) for set_class in [*ValueClass, None]
    }
    for company in companies:
        matrix[company.set_class][company.computed_class] += 1
    summary = ValueClassSummary(
        counts={
            value_class: sum(c.computed_class is value_class for c in companies)
            for value_class in ValueClass
        },
        matrix=matrix,
        classified=len(companies),
        unclassified=len(rows) - len(companies),
        total_revenue=total / unit,
        other_currency_deals=sum(int(row["otherCurrencyDeals"]) for row in rows),
    )
    return ValueClassReport(
        currency=currency,
        since=since,
        companies=companies,
        disagreements=[c for c in companies if c.agrees is False],
        summary=summary,
    )


def value_classes(
    graph: Graph, *, since: dt.date | None = None, currency: str = DEFAULT_CURRENCY
) -> ValueClassReport:
    """Value classes A/B/C of every customer from its revenue (the rule above), beside the
    class set on it. `currency` must be a three-letter code.

    Cached per window and currency until the graph changes (any process's write, seen in the
    change feed), as graph/db/cache.py says: about 0.1-0.2 s at 100,000 people, a quick
    result, so a committed write is seen by the next read."""
    code = checked_currency(currency)
    return cache.cached(
        graph,
        ("value-classes", since, code),
        lambda: _value_classes(graph, since, code),
    )


def _value_classes(graph: Graph, since: dt.date | None, code: str) -> ValueClassReport:
    found = graph.read(
        cypher.VALUE_CLASS_ROWS, since=since, currency=code, defaultCurrency=DEFAULT_CURRENCY
    )[0]
    rows: list[dict[str, Any]] = [
        dict(zip(_ROW_KEYS, company, strict=True)) for company in found["companies"]
    ]
    return build_report(rows, currency=code, since=since)
