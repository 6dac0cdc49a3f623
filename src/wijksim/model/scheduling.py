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
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, cast

import simpy
from simpy.core import NORMAL

__all__ = ["NORMAL", "Callback", "Later", "Scheduler", "Timer"]

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
        dropped = _remove(self.queue, stale)
        if dropped:
            heapq.heapify(self.queue)
        return dropped


def _remove(entries: list[Entry], stale: Callable[[Timer[Any] | simpy.Event], bool]) -> int:
    """Remove the entries whose event is ``stale``, in place (the environment and
    ``push`` hold the queue's list); returns how many went."""
    kept = [entry for entry in entries if not stale(entry[3])]
    dropped = len(entries) - len(kept)
    if dropped:
        entries[:] = kept
    return dropped


class Later:
    """Timers due in a later week, held back in weekly buckets until the week
    before they are due; each keeps the event id it got when it was scheduled.

    simpy's event queue is a binary heap: every event costs a push and a pop
    of ``log n`` steps, and in a large wijk the heap holds every case's closure
    and every return on its way (35,000 entries at 1.8 million residents; 3,500
    at 180,000), so each step grows slower as well as more numerous (memory).
    Held back, only about two weeks' worth of timers are in the heap. Because
    the queue orders entries by ``(time, priority, event id)``, and an entry is
    in it before its time comes, when it was pushed does not matter: timers fire
    exactly where ``simpy.Timeout`` would, ties included (the test suite checks
    this). :meth:`week_passed` must be called once a week, from week 1 on (the
    engine's weekly tick does). Timers are held back only while the queue is
    longer than ``hold_above``: in a wijk of ordinary size the heap is small
    and a bucket would cost more than it saves.
    """

    __slots__ = ("buckets", "eid", "held", "hold_above", "open", "push", "queue", "start")

    def __init__(self, scheduler: Scheduler, start: float, hold_above: int = 2048):
        self.push, self.eid, self.queue = scheduler.push, scheduler.eid, scheduler.queue
        self.hold_above = hold_above
        self.start = start
        #: weeks from ``start`` below this are in the event queue already
        self.open = 2
        self.buckets: defaultdict[int, list[Entry]] = defaultdict(list)
        self.held = 0  # entries in the buckets

    def at(self, when: float, callback: Callback[T], value: T) -> None:
        """Call ``callback(timer)`` at time ``when``; ``timer.value`` is ``value``."""
        entry = (when, NORMAL, next(self.eid), Timer(callback, value))
        if len(self.queue) > self.hold_above:
            week = int(when - self.start)
            if week >= self.open:
                self.buckets[week].append(entry)
                self.held += 1
                return
        self.push(entry)

    def week_passed(self, week: int) -> None:
        """At the weekly tick of ``week``: the timers due in week ``week + 1``
        (a week ahead, so that drift in the tick's time never makes one late)
        go into the event queue."""
        buckets, push = self.buckets, self.push
        while self.open < week + 2:
            entries = buckets.pop(self.open, ())
            self.held -= len(entries)
            for entry in entries:
                push(entry)
            self.open += 1

    def drop(self, stale: Callable[[Timer[Any] | simpy.Event], bool]) -> int:
        """Remove the held-back timers for which ``stale(timer)`` holds; returns how many."""
        dropped = sum(_remove(entries, stale) for entries in self.buckets.values())
        self.held -= dropped
        return dropped

    def waiting(self) -> Iterator[Entry]:
        """The entries still held back (not yet in the event queue)."""
        for entries in self.buckets.values():
            yield from entries
