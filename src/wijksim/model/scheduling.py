"""The one place that reaches into simpy's private fields, for speed.

The model schedules its own callbacks straight into the environment's event
queue: the same ``(time, priority, event id, event)`` entries that
``simpy.Timeout`` makes, with the same ids from the same counter, so its events
interleave with everyone else's (a caller's processes, other models) exactly
as timeouts would -- the test suite checks this against ``simpy.Timeout``. What
it saves is simpy's event object and the call overhead of
``Environment.schedule``: about a third of the engine's time per request.

Private fields used: ``Environment._queue``, ``Environment._eid``,
``Environment._now`` and ``Event._ok``/``_value``/``callbacks`` (simpy 4.1).
Outside this module, only the engine's hot paths (arrival, intake, closure,
the weekly tick, an intervention's funding check) read ``Environment._now``
(the ``now`` property costs a Python call: ~60 ns, a few percent of a request).
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import simpy
from simpy.core import NORMAL

__all__ = ["NORMAL", "Callback", "Scheduler", "Timer"]

T = TypeVar("T")


class Timer(Generic[T]):
    """A timeout for the model's own callbacks: all that ``Environment.step``
    needs of an event (``callbacks``, ``_ok``) and a ``value``, and no more."""

    __slots__ = ("callbacks", "value")
    _ok = True

    def __init__(self, callback: Callback[T], value: T):
        self.callbacks: list[Callback[T]] | None = [callback]
        self.value = value


#: What the engine's timers call: a function of the timer that fired.
Callback = Callable[[Timer[T]], None]
#: An entry of simpy's event queue: (time, priority, event id, event).
Entry = tuple[float, int, int, "Timer[Any] | simpy.Event"]


class Scheduler:
    """Schedules :class:`Timer` events into ``env``'s queue, as ``simpy.Timeout`` would.

    ``push`` and ``eid`` are exposed for the engine's hot paths, which build the
    entry ``(time, NORMAL, next(eid), event)`` themselves.
    """

    __slots__ = ("eid", "env", "push", "queue")

    def __init__(self, env: simpy.Environment):
        if not isinstance(env, simpy.Environment):
            raise TypeError(f"expected a simpy.Environment, got {type(env).__name__}")
        self.env = env
        self.queue = cast("list[Entry]", env._queue)
        self.push: Callable[[Entry], None] = functools.partial(heapq.heappush, self.queue)
        self.eid = env._eid

    def after(self, delay: float, callback: Callback[T], value: T) -> None:
        """Call ``callback(timer)`` in ``delay`` weeks; ``timer.value`` is ``value``."""
        self.push((self.env._now + delay, NORMAL, next(self.eid), Timer(callback, value)))

    def drop(self, stale: Callable[[Timer[Any] | simpy.Event], bool]) -> int:
        """Remove the events for which ``stale(event)`` holds from the queue.

        Entries are unique ``(time, priority, id)`` keys, so re-heaping the rest
        changes nothing in the order in which they fire. Returns how many went.
        """
        queue = self.queue
        kept = [entry for entry in queue if not stale(entry[3])]
        dropped = len(queue) - len(kept)
        if dropped:
            queue[:] = kept  # in place: the environment and ``push`` hold this list
            heapq.heapify(queue)
        return dropped
