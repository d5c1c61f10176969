"""Value classes A/B/C from deal revenue: against an independent Pareto on a random book, and
hand-checked edges (thresholds, ties, currencies, the window, who is classified)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.analysis.classes import CompanyValue, ValueClassReport, build_report, value_classes
from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.core.models import ValueClass
from graph.db.connection import Graph
from graph.db.errors import InvalidInput
from graph.deals import deals
from tests import factories
from tests.conftest import StatementLog

A, B, C = ValueClass.A, ValueClass.B, ValueClass.C


def _deal(
    graph: Graph, company_id: str, amount: float, date: str = "2024-01-01", **more: str
) -> None:
    deals.record_deal(
        graph,
        company_id,
        deals.DealFields.checked({"amount": amount, "date": date, "productLine": "Cloud", **more}),
    )


def _by_id(report: ValueClassReport) -> dict[str, CompanyValue]:
    return {c.company_id: c for c in report.companies}


def _classes(report: ValueClassReport) -> dict[str, ValueClass]:
    return {c.company_id: c.computed_class for c in report.companies}


@dataclass
class Book:
    """What the random book holds, as the test wrote it."""

    status: dict[str, str | None] = field(default_factory=dict)
    set_class: dict[str, str | None] = field(default_factory=dict)
    deals: list[tuple[str, int, str, dt.date]] = field(default_factory=list)


def _expected(book: Book, *, since: dt.date | None, currency: str) -> dict[str, ValueClass]:
    """An independent Pareto: A is the shortest top list reaching 80% of revenue, A and B the
    shortest reaching 95%; integer amounts, so integer arithmetic is exact."""
    revenue = dict.fromkeys(book.status, 0)
    has_deals: set[str] = set()
    for company_id, amount, deal_currency, date in book.deals:
        has_deals.add(company_id)
        if deal_currency == currency and (since is None or date >= since):
            revenue[company_id] += amount
    listed = [
        c
        for c in book.status
        if revenue[c] > 0 or c in has_deals or book.status[c] in {"CURRENT", "WON_BACK", "CHURNED"}
    ]
    ranked = sorted(listed, key=lambda c: (-revenue[c], c))
    total = sum(revenue.values())
    running, cumulative = 0, []
    for c in ranked:
        running += revenue[c]
        cumulative.append(running)
    a_count = next((i + 1 for i, s in enumerate(cumulative) if s * 100 >= 80 * total), 0)
    ab_count = next((i + 1 for i, s in enumerate(cumulative) if s * 100 >= 95 * total), 0)
    return {
        c: (A if i < a_count else B if i < ab_count else C) if revenue[c] > 0 else C
        for i, c in enumerate(ranked)
    }


@pytest.fixture
def book(graph: Graph) -> Book:
    rng = random.Random(20240611)
    found = Book()
    ours = factories.company(graph, "Ourselves", isOurs=True)
    _deal(graph, ours, 10_000)  # never counted: not a customer
    statuses = [None, "PROSPECT", "TARGET", "CURRENT", "CHURNED", "WON_BACK"]
    for index in range(30):
        status = rng.choice(statuses)
        set_class = rng.choice([None, "A", "B", "C"])
        fields = {k: v for k, v in {"status": status, "valueClass": set_class}.items() if v}
        company_id = factories.company(graph, f"Customer {index}", **fields)
        found.status[company_id] = status
        found.set_class[company_id] = set_class
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            amount = int(100 * rng.paretovariate(1.1))
            currency = "USD" if rng.random() < 0.15 else "CNY"
            date = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1000))
            _deal(graph, company_id, amount, date.isoformat(), currency=currency)
            found.deals.append((company_id, amount, currency, date))
    return found


@pytest.mark.parametrize(
    ("since", "currency"),
    [(None, "CNY"), (dt.date(2023, 3, 1), "CNY"), (None, "usd")],
)
def test_a_random_book_matches_an_independent_pareto(
    graph: Graph, book: Book, since: dt.date | None, currency: str
) -> None:
    report = value_classes(graph, since=since, currency=currency)
    code = currency.upper()
    expected = _expected(book, since=since, currency=code)
    assert _classes(report) == expected
    assert report.currency == code and report.since == since
    # full lists, sorted by revenue (highest first) then id
    assert [c.company_id for c in report.companies] == sorted(
        expected, key=lambda c: (-_by_id(report)[c].revenue, c)
    )
    revenue = dict.fromkeys(book.status, 0)
    for company_id, amount, deal_currency, date in book.deals:
        if deal_currency == code and (since is None or date >= since):
            revenue[company_id] += amount
    for company in report.companies:
        assert company.revenue == revenue[company.company_id]
        set_class = book.set_class[company.company_id]
        assert company.set_class == (None if set_class is None else ValueClass(set_class))
        assert company.agrees == (
            None if set_class is None else set_class == company.computed_class.value
        )
    left_out = sum(
        1
        for company_id, _, deal_currency, date in book.deals
        if company_id in book.status and deal_currency != code and (since is None or date >= since)
    )
    assert report.summary.other_currency_deals == left_out
    assert report.summary.counts == {k: list(expected.values()).count(k) for k in ValueClass}
    assert report.summary.classified == len(expected)
    assert report.summary.unclassified == len(book.status) - len(expected)
    assert report.summary.total_revenue == sum(revenue.values())
    assert sum(n for row in report.summary.matrix.values() for n in row.values()) == len(expected)
    for set_class_name in [None, "A", "B", "C"]:
        set_key = None if set_class_name is None else ValueClass(set_class_name)
        for computed in ValueClass:
            assert report.summary.matrix[set_key][computed] == sum(
                1
                for c, k in expected.items()
                if book.set_class[c] == set_class_name and k is computed
            )
    assert report.disagreements == [c for c in report.companies if c.agrees is False]
    assert len({c.computed_class for c in report.companies}) == 3  # the book is varied enough


def test_the_customer_ending_exactly_at_80_percent_is_a_and_the_next_is_b(graph: Graph) -> None:
    ids = [factories.company(graph, name) for name in ("big", "middle", "small")]
    for company_id, amount in zip(ids, [80, 15, 5], strict=True):
        _deal(graph, company_id, amount)
    report = value_classes(graph)
    assert [c.company_id for c in report.companies] == ids
    assert [c.computed_class for c in report.companies] == [A, B, C]  # 80% and 95% exactly
    assert [c.share for c in report.companies] == [0.8, 0.15, 0.05]
    assert [c.cumulative_share for c in report.companies] == [0.8, 0.95, 1.0]


def test_the_customer_crossing_80_percent_is_a(graph: Graph) -> None:
    ids = [factories.company(graph, name) for name in ("one", "two", "three", "four")]
    for company_id, amount in zip(ids, [70, 20, 6, 4], strict=True):
        _deal(graph, company_id, amount)
    assert [c.computed_class for c in value_classes(graph).companies] == [A, A, B, C]


def test_equal_revenues_are_ranked_by_id(graph: Graph) -> None:
    top = factories.company(graph, "top")
    tied = sorted(factories.company(graph, name) for name in ("tie one", "tie two"))
    _deal(graph, top, 70)
    for company_id in tied:
        _deal(graph, company_id, 15)
    report = value_classes(graph)
    assert [c.company_id for c in report.companies] == [top, *tied]
    assert [c.computed_class for c in report.companies] == [A, A, B]


def test_other_currencies_are_left_out_and_counted(graph: Graph) -> None:
    cny, usd = factories.company(graph, "cny"), factories.company(graph, "usd")
    _deal(graph, cny, 100)
    _deal(graph, usd, 1_000_000, currency="USD")
    _deal(graph, cny, 500, currency="EUR")
    report = value_classes(graph)
    by_id = _by_id(report)
    assert by_id[cny].revenue == 100 and by_id[cny].computed_class is A
    assert by_id[cny].other_currency_deals == 1 and by_id[cny].deal_count == 1
    assert by_id[usd].revenue == 0 and by_id[usd].computed_class is C  # has deals: listed
    assert report.summary.other_currency_deals == 2
    assert report.summary.total_revenue == 100
    usd_report = value_classes(graph, currency="USD")
    assert _classes(usd_report) == {usd: A, cny: C}


def test_since_counts_only_later_deals(graph: Graph) -> None:
    old, new = factories.company(graph, "old"), factories.company(graph, "new")
    _deal(graph, old, 1000, "2022-12-31")
    _deal(graph, new, 10, "2023-01-01")
    report = value_classes(graph, since=dt.date(2023, 1, 1))
    assert _classes(report) == {new: A, old: C}
    assert _by_id(report)[old].revenue == 0 and _by_id(report)[old].deal_count == 0
    assert report.summary.other_currency_deals == 0
    assert _classes(value_classes(graph)) == {old: A, new: C}


def test_who_is_classified_without_revenue(graph: Graph) -> None:
    payer = factories.company(graph, "payer")
    _deal(graph, payer, 10)
    current = factories.company(graph, "current", status="CURRENT")
    churned = factories.company(graph, "churned", status="CHURNED")
    won_back = factories.company(graph, "won back", status="WON_BACK")
    factories.company(graph, "prospect", status="PROSPECT", valueClass="A")
    factories.company(graph, "target", status="TARGET")
    factories.company(graph, "no status")
    target_with_deal = factories.company(graph, "target with a deal", status="TARGET")
    _deal(graph, target_with_deal, 0)
    report = value_classes(graph)
    assert _classes(report) == {
        payer: A,
        current: C,
        churned: C,
        won_back: C,
        target_with_deal: C,
    }
    assert report.summary.unclassified == 3
    assert [c.company_id for c in report.companies][0] == payer
    assert all(c.share == 0.0 for c in report.companies[1:])


def test_no_revenue_at_all_makes_everyone_c(graph: Graph) -> None:
    current = factories.company(graph, "current", status="CURRENT", valueClass="C")
    report = value_classes(graph)
    [only] = report.companies
    assert (only.company_id, only.computed_class, only.agrees) == (current, C, True)
    assert (only.share, only.cumulative_share, report.summary.total_revenue) == (0.0, 0.0, 0.0)


def test_set_classes_beside_computed_ones(graph: Graph) -> None:
    ids = {
        name: factories.company(graph, name, **({"valueClass": cls} if cls else {}))
        for name, cls in [("a set c", "C"), ("b set b", "B"), ("c set a", "A"), ("a unset", None)]
    }
    for name, amount in [("a set c", 50), ("a unset", 30), ("b set b", 15), ("c set a", 5)]:
        _deal(graph, ids[name], amount)
    report = value_classes(graph)
    by_id = _by_id(report)
    assert _classes(report) == {
        ids["a set c"]: A,
        ids["a unset"]: A,
        ids["b set b"]: B,
        ids["c set a"]: C,
    }
    assert by_id[ids["a unset"]].agrees is None and by_id[ids["b set b"]].agrees is True
    assert [c.company_id for c in report.disagreements] == [ids["a set c"], ids["c set a"]]
    matrix = report.summary.matrix
    assert matrix[C][A] == 1 and matrix[None][A] == 1 and matrix[B][B] == 1 and matrix[A][C] == 1
    assert sum(n for row in matrix.values() for n in row.values()) == 4
    assert set(matrix) == {A, B, C, None} and all(set(row) == {A, B, C} for row in matrix.values())
    assert report.summary.counts == {A: 2, B: 1, C: 1}


def test_our_companies_are_not_customers(graph: Graph) -> None:
    ours = factories.company(graph, "Ourselves", isOurs=True, status="CURRENT")
    _deal(graph, ours, 100)
    report = value_classes(graph)
    assert report.companies == [] and report.summary.unclassified == 0


def test_a_currency_must_be_a_three_letter_code(graph: Graph) -> None:
    with pytest.raises(InvalidInput) as caught:
        value_classes(graph, currency="yuan")
    assert caught.value.field == "currency"


def test_cached_classes_follow_deals_and_companies(
    graph: Graph, other_graph: Graph, statements: StatementLog
) -> None:
    big, small, prospect = (factories.company(graph, name) for name in ("big", "small", "new"))
    _deal(graph, big, 90)
    _deal(graph, small, 10)
    first = value_classes(graph)
    assert _classes(first) == {big: A, small: B}
    with statements.count_during() as counter:
        again = value_classes(graph)
    assert again is first and counter.count == 1  # the change feed's head only

    _deal(other_graph, small, 500)  # another process: a deal recorded
    assert _classes(value_classes(graph)) == {small: A, big: B}
    [deal] = deals.deals_for_companies(graph, [big])[0]
    deals.update_deal(
        other_graph, deal.id, Patch({"amount": 3000})
    )  # another process: a deal's amount changed: the counts stay
    assert _classes(value_classes(graph)) == {big: A, small: B}
    writes.update_node(
        other_graph, kinds.COMPANY, prospect, Patch({"status": "CURRENT"})
    )  # another process: a paying status classifies a company without deals
    assert _classes(value_classes(graph)) == {big: A, small: B, prospect: C}
    writes.update_node(
        other_graph, kinds.COMPANY, big, Patch({"isOurs": True})
    )  # another process: one of ours is no customer (no change recorded)
    assert _classes(value_classes(graph)) == {small: A, prospect: C}


def _fraction_report(revenues: list[float]) -> list[tuple[ValueClass, float, float]]:
    """The Pareto in Fractions, as build_report once computed it: (class, share, cumulative
    share) per customer, highest revenue first."""
    ranked = sorted(revenues, reverse=True)
    total = sum((Fraction(r) for r in ranked), Fraction(0))
    before, out = Fraction(0), []
    for revenue in map(Fraction, ranked):
        if revenue > 0 and before < Fraction(80, 100) * total:
            computed = A
        elif revenue > 0 and before < Fraction(95, 100) * total:
            computed = B
        else:
            computed = C
        before += revenue
        shares = (float(revenue / total), float(before / total)) if total else (0.0, 0.0)
        out.append((computed, *shares))
    return out


@given(
    st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=1e12),
            st.sampled_from([0.1, 0.2, 0.3, 0.7, 0.8, 0.05, 0.15, 1e-300, 5e-324]),
        ),
        max_size=30,
    )
)
def test_the_pareto_is_exact_on_any_float_revenues(revenues: list[float]) -> None:
    rows = [
        {
            "id": f"co_{i:03}",
            "name": "",
            "valueClass": None,
            "status": "CURRENT",
            "revenue": revenue,
            "dealCount": 1,
            "otherCurrencyDeals": 0,
            "allDeals": 1,
        }
        for i, revenue in enumerate(revenues)
    ]
    report = build_report(rows, currency="CNY", since=None)
    got = [(c.computed_class, c.share, c.cumulative_share) for c in report.companies]
    assert got == _fraction_report(revenues)
    assert report.summary.total_revenue == float(sum(map(Fraction, revenues), Fraction(0)))
