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
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from .base import Positive
from .files import MAX_CSV_BYTES, UnreadableFile, checked_path
from .problems import DrawError
from .units import DURATION_PATTERN, UNIT_WEEKS, Duration

if TYPE_CHECKING:  # numpy is imported where draws are made: validating needs none of it
    import numpy as np

#: Standard normal quantile at 0.9, for lognormal given by median and p90.
Z90 = 1.2815515655446004


class _Dist(BaseModel):
    # defer_build: validators are built on first use, not on import (issue 20:
    # a worker given a scenario, or ``import wijksim; wijksim.simulate``, needs none)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _fill(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def frozen(self) -> Any:  # pragma: no cover - members with a scipy form override
        """The distribution as a frozen ``scipy.stats`` distribution."""
        raise NotImplementedError(f"{self.dist} has no scipy form")  # type: ignore[attr-defined]

    def tail(self) -> float:
        """A duration (weeks) that draws almost never exceed (about the 1 - 1e-12 quantile)."""
        return 28.0 * self.mean()

    @model_validator(mode="after")
    def _finite_draws(self):
        """Refuse parameters whose draws would overflow to infinity or NaN."""
        try:
            finite = math.isfinite(self.mean()) and math.isfinite(self.tail())
        except (AssertionError, TypeError, ZeroDivisionError):  # missing or zero: own check says
            return self
        except (OverflowError, ValueError):
            finite = False
        if not finite:
            kind = self.dist  # type: ignore[attr-defined]
            raise ValueError(f"{kind} parameters too extreme: draws would not be finite")
        return self

    def length_biased(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (weeks) from the length-biased law, density ``x f(x) / mean``:
        the total duration of a case found in care at a random moment."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides

    def draws(self, rng: np.random.Generator, batch: int | None = None) -> Callable[[], float]:
        """A zero-argument function returning the next draw in weeks (drawn in
        batches of ``batch``, by default :data:`wijksim.streams.BATCH`)."""
        from ..streams import BATCH, batched

        return batched(
            lambda n: self._checked(self._fill(rng, n)), BATCH if batch is None else batch
        ).__next__

    def _checked(self, values: np.ndarray) -> np.ndarray:
        """The batch, if every draw is a finite, non-negative duration: a NaN or
        infinite time would corrupt the event queue and end a run early."""
        import numpy as np

        if not (np.isfinite(values).all() and (values >= 0).all()):
            bad = values[~(np.isfinite(values) & (values >= 0))][0]
            kind = self.dist  # type: ignore[attr-defined]
            raise DrawError(f"a {kind} distribution ({self!r}) drew {bad} weeks")
        return values


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: Duration = Field(description="the duration, always the same")

    def mean(self) -> float:
        return self.value

    def tail(self) -> float:
        return self.value

    def length_biased(self, rng, n):
        import numpy as np

        return np.full(n, self.value)

    def draws(self, rng: np.random.Generator, batch: int | None = None) -> Callable[[], float]:
        return itertools.repeat(self.value).__next__


class Exponential(_Dist):
    dist: Literal["exponential"] = "exponential"
    mean_: Duration = Field(alias="mean", description="mean")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def mean(self) -> float:
        return self.mean_

    def _fill(self, rng, n):
        return rng.exponential(self.mean_, n)

    def length_biased(self, rng, n):
        return rng.gamma(2.0, self.mean_, n)


class Gamma(_Dist):
    """Gamma by mean and standard deviation."""

    dist: Literal["gamma"] = "gamma"
    mean_: Duration = Field(alias="mean", description="mean")
    sd: Duration = Field(description="standard deviation")

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

    def tail(self) -> float:
        shape, scale = self.shape_scale
        return scale * (shape + 30.0 + 8.0 * math.sqrt(30.0 * shape))

    def _fill(self, rng, n):
        return rng.gamma(*self.shape_scale, n)

    def length_biased(self, rng, n):
        shape, scale = self.shape_scale
        return rng.gamma(shape + 1.0, scale, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        shape, scale = self.shape_scale
        return stats.gamma(shape, scale=scale)


class Lognormal(_Dist):
    """Lognormal by ``mean`` and ``sd``, or by ``median`` and ``p90``."""

    dist: Literal["lognormal"] = "lognormal"
    mean_: Duration | None = Field(default=None, alias="mean", description="mean (with sd)")
    sd: Duration | None = Field(default=None, description="standard deviation")
    median: Duration | None = Field(default=None, description="median (with p90)")
    p90: Duration | None = Field(default=None, description="90th percentile")

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

    def tail(self) -> float:
        mu, sigma = self.mu_sigma
        return math.exp(mu + 7.1 * sigma)

    def _fill(self, rng, n):
        mu, sigma = self.mu_sigma
        return rng.lognormal(mu, sigma, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        mu, sigma = self.mu_sigma
        return stats.lognorm(sigma, scale=math.exp(mu))

    def length_biased(self, rng, n):
        mu, sigma = self.mu_sigma
        return rng.lognormal(mu + sigma**2, sigma, n)


class Weibull(_Dist):
    dist: Literal["weibull"] = "weibull"
    shape: Positive = Field(description="shape k (1: exponential), a number")
    scale: Duration = Field(description="scale")

    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    def tail(self) -> float:
        return self.scale * 28.0 ** (1 / self.shape)

    def _fill(self, rng, n):
        return self.scale * rng.weibull(self.shape, n)

    def length_biased(self, rng, n):
        # (X / scale) ** shape of a length-biased Weibull is Gamma(1 + 1 / shape)
        return self.scale * rng.gamma(1.0 + 1.0 / self.shape, 1.0, n) ** (1.0 / self.shape)


class Triangular(_Dist):
    dist: Literal["triangular"] = "triangular"
    min: Duration = Field(description="shortest")
    mode: Duration = Field(description="most likely")
    max: Duration = Field(description="longest")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min <= self.mode <= self.max or self.min == self.max:
            raise ValueError("triangular needs min <= mode <= max and min < max")
        return self

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def tail(self) -> float:
        return self.max

    def _fill(self, rng, n):
        return rng.triangular(self.min, self.mode, self.max, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        width = self.max - self.min
        return stats.triang((self.mode - self.min) / width, loc=self.min, scale=width)

    def length_biased(self, rng, n):
        # rejection: accept a draw x with probability x / max
        import numpy as np

        out = np.empty(0)
        while out.size < n:
            x = rng.triangular(self.min, self.mode, self.max, 2 * n)
            out = np.concatenate([out, x[rng.random(2 * n) * self.max < x]])
        return out[:n]


class Uniform(_Dist):
    dist: Literal["uniform"] = "uniform"
    min: Duration = Field(description="shortest")
    max: Duration = Field(description="longest")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min < self.max:
            raise ValueError("uniform needs min < max")
        return self

    def mean(self) -> float:
        return (self.min + self.max) / 2

    def tail(self) -> float:
        return self.max

    def _fill(self, rng, n):
        return rng.uniform(self.min, self.max, n)

    def frozen(self) -> Any:
        from scipy import stats  # imported late: it is slow to import

        return stats.uniform(self.min, self.max - self.min)

    def length_biased(self, rng, n):
        # inverse of the CDF (x^2 - min^2) / (max^2 - min^2)
        import numpy as np

        low, high = self.min**2, self.max**2
        return np.sqrt(low + rng.random(n) * (high - low))


class Empirical(_Dist):
    """Resampling of observed durations: a list, or a column of a CSV file.

    ``csv`` is relative to the scenario file that names it; ``unit`` is the unit
    of the numbers in that column. Validating reads the file.
    """

    dist: Literal["empirical"] = "empirical"
    values: tuple[Duration, ...] | None = Field(default=None, description="observed durations")
    csv: str | None = Field(default=None, description="CSV file, relative to the scenario")
    column: str | None = Field(default=None, description="column of the CSV file")
    unit: str = Field(default="weeks", description="unit of the numbers in the column")
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
        return math.fsum(self._samples) / len(self._samples)

    def tail(self) -> float:
        return max(self._samples)

    def _fill(self, rng, n):
        import numpy as np

        return rng.choice(np.asarray(self._samples), n)

    def length_biased(self, rng, n):
        import numpy as np

        samples = np.asarray(self._samples)
        total = samples.sum()
        return rng.choice(samples, n, p=samples / total if total > 0 else None)


def _read_column(path: str, column: str, unit: str) -> tuple[float, ...]:
    factor = UNIT_WEEKS[unit.lower()]
    try:
        with checked_path(path, MAX_CSV_BYTES).open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except UnreadableFile as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    if rows and column not in rows[0]:
        names = [str(name) for name in rows[0]]
        # name the columns only if they look like a header, not like a file's content
        shown = (
            path.lower().endswith(".csv")
            and all(n.isidentifier() and len(n) <= 40 for n in names)
            and len(names) <= 20
        )
        listed = f" (columns: {', '.join(names)})" if shown else ""
        raise ValueError(f"{path} has no column {column!r}{listed}")
    values = []
    for line, row in enumerate(rows, start=2):
        text = (row.get(column) or "").strip()
        if not text:
            continue
        try:
            value = float(text.replace(",", ".")) * factor
        except ValueError:
            raise ValueError(f"{path}:{line}: {column}: not a number") from None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{path}:{line}: {column}: not a finite, non-negative duration")
        values.append(value)
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
