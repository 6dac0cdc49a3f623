"""Parameter uncertainty: values drawn once per replication.

Each uncertain value has its own random stream, named ``uncertain.<path>`` and
seeded from the replication's seed, apart from the streams of the model. So
replication ``r`` draws the same value in every scenario of a comparison that
declares the parameter alike (common random numbers for parameters too), and
declaring one more uncertain value changes no other draw.
"""

from __future__ import annotations

from typing import Any

from ..scenario import Problem, Scenario, ScenarioError
from ..scenario.size import check_work
from ..streams import Seed, Streams


def draw_parameters(scenario: Scenario, seed: Seed) -> dict[str, Any]:
    """The uncertain values of one replication, as written in a scenario file."""
    if not scenario.uncertain:
        return {}
    streams = Streams(seed)
    return {
        path: spec.value(float(streams.rng(f"uncertain.{path}").random()))
        for path, spec in scenario.uncertain.items()
    }


def realise(scenario: Scenario, seed: Seed) -> tuple[Scenario, dict[str, Any]]:
    """The scenario of one replication with its uncertain values drawn and set.

    Returns the scenario (with neither ``uncertain`` nor ``sweep`` left) and the
    values drawn.
    """
    values = draw_parameters(scenario, seed)
    if values:
        scenario = scenario.with_overrides(values)
    if scenario.uncertain is not None or scenario.sweep is not None:
        scenario = scenario.model_copy(update={"uncertain": None, "sweep": None})
    return scenario, values


#: How far into its tails an uncertain value is checked before an experiment:
#: one draw in a million falls further out.
TAIL = 1e-6


def check_uncertain(scenario: Scenario, *, force: bool = False, source: str | None = None) -> None:
    """Raise :class:`ScenarioError` if an uncertain path or value is not valid, or
    its draws can make a run absurd: each value at its median (the others as
    written), all at their medians, and each at either end of its draws (the
    one-in-a-million quantiles, the others at their medians) make a valid
    scenario whose work passes :func:`~wijksim.scenario.size.check_work`
    (``force`` as there). Each problem names the uncertain value to blame."""
    if not scenario.uncertain:
        return
    source = source or scenario.name
    specs = scenario.uncertain
    central = {path: spec.central for path, spec in specs.items()}

    def check(path: str, values: dict[str, Any], where: str) -> None:
        try:
            check_work(scenario.with_overrides(values), force=force, source=source)
        except ScenarioError as exc:
            reasons = "; ".join(
                f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems
            )
            message = f"{where} {values[path]!r}; there {reasons}" if path else reasons
            raise ScenarioError([Problem(source, None, f"uncertain.{path}", message)]) from None

    for path in specs:
        check(path, {path: central[path]}, "its median is")
    for path, spec in specs.items():
        for u in (TAIL, 1.0 - TAIL):
            try:
                value = spec.value(u)
            except (ValueError, OverflowError):  # a NaN or infinite quantile, rounded
                value = float(spec.frozen().ppf(u))
            end = "lowest" if u < 0.5 else "highest"
            check(
                path,
                {**central, path: value},
                f"its {end} draws (one in a million go further) reach",
            )


def numeric(value: Any) -> float:
    """A drawn value as a number (durations in their own unit, e.g. ``"1.5 hours"`` -> 1.5)."""
    if isinstance(value, str):
        return float(value.split()[0])
    return float(value)
