"""The steady state an initial caseload stands for: who enters care, who leaves.

Shared by the model's initial state (``model/initial.py``: which cases are in
care, which returns are on their way) and by the work estimate (``size.py``:
how many returns are drawn), so that the two count the same thing.
"""

from __future__ import annotations

from .schema import Scenario

#: A (theme, severity) pair, as indices into ``scenario.themes`` and ``.severities``.
Cell = tuple[int, int]


def entry_rates(scenario: Scenario) -> tuple[list[Cell], list[float]]:
    """(theme, severity) cells and the rate at which their requests reach the
    waiting list (demand x severity share, less the light ones settled at intake)."""
    hood = scenario.neighbourhood
    cells, rates = [], []
    for t, theme in enumerate(scenario.themes):
        mix = scenario.severity_mix(theme)
        for s, severity in enumerate(scenario.severities):
            kept = 1.0 - hood.settled_at_intake if s == 0 else 1.0
            cells.append((t, s))
            rates.append(hood.themes[theme].requests_per_1000 * mix[severity] * kept)
    return cells, rates


def mean_durations(scenario: Scenario, cells: list[Cell]) -> list[float]:
    """The mean case duration (weeks) of each cell."""
    themes, severities = scenario.themes, scenario.severities
    return [scenario.duration(themes[t], severities[s]).mean() for t, s in cells]


def closure_rates(scenario: Scenario) -> list[float]:
    """Cases closing per week in each theme before the run, by Little's law:
    cases in care (expected, from the counts, or registered) over their mean
    duration."""
    init = scenario.initial_state
    rates = [0.0] * len(scenario.themes)
    if init.caseload:
        cells, entry = entry_rates(scenario)
        means = mean_durations(scenario, cells)
        weight = sum(r * m for r, m in zip(entry, means, strict=True))
        if weight > 0:  # expected cases in a cell: caseload x r m / sum(r m)
            for (t, _), r in zip(cells, entry, strict=True):
                rates[t] += init.caseload * r / weight
    for row in init.rows:
        mean = scenario.duration(row.theme, row.severity).mean()
        if row.status != "waiting" and mean > 0:  # a case of no length is not in care
            rates[scenario.themes.index(row.theme)] += 1.0 / mean
    return rates
