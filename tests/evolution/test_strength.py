"""The strength model's parameters come from the environment; its arithmetic is the formula
of the README."""

from __future__ import annotations

import pytest

from graph.core.models import PersonTier
from graph.evolution.strength import DAY_MS, InteractionKind, StrengthModel, Trend, explain


def test_parameters_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUANXI_STRENGTH_HALF_LIFE_DAYS", "30")
    monkeypatch.setenv("GUANXI_STRENGTH_WEIGHTS", '{"MEAL": 0.3, "CALL": 0.1}')
    monkeypatch.setenv("GUANXI_STRENGTH_SENTIMENT_FACTORS", '{"0": 1.0, "2": 2.0}')
    monkeypatch.setenv("GUANXI_STRENGTH_TIER_FLOORS", '{"PASSER_BY": 0, "CONFIDANT": 0.6}')
    model = StrengthModel()
    assert model.half_life_days == 30
    assert model.deposit(InteractionKind.MEAL, 2) == pytest.approx(0.6)
    assert model.deposit(InteractionKind.EMAIL, 0) == 0.02  # kinds not named keep their weight
    assert model.deposit(InteractionKind.CALL, -2) == pytest.approx(-0.1)
    assert model.decay(30 * DAY_MS) == pytest.approx(0.5)
    assert model.suggested_tier(0.65) is PersonTier.CONFIDANT
    assert model.suggested_tier(0.3) is PersonTier.ACQUAINTANCE


def test_bad_parameters_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUANXI_STRENGTH_HALF_LIFE_DAYS", "0")
    with pytest.raises(ValueError, match="half_life_days"):
        StrengthModel()


def test_incremental_update_equals_the_sum_of_decayed_deposits() -> None:
    model = StrengthModel()
    raw, raw_at = 0.5, 0
    events = [
        (10, InteractionKind.MEETING, 1),
        (40, InteractionKind.MEAL, 2),
        (41, InteractionKind.CALL, -2),
    ]
    for day, kind, sentiment in events:
        raw = model.after_interaction(
            raw, raw_at, model.deposit(kind, sentiment), day * DAY_MS, day * DAY_MS
        )
        raw_at = day * DAY_MS
    deposits = explain(
        model, (0.5, 0, None), [(f"i{d}", d * DAY_MS, k, s) for d, k, s in events], raw_at
    )
    assert sum(d.contribution for d in deposits) == pytest.approx(raw)
    assert deposits[0].left == pytest.approx(0.5 ** (41 / 90))


def test_health_and_trend() -> None:
    model = StrengthModel()
    assert model.health(1.0, 0, 0) == 100
    assert model.health(0.5, None, 0) == 35
    assert model.trend(50, 40) is Trend.UP and model.trend(40, 50) is Trend.DOWN
    assert model.trend(44, 40) is Trend.FLAT
