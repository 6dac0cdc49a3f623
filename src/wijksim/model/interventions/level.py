"""A quantity over time and its integral, for the time averages of the reports."""

from __future__ import annotations


class Level:
    """A quantity over time and its integral (area), for time averages."""

    __slots__ = ("_area", "_last", "value")

    def __init__(self, now: float, value: float = 0.0):
        self.value = value
        self._area = 0.0
        self._last = now

    def set(self, now: float, value: float) -> None:
        self._area += self.value * (now - self._last)
        self._last = now
        self.value = value

    def area(self, now: float) -> float:
        return self._area + self.value * (now - self._last)
