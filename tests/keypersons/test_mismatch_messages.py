"""Every tier-mismatch rule's message: the right tier named, a target that can be met, and
grammar that fits the count (the map's rows are built elsewhere; this is the wording)."""

from __future__ import annotations

import pytest

from graph.core.models import CompanyTier
from graph.keypersons.maps import KeyPersonSummary, _mismatches

STRATEGIC = CompanyTier.STRATEGIC_ALLIANCE


def summary(key_persons: int, covered: int, executives: bool = False) -> KeyPersonSummary:
    return KeyPersonSummary(
        key_persons=key_persons,
        covered=covered,
        uncovered=key_persons - covered,
        single_threaded=0,
        coverage_ratio=covered / key_persons if key_persons else None,
        tier_distribution={},
        reaches_executives=executives,
    )


def messages(tier: CompanyTier | None, found: KeyPersonSummary, target: int = 3) -> list[str]:
    return [f"{m.rule}: {m.reason}" for m in _mismatches(tier, found, target)]


def test_harbor_bank_reads_a_target_it_can_meet_and_its_own_tier() -> None:
    # the demo's Harbor Bank: a strategic alliance with 2 key persons, 1 covered, target 3
    assert messages(STRATEGIC, summary(2, 1, executives=True)) == [
        "TOO_FEW_COVERED_KEY_PERSONS: the tier is STRATEGIC_ALLIANCE, but only 1 of 2 key "
        "persons is covered (all of them expected); a strategic alliance has good relations "
        "with many key persons"
    ]
    assert messages(STRATEGIC, summary(2, 2, executives=True)) == []  # 2 of 2 meets it


@pytest.mark.parametrize(
    ("key_persons", "covered", "expected"),
    [
        (5, 1, "only 1 of 5 key persons is covered (at least 3 expected)"),
        (5, 2, "only 2 of 5 key persons are covered (at least 3 expected)"),
        (3, 0, "none of the 3 key persons is covered (all of them expected)"),
        (1, 0, "the only key person is not covered (it should be)"),
    ],
)
def test_too_few_covered_counts_and_targets(key_persons: int, covered: int, expected: str) -> None:
    [message] = messages(CompanyTier.PREFERRED_SUPPLIER, summary(key_persons, covered))
    assert message == (
        f"TOO_FEW_COVERED_KEY_PERSONS: the tier is PREFERRED_SUPPLIER, but {expected}; a "
        "preferred supplier has good relations with many key persons"
    )


def test_no_key_persons_and_no_target_raise_nothing() -> None:
    assert messages(CompanyTier.PREFERRED_SUPPLIER, summary(0, 0)) == []
    assert messages(CompanyTier.PREFERRED_SUPPLIER, summary(4, 0), target=0) == []
    assert messages(None, summary(4, 0)) == []


@pytest.mark.parametrize(
    ("tier", "noun"),
    [
        (CompanyTier.PARTNERSHIP, "a partnership"),
        (CompanyTier.STRATEGIC_ALLIANCE, "a strategic alliance"),
    ],
)
def test_no_executive_names_the_tier(tier: CompanyTier, noun: str) -> None:
    assert messages(tier, summary(3, 3)) == [
        f"NO_EXECUTIVE_RELATIONSHIP: the tier is {tier.value}, but none of our people holds a "
        f"covering relationship with an executive there; {noun} reaches top management"
    ]
    assert messages(CompanyTier.PREFERRED_SUPPLIER, summary(3, 3)) == []  # not expected there


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (
            summary(3, 3, executives=True),
            "3 key persons are covered and an executive is reached; the relationship may "
            "deserve PARTNERSHIP (a partnership reaches top management)",
        ),
        (
            summary(2, 2),
            "2 key persons are covered; the relationship may deserve PREFERRED_SUPPLIER (its "
            "key persons are covered)",
        ),
        (
            summary(1, 1),
            "1 key person is covered; the relationship may deserve PREFERRED_SUPPLIER (its key "
            "persons are covered)",
        ),
        (
            summary(4, 1, executives=True),
            "1 key person is covered and an executive is reached; the relationship may "
            "deserve a higher tier",
        ),
        (
            summary(4, 0, executives=True),
            "an executive is reached; the relationship may deserve a higher tier",
        ),
    ],
)
def test_deeper_than_transactional(found: KeyPersonSummary, expected: str) -> None:
    assert messages(CompanyTier.TRANSACTIONAL, found) == [
        f"DEEPER_THAN_TIER: the tier is TRANSACTIONAL, but {expected}"
    ]


def test_transactional_as_expected_raises_nothing() -> None:
    assert messages(CompanyTier.TRANSACTIONAL, summary(4, 2)) == []
    assert messages(CompanyTier.TRANSACTIONAL, summary(0, 0)) == []
