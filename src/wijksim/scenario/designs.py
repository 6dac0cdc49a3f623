"""Experiment parameters in a scenario file: a ``sweep:`` and ``uncertain:`` values.

Both name scenario values by their dotted path (``team.fte``,
``interventions.0.capacity``), as ``--set`` does.

``uncertain:`` gives a parameter a distribution instead of one value; it is drawn
once per replication (probabilistic sensitivity analysis)::

    uncertain:
      team.fte: {dist: triangular, min: 9, mode: 10, max: 11}
      team.intake_time: {dist: uniform, min: 1, max: 2, unit: hours}
      interventions.0.effect: {dist: beta, mean: 0.3, sd: 0.1}

``sweep:`` runs the scenario at several points: a full factorial ``grid`` or a
Latin hypercube over ``ranges``::

    sweep:
      grid:
        team.fte: [8, 10, 12]
        team.caseload_ceiling_per_fte: [20, 25]

    sweep:
      latin_hypercube:
        samples: 20
        ranges:
          team.fte: {min: 8, max: 14}
          team.intake_time: {min: 1, max: 2, unit: hours}
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .base import Flag
from .base import Frozen as _Frozen
from .distributions import Gamma, Lognormal, Triangular, Uniform


class _Written(_Frozen):
    """A number as a scenario file writes it: with its unit, or a whole number."""

    unit: str | None = Field(default=None, description="unit of a duration, e.g. 'weeks'")
    integer: Flag = Field(default=False, description="round to a whole number")

    def written(self, number: float) -> Any:
        """``number`` as written in a scenario file (rounded, with the unit)."""
        if self.integer:
            number = float(round(number))
        if self.unit is not None:
            return f"{number!r} {self.unit}"
        return int(number) if self.integer else number


class _Uncertain(_Written):
    """A number drawn once per replication by inverse transform of one uniform.

    ``unit`` makes the number a duration (``1.5`` with ``unit: hours`` is
    ``"1.5 hours"``); ``integer`` rounds it to the nearest whole number. The
    parameters are plain numbers (in ``unit``, if given); the formulas are
    those of the duration family (:mod:`.distributions`) where it has the
    distribution.
    """

    def frozen(self) -> Any:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def quantile(self, u: float) -> float:
        """The value at cumulative probability ``u`` (0 < u < 1), as a plain number."""
        value = float(self.frozen().ppf(u))
        return float(round(value)) if self.integer else value

    def value(self, u: float) -> Any:
        """The value at ``u`` as it would be written in a scenario file."""
        return self.written(float(self.frozen().ppf(u)))

    @property
    def central(self) -> Any:
        """The median, as written in a scenario file (used to check the path)."""
        return self.value(0.5)


class UncertainBeta(_Uncertain):
    """Beta, by ``alpha`` and ``beta`` or by ``mean`` and ``sd``; optionally
    rescaled from (0, 1) to (``min``, ``max``)."""

    dist: Literal["beta"] = "beta"
    alpha: float | None = Field(default=None, gt=0, description="shape parameter alpha")
    beta: float | None = Field(default=None, gt=0, description="shape parameter beta")
    mean: float | None = Field(default=None, description="mean (with sd)")
    sd: float | None = Field(default=None, gt=0, description="standard deviation")
    min: float = Field(default=0.0, description="lower end of the rescaled range")
    max: float = Field(default=1.0, description="upper end of the rescaled range")

    @model_validator(mode="after")
    def _parametrised(self) -> UncertainBeta:
        by_shape = self.alpha is not None and self.beta is not None
        by_moments = self.mean is not None and self.sd is not None
        if by_shape == by_moments:
            raise ValueError("beta needs either alpha and beta, or mean and sd")
        if not self.min < self.max:
            raise ValueError("beta needs min < max")
        if by_moments:
            m, v = self._moments()
            if not 0 < m < 1 or v >= m * (1 - m):
                raise ValueError("beta: the mean must lie inside (min, max) and sd be small enough")
        return self

    def _moments(self) -> tuple[float, float]:
        """Mean and variance on (0, 1)."""
        assert self.mean is not None and self.sd is not None
        return (self.mean - self.min) / (self.max - self.min), (
            self.sd / (self.max - self.min)
        ) ** 2

    @property
    def shape(self) -> tuple[float, float]:
        if self.alpha is not None and self.beta is not None:
            return self.alpha, self.beta
        m, v = self._moments()
        common = m * (1 - m) / v - 1
        return m * common, (1 - m) * common

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        a, b = self.shape
        return stats.beta(a, b, loc=self.min, scale=self.max - self.min)


class UncertainNormal(_Uncertain):
    """Normal by ``mean`` and ``sd``, optionally truncated to [``min``, ``max``]."""

    dist: Literal["normal"] = "normal"
    mean: float = Field(description="mean")
    sd: float = Field(gt=0, description="standard deviation")
    min: float | None = Field(default=None, description="lower bound (default: none)")
    max: float | None = Field(default=None, description="upper bound (default: none)")

    @model_validator(mode="after")
    def _ordered(self):
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        if not low < high:
            raise ValueError("normal needs min < max")
        return self

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        a, b = (low - self.mean) / self.sd, (high - self.mean) / self.sd
        return stats.truncnorm(a, b, loc=self.mean, scale=self.sd)


class UncertainLognormal(Lognormal, _Uncertain):
    """Lognormal by ``mean`` and ``sd`` of the value itself, or by ``median`` and ``p90``."""

    mean_: float | None = Field(default=None, alias="mean", description="mean (with sd)")
    sd: float | None = Field(default=None, description="standard deviation")
    median: float | None = Field(default=None, description="median (with p90)")
    p90: float | None = Field(default=None, description="90th percentile")


class UncertainGamma(Gamma, _Uncertain):
    """Gamma by ``mean`` and ``sd``."""

    mean_: float = Field(alias="mean", description="mean")
    sd: float = Field(description="standard deviation")


class UncertainUniform(Uniform, _Uncertain):
    min: float = Field(description="lowest value")
    max: float = Field(description="highest value")


class UncertainTriangular(Triangular, _Uncertain):
    min: float = Field(description="lowest value")
    mode: float = Field(description="most likely value")
    max: float = Field(description="highest value")


UncertainParameter = Annotated[
    UncertainBeta
    | UncertainNormal
    | UncertainLognormal
    | UncertainGamma
    | UncertainUniform
    | UncertainTriangular,
    Field(discriminator="dist"),
]


class Range(_Written):
    """An interval of one parameter for a Latin hypercube or sensitivity analysis."""

    min: float = Field(description="lowest value")
    max: float = Field(description="highest value")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min < self.max:
            raise ValueError("a range needs min < max")
        return self

    def value(self, fraction: float) -> Any:
        """The value ``fraction`` (0..1) of the way from ``min`` to ``max``, as
        written in a scenario file."""
        return self.written(self.min + fraction * (self.max - self.min))


class LatinHypercube(_Frozen):
    samples: int = Field(ge=1, description="number of points")
    ranges: dict[str, Range] = Field(min_length=1, description="range per dotted path")


class Sweep(_Frozen):
    """Points at which to run a scenario: a full factorial grid or a Latin hypercube."""

    grid: dict[str, tuple[Any, ...]] | None = Field(
        default=None, description="values per dotted path; every combination is run"
    )
    latin_hypercube: LatinHypercube | None = Field(
        default=None, description="points spread over ranges (instead of grid)"
    )

    @model_validator(mode="after")
    def _one_design(self):
        if (self.grid is None) == (self.latin_hypercube is None):
            raise ValueError("give either grid or latin_hypercube")
        if self.grid is not None and (not self.grid or any(not v for v in self.grid.values())):
            raise ValueError("a grid needs at least one value for each parameter")
        return self
