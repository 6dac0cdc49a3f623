"""Test helpers: small scenarios, an M/M/c factory, comparison of figures.

Scenarios here are kept small so that the whole suite stays fast; the helpers
return plain data (a dict as a scenario file would hold it) or a validated
:class:`wijksim.Scenario`. Imported by the tests as ``from helpers import ...``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wijksim
from wijksim.scenario.units import WEEKS_PER_YEAR, parse_duration

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "baseline.yaml"


# -- M/M/c ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MMC:
    """An M/M/c scenario and the parameters of the matching textbook queue.

    Rates and times are per week.
    """

    scenario: wijksim.Scenario
    servers: int
    arrival_rate: float
    mean_service: float

    @property
    def load(self) -> float:
        """Utilisation per server, rho = lambda / (c mu)."""
        return self.arrival_rate * self.mean_service / self.servers


def requests_per_1000_for(rate_per_week: float, residents: int = 1000) -> float:
    """Requests per 1,000 residents per year that make ``rate_per_week`` requests per
    week among ``residents`` (residents are a whole number, so the rate is set here)."""
    return rate_per_week * WEEKS_PER_YEAR * 1000.0 / residents


def mmc_data(
    servers: int,
    load: float,
    *,
    mean_service: str = "1 week",
    horizon: str = "2000 weeks",
    warmup: str = "200 weeks",
    queue: str = "fifo",
) -> dict[str, Any]:
    """Scenario data for an M/M/c queue with ``servers`` slots at utilisation ``load``.

    One theme and one severity (weight 1), a ceiling of one case per FTE and
    ``fte = servers``; exponential durations; Poisson arrivals; nobody gives
    up, escalates or comes back; nothing is settled at intake.
    """
    service = parse_duration(mean_service)
    rate = load * servers / service
    requests_per_1000 = requests_per_1000_for(rate)
    return {
        "name": f"M/M/{servers} at {load}",
        "horizon": horizon,
        "warmup": warmup,
        "neighbourhood": {
            "residents": 1000,
            "settled_at_intake": 0.0,
            "severity_mix": {"regular": 1.0},
            "duration": {"regular": {"dist": "exponential", "mean": mean_service}},
            "themes": {"debts": {"requests_per_1000": requests_per_1000}},
        },
        "team": {
            "fte": servers,
            "caseload_ceiling_per_fte": 1,
            "case_weight": {"regular": 1},
            "contact_hours_per_week": {"regular": 1.0},
            "queue": queue,
        },
    }


def make_mmc(servers: int, load: float, **kwargs) -> MMC:
    data = mmc_data(servers, load, **kwargs)
    scenario = wijksim.Scenario.model_validate(data)
    service = parse_duration(kwargs.get("mean_service", "1 week"))
    return MMC(scenario, servers, load * servers / service, service)


# -- a small scenario with every mechanism switched on ---------------------------------

RICH: dict[str, Any] = {
    "name": "rich",
    "horizon": "80 weeks",
    "warmup": "10 weeks",
    "neighbourhood": {
        "residents": 4000,
        "settled_at_intake": 0.3,
        "severity_mix": {"light": 0.4, "regular": 0.45, "complex": 0.15},
        "duration": {
            "light": {"dist": "lognormal", "median": "4 weeks", "p90": "10 weeks"},
            "regular": {"dist": "gamma", "mean": "3 months", "sd": "2 months"},
            "complex": {"dist": "weibull", "shape": 1.5, "scale": "6 months"},
        },
        "themes": {
            "debts": {
                "requests_per_1000": 40,
                "monthly_profile": [1.3, 1.1, 1, 1, 1, 0.8, 0.7, 0.8, 1, 1.1, 1.1, 1.1],
            },
            "loneliness": {
                "requests_per_1000": 20,
                "severity_mix": {"light": 0.7, "regular": 0.3},
                "duration": {"light": {"dist": "uniform", "min": "1 week", "max": "5 weeks"}},
            },
        },
    },
    "team": {
        "fte": 5,
        "caseload_ceiling_per_fte": 12,
        "case_weight": {"light": 0.5, "regular": 1.0, "complex": 2.0},
        "contact_hours_per_week": {"light": 0.5, "regular": 1.0, "complex": 1.5},
        "intake_time": "1.5 hours",
        "queue": "fifo",
        "patience": {"dist": "exponential", "mean": "10 weeks"},
        "escalation": {"hazard_per_week": 0.05},
        "recurrence": {
            "probability": 0.3,
            "delay": {"dist": "triangular", "min": "1 week", "mode": "4 weeks", "max": "20 weeks"},
        },
    },
    "initial_state": {"caseload": 20, "waiting_list": 6},
}


def rich_data(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """A deep copy of :data:`RICH` with values set by dotted path."""
    data = copy.deepcopy(RICH)
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def rich_scenario(overrides: dict[str, Any] | None = None) -> wijksim.Scenario:
    return wijksim.Scenario.model_validate(rich_data(overrides))


#: A small valid scenario file (two themes, two severities).
SMALL_YAML = """\
name: test
horizon: 20 weeks
warmup: 2 weeks
neighbourhood:
  residents: 5000
  settled_at_intake: 0.2
  severity_mix: {light: 0.6, heavy: 0.4}
  duration:
    light: {dist: exponential, mean: 4 weeks}
    heavy:
      dist: lognormal
      median: 3 months
      p90: 9 months
  themes:
    debts:
      requests_per_1000: 20
      monthly_profile: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    loneliness:
      requests_per_1000: 10
team:
  fte: 2
  caseload_ceiling_per_fte: 15
  case_weight: {light: 0.5, heavy: 1.5}
  contact_hours_per_week: {light: 0.5, heavy: 1.5}
  intake_time: 1 hour
"""


# -- comparing results ----------------------------------------------------------------


def same_numbers(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    """Equal key by key, bit for bit, with NaN equal to NaN (dicts or Series)."""
    a, b = dict(a), dict(b)
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        if x != y:
            return False
    return True


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")
