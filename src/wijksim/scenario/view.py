"""What a provision's spec reads of the scenario it is part of: a protocol.

A spec's :meth:`~wijksim.scenario.interventions.InterventionSpec.work` and the
prices of its :class:`~wijksim.scenario.interventions.Booking` are given the
scenario; they are typed by these protocols, so that the specs need not
import the schema that holds them (a :class:`~wijksim.scenario.Scenario` is a
:class:`ScenarioView`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from .pools import VolunteerPool


class ThemeView(Protocol):
    """Demand for one theme."""

    @property
    def requests_per_1000(self) -> float: ...


class NeighbourhoodView(Protocol):
    """The residents and their demand."""

    @property
    def residents(self) -> int: ...

    @property
    def themes(self) -> Mapping[str, ThemeView]: ...


class ScenarioView(Protocol):
    """The parts of a scenario a provision's spec reads."""

    @property
    def horizon(self) -> float: ...

    @property
    def warmup(self) -> float: ...

    @property
    def neighbourhood(self) -> NeighbourhoodView: ...

    @property
    def volunteers(self) -> Mapping[str, VolunteerPool]: ...
