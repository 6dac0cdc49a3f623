"""What a selection is asked and what it finds: the :class:`Sampler` it reads
replications from, the :class:`Settings` (with each limit's :class:`Bound`) and
the :class:`Selection` it returns (see :mod:`.procedures` for the statistics).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

Status = Literal["selected", "eliminated", "outside", "screened", "left", "stopped"]


class Sampler(Protocol):
    """Replications of ``k`` systems, on demand.

    ``extend(systems, size)`` makes sure each of ``systems`` has at least
    ``size`` replications (replication ``r`` of every system paired with
    replication ``r`` of every other; it may run others along, and they are
    counted as spent); ``outputs(i)`` is an array of shape
    ``(replications of i, 1 + limits)``: the objective, then each limit's
    figure, as the simulation reports them (not oriented).
    """

    @property
    def systems(self) -> int: ...

    def extend(self, systems: Sequence[int], size: int) -> None: ...

    def outputs(self, system: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Bound:
    """A limit on a figure's mean: at most ``bound`` (``upper``) or at least,
    told apart within ``epsilon``."""

    bound: float
    upper: bool
    epsilon: float


@dataclass(frozen=True)
class Settings:
    """The parameters of a selection (see the module docstring)."""

    delta: float
    maximise: bool = True
    procedure: Literal["kn++", "kn", "ocba"] = "kn++"
    alpha: float = 0.05
    first_stage: int = 10
    max_replications: int = 200
    limits: tuple[Bound, ...] = ()
    screen_above: int = 200
    #: OCBA: replications of all systems together (default: 4 x first_stage each)
    total: int | None = None
    #: KN and KN++ look at every r; replications are asked for in steps that
    #: grow by this share of r (a step's replications of systems eliminated
    #: within it are spent but change no decision)
    growth: float = 0.25

    def __post_init__(self) -> None:
        if not (math.isfinite(self.delta) and self.delta > 0):
            raise ValueError(f"delta must be a positive number, not {self.delta!r}")
        if not 0 < self.alpha < 0.5:
            raise ValueError(f"alpha must lie between 0 and 0.5, not {self.alpha!r}")
        if self.first_stage < 3:
            raise ValueError("first_stage must be at least 3")
        if self.max_replications < self.first_stage:
            raise ValueError("max_replications must be at least first_stage")
        for limit in self.limits:
            if not (math.isfinite(limit.epsilon) and limit.epsilon > 0):
                raise ValueError(f"a limit's tolerance must be positive, not {limit.epsilon!r}")


@dataclass
class Selection:
    """What a selection found.

    ``status[i]``: ``selected``, ``eliminated`` (a better system within the
    limits beat it), ``outside`` (outside a limit), ``screened`` (dropped by
    the screen), ``left`` (in contention when the procedure stopped) or
    ``stopped`` (OCBA: every system not selected). ``at[i]``: the replication
    at which its status was settled; ``by[i]``: the system that eliminated it.
    ``within[i, c]``: +1 within limit ``c``, -1 outside, 0 not decided.
    ``guaranteed``: whether the procedure's guarantee applies (KN or KN++,
    stopped by its own rule); ``notes``: what the run did that a reader
    should know, each ``{"code": ..., **numbers}`` (words are the report's):
    ``capped`` (stopped at ``max_replications`` with ``left`` in contention),
    ``screened`` (``kept`` of ``of`` after the first stage), ``cut`` (only the
    ``most`` best went on, without a guarantee), ``ocba`` (``total``
    replications, ``step`` a round).
    """

    procedure: str
    k: int
    selected: int | None
    status: list[Status]
    at: list[int]
    by: list[int | None]
    within: np.ndarray
    replications: list[int]
    alphas: dict[str, float]
    constants: dict[str, float]
    guaranteed: bool
    notes: list[dict[str, Any]] = field(default_factory=list)
    looks: list[tuple[int, int]] = field(default_factory=list)
    good: list[int] = field(default_factory=list)
    pcs_estimate: float | None = None
    #: the one-sided level of each comparison of the good set, ``1 - alpha/(m - 1)``
    good_level: float | None = None

    @property
    def spent(self) -> int:
        """Replications run, of all systems together."""
        return int(sum(self.replications))


__all__ = ["Bound", "Sampler", "Selection", "Settings", "Status"]
