"""Growing demand and shocks: a factor on a theme's request rate, week by week.

"Mopping with the tap open": requests rise with wider developments (a yearly
trend per theme) and with crises (dated shocks that fade). The factor only
changes the *rate*; arrivals still come from the theme's own stream through the
integrated rate, so potential requests are the same in every scenario that
differs only in provisions (common random numbers).
"""

from __future__ import annotations

from ..scenario.schema import Scenario, Shock
from ..scenario.units import WEEKS_PER_YEAR


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


__all__ = ["Growth", "growth"]
