"""The family of distributions wijksim knows, with their formulas in one place.

Each distribution is a small frozen model with a ``dist`` tag. As parameters of
a scenario they are durations with units, held in weeks. A plain duration
string (``"4 months"``) is shorthand for ``{dist: fixed, value: 4 months}``.

Two ways to use one:

``spec.draws(rng)``
    a function that hands out one draw (in weeks) per call; it draws from
    ``rng`` in batches, which is what makes the engine fast.
``spec.frozen()``
    the same distribution as a frozen ``scipy.stats`` distribution, for
    quantiles (``ppf``): uncertain parameters (:mod:`.designs`) draw by
    inverse transform from it, with the same parametrisation as the engine.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from ..streams import BATCH, batched
from .units import DURATION_PATTERN, UNIT_WEEKS, Duration

#: Standard normal quantile at 0.9, for lognormal given by median and p90.
Z90 = 1.2815515655446004


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _fill(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def frozen(self) -> Any:  # pragma: no cover - members with a scipy form override
        """The distribution as a frozen ``scipy.stats`` distribution."""
        raise NotImplementedError(f"{self.dist} has no scipy form")  # type: ignore[attr-defined]

    def draws(self, rng: np.random.Generator, batch: int = BATCH) -> Callable[[], float]:
        """A zero-argument function returning the next draw in weeks."""
        return batched(lambda: self._fill(rng, batch)).__next__


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: Duration

    def mean(self) -> float:
        return self.value

    def draws(self, rng: np.random.Generator, batch: int = BATCH) -> Callable[[], float]:
        return itertools.repeat(self.value).__next__


class Exponential(_Dist):
    dist: Literal["exponential"] = "exponential"
    mean_: Duration = Field(alias="mean")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def mean(self) -> float:
        return self.mean_

    def _fill(self, rng, n):
        return rng.exponential(self.mean_, n)


class Gamma(_Dist):
    """Gamma by mean and standard deviation."""

    dist: Literal["gamma"] = "gamma"
    mean_: Duration = Field(alias="mean")
    sd: Duration

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _positive(self):
        if self.mean_ <= 0 or self.sd <= 0:
            raise ValueError("gamma needs a positive mean and sd")
        return self

    def mean(self) -> float:
        return self.mean_

    @property
    def shape_scale(self) -> tuple[float, float]:
        """Shape and scale of the gamma with this mean and standard deviation."""
        return (self.mean_ / self.sd) ** 2, self.sd**2 / self.mean_

    def _fill(self, rng, n):
        return rng.gamma(*self.shape_scale, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        shape, scale = self.shape_scale
        return stats.gamma(shape, scale=scale)


class Lognormal(_Dist):
    """Lognormal by ``mean`` and ``sd``, or by ``median`` and ``p90``."""

    dist: Literal["lognormal"] = "lognormal"
    mean_: Duration | None = Field(default=None, alias="mean")
    sd: Duration | None = None
    median: Duration | None = None
    p90: Duration | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_parametrisation(self) -> Lognormal:
        mean, sd, median, p90 = self.mean_, self.sd, self.median, self.p90
        if mean is not None and sd is not None and median is None and p90 is None:
            if mean <= 0 or sd <= 0:
                raise ValueError("lognormal needs a positive mean and sd")
        elif median is not None and p90 is not None and mean is None and sd is None:
            if not 0 < median < p90:
                raise ValueError("lognormal needs 0 < median < p90")
        else:
            raise ValueError("lognormal needs either mean and sd, or median and p90")
        return self

    @property
    def mu_sigma(self) -> tuple[float, float]:
        """Parameters of the underlying normal distribution."""
        if self.median is not None and self.p90 is not None:
            return math.log(self.median), (math.log(self.p90) - math.log(self.median)) / Z90
        mean, sd = self.mean_, self.sd
        assert mean is not None and sd is not None  # the validator saw to it
        sigma2 = math.log1p((sd / mean) ** 2)
        return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)

    def mean(self) -> float:
        mu, sigma = self.mu_sigma
        return math.exp(mu + sigma**2 / 2)

    def _fill(self, rng, n):
        mu, sigma = self.mu_sigma
        return rng.lognormal(mu, sigma, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        mu, sigma = self.mu_sigma
        return stats.lognorm(sigma, scale=math.exp(mu))


class Weibull(_Dist):
    dist: Literal["weibull"] = "weibull"
    shape: float = Field(gt=0)
    scale: Duration

    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    def _fill(self, rng, n):
        return self.scale * rng.weibull(self.shape, n)


class Triangular(_Dist):
    dist: Literal["triangular"] = "triangular"
    min: Duration
    mode: Duration
    max: Duration

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min <= self.mode <= self.max or self.min == self.max:
            raise ValueError("triangular needs min <= mode <= max and min < max")
        return self

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def _fill(self, rng, n):
        return rng.triangular(self.min, self.mode, self.max, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        width = self.max - self.min
        return stats.triang((self.mode - self.min) / width, loc=self.min, scale=width)


class Uniform(_Dist):
    dist: Literal["uniform"] = "uniform"
    min: Duration
    max: Duration

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min < self.max:
            raise ValueError("uniform needs min < max")
        return self

    def mean(self) -> float:
        return (self.min + self.max) / 2

    def _fill(self, rng, n):
        return rng.uniform(self.min, self.max, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        return stats.uniform(self.min, self.max - self.min)


class Empirical(_Dist):
    """Resampling of observed durations: a list, or a column of a CSV file.

    ``csv`` is relative to the scenario file that names it; ``unit`` is the unit
    of the numbers in that column.
    """

    dist: Literal["empirical"] = "empirical"
    values: tuple[Duration, ...] | None = None
    csv: str | None = None
    column: str | None = None
    unit: str = "weeks"
    _samples: tuple[float, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _source(self):
        if (self.values is None) == (self.csv is None):
            raise ValueError("empirical needs either 'values' or 'csv' (with 'column')")
        if self.csv is not None:
            if self.column is None:
                raise ValueError("empirical from a CSV file needs 'column'")
            if self.unit.lower() not in UNIT_WEEKS:
                raise ValueError(f"unknown time unit {self.unit!r}")
            self._samples = _read_column(self.csv, self.column, self.unit)
        else:
            self._samples = self.values or ()
        if not self._samples:
            raise ValueError("empirical needs at least one value")
        if min(self._samples) < 0:
            raise ValueError("durations cannot be negative")
        return self

    def mean(self) -> float:
        return sum(self._samples) / len(self._samples)

    def _fill(self, rng, n):
        return rng.choice(np.asarray(self._samples), n)


def _read_column(path: str, column: str, unit: str) -> tuple[float, ...]:
    factor = UNIT_WEEKS[unit.lower()]
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    if rows and column not in rows[0]:
        raise ValueError(f"{path} has no column {column!r} (columns: {', '.join(rows[0])})")
    values = []
    for line, row in enumerate(rows, start=2):
        text = (row.get(column) or "").strip()
        if not text:
            continue
        try:
            values.append(float(text.replace(",", ".")) * factor)
        except ValueError:
            raise ValueError(f"{path}:{line}: {column}: not a number: {text!r}") from None
    return tuple(values)


def _shorthand(value: object) -> object:
    """``"4 months"`` means a fixed duration."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


class _ShorthandJsonSchema:
    """In the JSON Schema, a distribution may also be a plain duration (fixed)."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        return {
            "anyOf": [
                handler(core_schema),
                {
                    "type": "string",
                    "pattern": DURATION_PATTERN,
                    "description": "a fixed duration, e.g. '4 months'",
                },
            ]
        }


#: Any duration distribution; in a scenario file a mapping with a ``dist`` key,
#: or a plain duration string for a fixed value.
Distribution = Annotated[
    Fixed | Exponential | Gamma | Lognormal | Weibull | Triangular | Uniform | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_shorthand),
    _ShorthandJsonSchema(),
]
