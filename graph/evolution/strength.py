"""The strength model: how interactions move a relationship's strength, and health.

In words a sales manager can follow: every contact is a deposit in the relationship's account,
worth more for a meal or a visit than for an e-mail, more when it went well, and a withdrawal
when it went badly. Every deposit, and the strength a person last set by hand, counts half as
much after `half_life_days` (90 by default), a quarter after twice that, and so on: long
estrangement thins the relationship. Strength is the sum of what is left of them, kept between
0 and 1. It is recomputed whenever an interaction is logged and stands still in between;
`health` adds how recent the last contact is, so silence shows at once.

    strength(t) = clamp01( S_m * d(t - t_m) + sum_i c_i * d(t - w_i) ),  d(x) = 0.5 ** (x / H)

S_m is the strength set by hand at t_m (the latest such setting); c_i = weight(kind_i) *
factor(sentiment_i) is the deposit of each interaction recorded after it, held at w_i. Tier is
set by people; `suggested_tier` reads one from strength, for planners to compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.core.models import PersonTier

DAY_MS = 86_400_000


class InteractionKind(Enum):
    MEETING = "MEETING"
    CALL = "CALL"
    EMAIL = "EMAIL"
    MESSAGE = "MESSAGE"
    VISIT = "VISIT"
    MEAL = "MEAL"
    EVENT = "EVENT"
    OTHER = "OTHER"


class Trend(Enum):
    UP = "UP"
    DOWN = "DOWN"
    FLAT = "FLAT"


def _weights() -> dict[InteractionKind, float]:
    return {
        InteractionKind.MEAL: 0.12,
        InteractionKind.VISIT: 0.10,
        InteractionKind.MEETING: 0.08,
        InteractionKind.EVENT: 0.06,
        InteractionKind.CALL: 0.05,
        InteractionKind.OTHER: 0.03,
        InteractionKind.EMAIL: 0.02,
        InteractionKind.MESSAGE: 0.02,
    }


def _factors() -> dict[int, float]:
    return {-2: -1.0, -1: -0.5, 0: 0.5, 1: 1.0, 2: 1.5}


def _floors() -> dict[PersonTier, float]:
    return {
        PersonTier.PASSER_BY: 0.0,
        PersonTier.ACQUAINTANCE: 0.2,
        PersonTier.FRIEND: 0.5,
        PersonTier.CONFIDANT: 0.8,
    }


class StrengthModel(BaseSettings):
    """The model's parameters; each can be set by an environment variable, e.g.
    `GUANXI_STRENGTH_HALF_LIFE_DAYS=120` or `GUANXI_STRENGTH_WEIGHTS='{"MEAL": 0.2}'` (a map
    changes the keys it names; the others keep their defaults)."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_STRENGTH_", frozen=True)

    half_life_days: float = Field(default=90.0, gt=0)
    weights: dict[InteractionKind, float] = Field(default_factory=_weights)
    sentiment_factors: dict[int, float] = Field(default_factory=_factors)
    # strength at or above which each tier is suggested
    tier_floors: dict[PersonTier, float] = Field(default_factory=lambda: _floors())
    # health = 100 * (strength_weight * strength + (1 - strength_weight) * recency)
    health_strength_weight: float = Field(default=0.7, ge=0, le=1)
    trend_threshold: int = Field(default=5, ge=0)

    @field_validator("weights", mode="after")
    @classmethod
    def _all_weights(cls, given: dict[InteractionKind, float]) -> dict[InteractionKind, float]:
        return {**_weights(), **given}  # a map given changes the kinds it names

    @field_validator("sentiment_factors", mode="after")
    @classmethod
    def _all_factors(cls, given: dict[int, float]) -> dict[int, float]:
        return {**_factors(), **given}

    @field_validator("tier_floors", mode="after")
    @classmethod
    def _all_floors(cls, given: dict[PersonTier, float]) -> dict[PersonTier, float]:
        return {**_floors(), **given}

    def decay(self, elapsed_ms: int) -> float:
        """What is left of a deposit after `elapsed_ms` (1 for none or negative)."""
        return float(0.5 ** (max(elapsed_ms, 0) / DAY_MS / self.half_life_days))

    def decayed(self, value: float, at_ms: int, then_ms: int) -> float:
        """A strength `value` computed at `at_ms`, as the model has it at `then_ms`: what is
        left of its deposits by then (it stands still in the store between interactions)."""
        return clamp(value * self.decay(then_ms - at_ms))

    def deposit(self, kind: InteractionKind, sentiment: int) -> float:
        return self.weights.get(kind, 0.0) * self.sentiment_factors.get(sentiment, 0.5)

    def after_interaction(
        self, raw: float, raw_at_ms: int, deposit: float, held_at_ms: int, applied_at_ms: int
    ) -> float:
        """The unclamped sum at `applied_at_ms` after adding a deposit held at `held_at_ms`."""
        return raw * self.decay(applied_at_ms - raw_at_ms) + deposit * self.decay(
            applied_at_ms - held_at_ms
        )

    def suggested_tier(self, strength: float) -> PersonTier:
        best = PersonTier.PASSER_BY
        for tier, floor in self.tier_floors.items():
            if strength >= floor and floor >= self.tier_floors[best]:
                best = tier
        return best

    def recency(self, last_interaction_ms: int | None, at_ms: int) -> float:
        return 0.0 if last_interaction_ms is None else self.decay(at_ms - last_interaction_ms)

    def health(self, strength: float, last_interaction_ms: int | None, at_ms: int) -> int:
        weight = self.health_strength_weight
        mix = weight * strength + (1 - weight) * self.recency(last_interaction_ms, at_ms)
        return round(100 * mix)

    def trend(self, now: int, before: int) -> Trend:
        if now - before > self.trend_threshold:
            return Trend.UP
        if before - now > self.trend_threshold:
            return Trend.DOWN
        return Trend.FLAT


@cache
def configured_model() -> StrengthModel:
    """The model as configured by the environment (read once per process)."""
    return StrengthModel()


def clamp(raw: float) -> float:
    return min(1.0, max(0.0, raw))


@dataclass(frozen=True)
class Deposit:
    """One item behind a strength: the last manual setting, or an interaction."""

    interaction_id: str | None  # None for the manual setting
    at_ms: int
    value: float  # its full worth when made
    left: float  # the share left at the time of evaluation
    by: str | None = None

    @property
    def contribution(self) -> float:
        return self.value * self.left


def explain(
    model: StrengthModel,
    anchor: tuple[float, int, str | None] | None,
    interactions: Sequence[tuple[str, int, InteractionKind, int]],
    at_ms: int,
) -> list[Deposit]:
    """The deposits behind the strength at `at_ms`: the manual anchor (value, time, by) and
    each interaction (id, time, kind, sentiment) recorded after it."""
    deposits: list[Deposit] = []
    if anchor is not None:
        value, anchor_ms, by = anchor
        deposits.append(Deposit(None, anchor_ms, value, model.decay(at_ms - anchor_ms), by))
    for interaction_id, held_ms, kind, sentiment in interactions:
        deposits.append(
            Deposit(
                interaction_id,
                held_ms,
                model.deposit(kind, sentiment),
                model.decay(at_ms - held_ms),
            )
        )
    return deposits
