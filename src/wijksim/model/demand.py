"""Demand: Poisson arrivals per theme, varying by month, growing, with shocks.

Each theme's potential requests arrive from a :class:`Demand` (the engine
calls :meth:`Demand.next_gap` at each arrival); growth and shocks are a factor
on a theme's request rate, week by week (:class:`Growth`).

"Mopping with the tap open": requests rise with wider developments (a yearly
trend per theme) and with crises (dated shocks that fade). The factor only
changes the *rate*; arrivals still come from the theme's own stream through the
integrated rate, so potential requests are the same in every scenario that
differs only in provisions (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

from ..scenario.calendar import month_offset
from ..scenario.schema import Scenario, Shock
from ..scenario.units import WEEKS_PER_MONTH, WEEKS_PER_YEAR
from ..streams import Streams


class Growth:
    """The factor on one theme's rate in week ``w`` (weeks since the start),
    taken at the middle of the week and kept once computed."""

    __slots__ = ("_factors", "shocks", "trend")

    def __init__(self, trend_per_year: float, shocks: tuple[Shock, ...]):
        self.trend = trend_per_year
        self.shocks = shocks
        self._factors: list[float] = []

    def __call__(self, week: int) -> float:
        factors = self._factors
        while len(factors) <= week:
            factors.append(self.at(len(factors) + 0.5))
        return factors[week]

    def at(self, t: float) -> float:
        """The factor at ``t`` weeks since the start."""
        factor = (1.0 + self.trend) ** (t / WEEKS_PER_YEAR)
        for shock in self.shocks:
            since = t - shock.start
            if 0.0 <= since < shock.duration:
                left = 1.0 - since / shock.duration if shock.fades else 1.0
                factor *= 1.0 + shock.increase * left
        return factor


def growth(scenario: Scenario, theme: str) -> Growth | None:
    """The growth of ``theme``'s requests, or None when its rate is constant."""
    trend = scenario.neighbourhood.themes[theme].trend_per_year
    shocks = tuple(s for s in scenario.shocks if theme in s.themes and s.increase != 0.0)
    if trend == 0.0 and not shocks:
        return None
    return Growth(trend, shocks)


def arrivals(scenario: Scenario, streams: Streams) -> Iterator[tuple[float, Demand]]:
    """Per theme with a rate, in the order of the themes: the weeks to its first
    arrival and its :class:`Demand` (a theme whose first arrival never comes is
    left out)."""
    hood = scenario.neighbourhood
    offset = month_offset(scenario.start_date)
    for t, (name, theme) in enumerate(hood.themes.items()):
        per_week = hood.residents / 1000.0 * theme.requests_per_1000 / WEEKS_PER_YEAR
        if per_week <= 0:
            continue
        source = Demand(
            t,
            per_week,
            theme.monthly_profile,
            streams.exponentials(f"demand.{name}"),
            offset,
            growth(scenario, name),
        )
        gap = source.next_gap(0.0)
        if gap < math.inf:
            yield gap, source


#: An arrival further away than this (weeks) is taken as none: a rate that has
#: (nearly) vanished would otherwise be walked month by month for ever.
NO_ARRIVAL_WITHIN = 1000 * WEEKS_PER_YEAR


class Demand:
    """Poisson arrivals of one theme, optionally varying by month and growing.

    A unit-rate exponential from the theme's stream is mapped through the
    integrated rate (time change), so a seasonal profile, a trend or a shock
    costs one draw per arrival and changing them never shifts the stream.
    Months are of equal length, counted from January: ``offset`` (weeks) places
    the start in the year when the scenario has a ``start_date``.
    """

    __slots__ = ("growth", "offset", "per_week", "profile", "theme", "unit_gap")

    def __init__(
        self,
        theme: int,
        per_week: float,
        profile: Sequence[float] | None,
        unit_gap: Callable[[], float],
        offset: float = 0.0,
        growth: Growth | None = None,
    ):
        self.theme = theme
        self.per_week = per_week
        self.profile: list[float] | None = None  # rates per week, by month
        if profile is not None:
            mean = sum(profile) / len(profile)
            # f / mean first: per_week * f may overflow to infinity for a huge factor
            # (an infinite rate: every gap zero, and time would stand still)
            self.profile = [per_week * (f / mean) for f in profile]
        elif growth is not None:
            self.profile = [per_week] * 12
        self.unit_gap = unit_gap
        self.offset = offset
        self.growth = growth

    def next_gap(self, t: float) -> float:
        """Weeks from ``t`` (weeks since the model started) to the next arrival."""
        gap = self.unit_gap()
        profile = self.profile
        if profile is None:
            return gap / self.per_week
        if self.growth is not None:
            return self._growing_gap(t, gap, profile, self.growth)
        # walk month by month (counted, not recomputed from t: no rounding loops)
        offset = self.offset
        month = math.floor((t + offset) / WEEKS_PER_MONTH)
        at = t
        never = t + NO_ARRIVAL_WITHIN
        while at < never:
            end = (month + 1) * WEEKS_PER_MONTH - offset
            rate = profile[month % 12]
            if rate * (end - at) >= gap:
                return at + gap / rate - t
            gap -= rate * (end - at)
            at, month = end, month + 1
        return math.inf

    def _growing_gap(self, t: float, gap: float, profile: list[float], growth: Growth) -> float:
        """As :meth:`next_gap`, walking pieces that end at a month's or a week's end
        (the growth factor is constant within a week)."""
        offset = self.offset
        month = math.floor((t + offset) / WEEKS_PER_MONTH)
        week = math.floor(t)
        at = t
        never = t + NO_ARRIVAL_WITHIN
        while at < never:
            month_end = (month + 1) * WEEKS_PER_MONTH - offset
            week_end = week + 1.0
            end = min(month_end, week_end)
            rate = profile[month % 12] * growth(week)
            if rate * (end - at) >= gap:
                return at + gap / rate - t
            gap -= rate * (end - at)
            at = end
            if month_end <= end:
                month += 1
            if week_end <= end:
                week += 1
        return math.inf


__all__ = ["NO_ARRIVAL_WITHIN", "Demand", "Growth", "arrivals", "growth"]
