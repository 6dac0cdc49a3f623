"""How much work a scenario asks for, estimated before running it.

A valid scenario can still be absurd (a billion residents, a horizon of ten
thousand years, a yearly trend of a million, a million cohorts a year): such a
run would never end or would fill memory. The estimate counts the events a run
schedules, by the key that causes them: requests over the horizon (with their
growth and shocks), returns, the initial state, weekly snapshots and what each
provision adds (cohorts, trigger events, hidden need; declared by the
provision, :meth:`~wijksim.InterventionSpec.work`). Above :data:`MAX_EVENTS` a
run is refused in words, naming the key that makes it so, unless the caller
insists (``--force``).

An experiment multiplies the work of a run by its replications (and a sweep by
its points), and keeps rows of results in memory for each replication:
:func:`check_experiment` refuses one above :data:`MAX_EXPERIMENT_EVENTS` or
:data:`MAX_ROWS` before anything is allocated.

Work no computer could finish (:data:`MOST_EVENTS`, :data:`MOST_ROWS`) is
refused even with ``--force``: a forced run must still end.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .problems import Problem, ScenarioError
from .schema import Scenario, Shock
from .steady import closure_rates
from .units import WEEKS_PER_YEAR

#: Events one run may schedule without ``--force`` (a few minutes' work).
MAX_EVENTS = 50_000_000
#: Events a whole experiment (every replication of every scenario or point) may
#: take without ``--force``: some hours of computing on one core.
MAX_EXPERIMENT_EVENTS = 10_000_000_000
#: Rows of results an experiment may keep in memory without ``--force`` (about
#: 50 bytes each: some gigabytes; the weekly series are most of them). The
#: shipped demo at its most (8 scenarios, 1,000 replications) keeps ~7e7.
MAX_ROWS = 100_000_000
#: Beyond these even ``--force`` does not run (weeks of computing, some fifty
#: gigabytes of results): a forced run must still end.
MOST_EVENTS = 1e13
MOST_ROWS = 1e9
#: Events per request: arrival, closure, and a share for patience and escalation.
EVENTS_PER_REQUEST = 3.0
#: What a replication costs besides its events (building the model, its summary
#: and tables), in events' worth: a billion replications of a tiny scenario are
#: not free.
EVENTS_PER_REPLICATION = 1000.0

REQUESTS = "neighbourhood.residents and themes.*.requests_per_1000 over the horizon"
INITIAL = "initial_state.caseload and initial_state.waiting_list"
HORIZON = "horizon"
RETURNS = "team.recurrence (a chain of returns: probability, delay and case durations)"
PENDING = "team.recurrence.delay (returns on their way at the start)"


@dataclass(frozen=True)
class Work:
    """The estimated work of one run: events by the key(s) that cause them, and
    the rows of results one replication keeps."""

    causes: Mapping[str, float]
    weeks: float
    #: rows of results one replication keeps without and with its weekly series
    rows: float = 0.0
    series_rows: float = 0.0
    extra: Mapping[str, float] = field(default_factory=dict)

    @property
    def events(self) -> float:
        total = math.fsum(self.causes.values())
        return total if math.isfinite(total) else math.inf  # inf - inf is no number

    @property
    def cause(self) -> str:
        """The key(s) behind the largest share of the work."""
        return max(self.causes, key=self.causes.__getitem__)

    @property
    def returns(self) -> float:
        """Returns on their way at the start, drawn one by one."""
        return self.causes.get(PENDING, 0.0)

    def kept_rows(self, timeseries: bool) -> float:
        return self.rows + (self.series_rows if timeseries else 0.0)


def estimate_work(scenario: Scenario) -> Work:
    """The events of one run of ``scenario``, by cause, and the rows it keeps."""
    horizon = scenario.horizon
    causes: dict[str, float] = {}

    def add(key: str, events: float) -> None:
        if events > 0 or math.isnan(events):
            causes[key] = causes.get(key, 0.0) + (math.inf if math.isnan(events) else events)

    requests = 0.0
    for key, arrivals in demand(scenario).items():
        add(key, EVENTS_PER_REQUEST * arrivals)
        requests += arrivals
    init = scenario.initial_state
    initial = init.caseload + init.waiting_list + len(init.rows)
    add(INITIAL, EVENTS_PER_REQUEST * initial)
    add(RETURNS, EVENTS_PER_REQUEST * (requests + initial) * returns_per_case(scenario))
    add(HORIZON, horizon)
    add(PENDING, _pending_returns(scenario))
    for spec in scenario.interventions:
        for name, events in spec.work(scenario).items():
            add(f"interventions.{spec.name}.{name}", events)
    causes.setdefault(HORIZON, 0.0)
    parts = len(scenario.interventions) + len(scenario.volunteers)
    rows = 40.0 + 10.0 * parts + horizon / WEEKS_PER_YEAR * (25.0 + 20.0 * parts)
    series = (horizon + 1.0) * (14.0 + 2.0 * len(scenario.themes))
    return Work(causes, horizon, rows, series)


def demand(scenario: Scenario) -> dict[str, float]:
    """Potential requests over the horizon, by the key that makes them: the
    residents and rates (at the monthly profile's peak), and what each theme's
    yearly trend and each shock adds to that."""
    hood, horizon = scenario.neighbourhood, scenario.horizon
    out: dict[str, float] = {}
    for name, theme in hood.themes.items():
        profile = theme.monthly_profile
        peak = max(profile) / (sum(profile) / len(profile)) if profile and sum(profile) else 1.0
        flat = hood.residents / 1000.0 * theme.requests_per_1000 * peak * horizon / WEEKS_PER_YEAR
        if flat <= 0:
            continue
        out[REQUESTS] = out.get(REQUESTS, 0.0) + flat
        shocks = [s for s in scenario.shocks if name in s.themes and s.increase != 0.0]
        # each cause adds what it grows the requests by, the trend first, then
        # the shocks in order (overlapping shocks: the later one takes the product)
        before = 1.0
        steps: list[tuple[str, list[Shock]]] = [(f"neighbourhood.themes.{name}.trend_per_year", [])]
        steps += [(f"shocks.{i}.increase", shocks[: k + 1]) for k, i in _shock_keys(scenario, name)]
        for key, applied in steps:
            mean = mean_growth(theme.trend_per_year, applied, horizon)
            if mean - before > 0:
                out[key] = out.get(key, 0.0) + flat * (mean - before)
            before = mean
    return out


def _shock_keys(scenario: Scenario, theme: str) -> list[tuple[int, int]]:
    """(position among the theme's shocks, index in ``scenario.shocks``)."""
    found = [i for i, s in enumerate(scenario.shocks) if theme in s.themes and s.increase != 0.0]
    return list(enumerate(found))


#: Pieces each stretch of the horizon is cut in to integrate the growth factor
#: (exact for a trend alone: the factor is exponential within a piece).
_PIECES = 64


def mean_growth(trend: float, shocks: Sequence[Shock], horizon: float) -> float:
    """The factor on a theme's requests (:class:`wijksim.model.demand.Growth`)
    averaged over the horizon; ``inf`` when it is too large for a float."""
    if trend == 0.0 and not shocks:
        return 1.0
    rate = math.log1p(trend) / WEEKS_PER_YEAR  # log of the trend's factor per week

    def log_factor(t: float) -> float:
        value = rate * t
        for shock in shocks:
            since = t - shock.start
            if 0.0 <= since < shock.duration:
                left = 1.0 - since / shock.duration if shock.fades else 1.0
                grown = 1.0 + shock.increase * left
                value += math.log(grown) if grown > 0 else -math.inf
        return value

    cuts = {0.0, horizon}
    for shock in shocks:
        cuts.update(min(max(t, 0.0), horizon) for t in (shock.start, shock.start + shock.duration))
    edges = sorted(cuts)
    logs: list[float] = []  # log of the integral over each piece
    for a, b in itertools.pairwise(edges):
        step = (b - a) / _PIECES
        if step <= 0:
            continue
        points = [a + k * step for k in range(_PIECES + 1)]
        # a shock ends just before b: the factor at b belongs to the next stretch
        values = [log_factor(t) for t in points[:-1]] + [log_factor(b - step * 1e-9)]
        for y0, y1 in itertools.pairwise(values):
            logs.append(_log_exp_integral(y0, y1, step))
    total = _log_sum(logs)
    try:
        return math.exp(total - math.log(horizon))
    except OverflowError:
        return math.inf


def _log_exp_integral(y0: float, y1: float, width: float) -> float:
    """log of the integral of exp(y) over a piece where y goes linearly from y0 to y1."""
    if y0 == -math.inf and y1 == -math.inf:
        return -math.inf
    top, gap = max(y0, y1), abs(y1 - y0)
    if gap < 1e-9 or math.isinf(gap):
        return top + math.log(width) - (math.log(2) if math.isinf(gap) else 0.0)
    return top + math.log(width) + math.log(-math.expm1(-gap)) - math.log(gap)


def _log_sum(logs: list[float]) -> float:
    top = max(logs, default=-math.inf)
    if top == -math.inf:
        return top
    return top + math.log(math.fsum(math.exp(x - top) for x in logs))


def returns_per_case(scenario: Scenario) -> float:
    """Returns one closed case brings in the end (its return, the return's
    return, ...): ``p + p^2 + ...`` for as many round trips (delay and a case)
    as the horizon holds; infinite when every case comes back at once and takes
    no time (time could never advance: :mod:`.rules` refuses that)."""
    recurrence = scenario.team.recurrence
    if recurrence is None or recurrence.probability <= 0:
        return 0.0
    p = recurrence.probability
    trip = recurrence.delay.mean() + min(
        (
            sum(share * scenario.duration(theme, s).mean() for s, share in mix.items())
            for theme in scenario.themes
            for mix in [scenario.severity_mix(theme)]
        ),
        default=0.0,
    )
    trips = scenario.horizon / trip if trip > 0 else math.inf
    if p >= 1.0:
        return trips
    if math.isinf(trips):
        return p / (1.0 - p)
    return p * -math.expm1(min(trips, 1e300) * math.log(p)) / (1.0 - p)


def _pending_returns(scenario: Scenario) -> float:
    """Returns on their way at the start (all of them are drawn, as
    ``model/initial.py`` does): cases closing per week before the run, times
    probability and mean delay."""
    recurrence, init = scenario.team.recurrence, scenario.initial_state
    if recurrence is None or not init.pending_returns:
        return 0.0
    return sum(closure_rates(scenario)) * recurrence.probability * recurrence.delay.mean()


def _limits(force: bool, events: float, most_events: float) -> tuple[float, str]:
    """The limit that applies, and how to pass it, in words."""
    if force:
        return most_events, "even with --force: no computer could finish it"
    return events, "without --force, or force=True in Python"


def check_work(scenario: Scenario, *, force: bool = False, source: str = "<scenario>") -> Work:
    """The work estimate; a :class:`ScenarioError` above :data:`MAX_EVENTS` unless
    ``force`` (and above :data:`MOST_EVENTS` even then)."""
    work = estimate_work(scenario)
    limit, how = _limits(force, MAX_EVENTS, MOST_EVENTS)
    if not work.events <= limit:
        message = (
            f"a run would take about {work.events:.2g} events (at most {limit:.0e} {how}), "
            f"because of {work.cause}"
        )
        raise ScenarioError([Problem(source, None, "", message)])
    return work


def check_experiment(
    works: Mapping[str, Work],
    replications: int,
    *,
    points: int = 1,
    timeseries: bool = True,
    force: bool = False,
    runs: str = "scenarios",
    fewer: str = "replications",
    source: str = "<experiment>",
) -> None:
    """Refuse an experiment of ``replications`` of each run in ``works`` (by
    label; ``points`` times over, for a design not yet made) whose events or
    rows kept exceed the limits. The message says how much work it is, what to
    give fewer of (``fewer``: ``replications``, ``--max-replications``) and the
    heaviest run's own cause. Cheap: nothing is allocated per replication."""
    if not works:
        return
    per_run = {label: w.events + EVENTS_PER_REPLICATION for label, w in works.items()}
    events = replications * points * math.fsum(per_run.values())
    rows = replications * points * math.fsum(w.kept_rows(timeseries) for w in works.values())
    heaviest = max(per_run, key=per_run.__getitem__)
    sizes = f"{len(works) * points:,} {runs} × {replications:,} replications"
    problems = []
    limit, how = _limits(force, MAX_EXPERIMENT_EVENTS, MOST_EVENTS)
    if not events <= limit:
        problems.append(
            f"{sizes} would take about {events:.2g} events (at most {limit:.0e} {how}); "
            f"give fewer {fewer} or a lighter scenario ({heaviest!r}: about "
            f"{per_run[heaviest]:.2g} events a replication, most because of "
            f"{works[heaviest].cause})"
        )
    limit, how = _limits(force, MAX_ROWS, MOST_ROWS)
    if not rows <= limit:
        advice = ", or keep no weekly series" if timeseries else ""
        problems.append(
            f"{sizes} would keep about {rows:.2g} rows of results in memory (at most "
            f"{limit:.0e} {how}); give fewer {fewer}{advice}"
        )
    if problems:
        raise ScenarioError([Problem(source, None, "", p) for p in problems])


__all__ = [
    "MAX_EVENTS",
    "MAX_EXPERIMENT_EVENTS",
    "MAX_ROWS",
    "MOST_EVENTS",
    "MOST_ROWS",
    "Work",
    "check_experiment",
    "check_work",
    "estimate_work",
]
