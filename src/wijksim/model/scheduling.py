"""The one place that reaches into simpy's private fields, for speed: the
model's agenda and its clock.

The model keeps its own timers in a heap of its own (:class:`Agenda`) and
calls them in the order of the environment's event queue, with keys
``(time, priority, event id)`` from the environment's own counter, so they
interleave with everyone else's events (a caller's processes, other models)
exactly as ``simpy.Timeout`` would -- the test suite checks this against
``simpy.Timeout``, run with ``run`` and stepped by hand. What this saves is
simpy's event object, ``Environment.schedule`` and ``Environment.step`` for
each of the model's timers.

Private fields used, all of them here and nowhere else in the engine:
``Environment._queue`` (the heap: the wake-ups are pushed into it as entries
``(time, priority, event id, event)``), ``Environment._eid`` (the counter the
agenda's ids come from), ``Environment._now`` (read, and set while the agenda
calls its timers) and ``Event._ok``/``callbacks`` (simpy 4.1); and, through
``sys._getframe``, whether ``Environment.run`` is the caller of
``Environment.step`` (see :func:`_stepped_by_run`: it depends on simpy
calling an event's callbacks from ``step`` itself, one frame deep). The
layout of the agenda's entries (:data:`Own`) is known only here: the engine
schedules with :meth:`Agenda.at` and :meth:`Agenda.after`, and a timer that
re-arms itself (an arrival source) returns the time of its next call.

The clock: :attr:`Agenda.now` is the time of the timer the agenda is calling
(set as it calls each), so the engine's hot paths read the time as an
attribute (``Environment.now`` is a property: a Python call, ~60 ns, a few
percent of a request). Code that runs outside the agenda's timers (a caller's
process submitting a request, the figures at the end of a run) calls
:meth:`Agenda.sync` first. ``tests/model/test_scheduling.py`` checks all of
this against ``simpy.Timeout``, run and stepped by hand.
"""

from __future__ import annotations

import heapq
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, cast

import simpy
from simpy.core import NORMAL

__all__ = ["NORMAL", "Agenda", "Callback", "Recurring", "Timer"]

T = TypeVar("T")

_RUN = simpy.Environment.run.__code__
_push = heapq.heappush  # a global, not a module's attribute: at() runs once a timer


class Timer(Generic[T]):
    """A light timeout: all that ``Environment.step`` needs of an event
    (``callbacks``, ``_ok``) and a ``value``, and no more. The agenda's
    wake-ups are timers, and the provisions' callbacks get one, as a timeout's
    callbacks get the timeout (:meth:`Agenda.timer`)."""

    __slots__ = ("callbacks", "value")
    _ok = True

    def __init__(self, callback: Callback[T], value: T):
        self.callbacks: list[Callback[T]] | None = [callback]
        self.value = value


#: What a timer calls: a function of the timer that fired.
Callback = Callable[[Timer[T]], None]
#: An entry of simpy's event queue: (time, priority, event id, event).
Entry = tuple[float, int, "int | float", "Timer[Any] | simpy.Event"]
#: What the agenda calls: a function of a value; it may return the time of its
#: next call with the same value (see :meth:`Agenda.at`).
Recurring = Callable[[T], "float | None"]
#: An entry of the agenda: (time, priority, event id, callback, value).
Own = tuple[float, int, int, Recurring[Any], Any]


class Agenda:
    """The model's own timers, in a heap of their own, merged into the
    environment's event queue in exactly the order ``simpy.Timeout`` gives.

    Each entry is ``(time, NORMAL, event id, callback, value)``, with its id from
    the environment's counter, so it sorts among the environment's entries
    ``(time, priority, event id, event)`` as a timeout scheduled at that moment
    would. A *wake-up* in the environment's queue sorts just before the
    agenda's first entry (the same time and priority, the id less a half).
    When it fires, the agenda calls its entries in order for as long as the
    first of them comes before the environment's next event: a caller's
    processes, other models, the end of ``run(until=...)``. Events scheduled
    meanwhile (an intake event that fires, an intervention's timer) join the
    environment's queue and so stop the run of entries where they should. What
    this saves is simpy's ``step`` and an event object per timer: a bare timer
    that re-arms itself costs 0.71 µs an event instead of 0.95.

    Timers due in a later week are held back in weekly buckets while the heap
    is longer than ``hold_above`` (a large wijk holds every case's closure and
    every return on its way: 35,000 entries at 1.8 million residents), and move
    into the heap a week before they are due: :meth:`week_passed` must be
    called once a week, from week 1 on (the engine's weekly tick does). When
    an entry was pushed does not change where it sorts, so this changes no
    order either. In a wijk of ordinary size the heap is small and a bucket
    would cost more than it saves.

    Only inside simpy's own ``Environment.run`` does a wake-up run ahead like
    this: there, whatever ends the run is an event in the queue (the end of
    ``run(until=...)``) or becomes one when it is triggered. A caller who steps
    through a run with ``step()`` and ``peek()`` decides when to stop, so there
    a wake-up runs the timers of its own moment only, as does an environment
    whose ``step`` is not simpy's own (a real-time one, say, whose ``step``
    decides when time moves on).
    """

    __slots__ = (
        "buckets",
        "draining",
        "eid",
        "env",
        "greedy",
        "held",
        "hold_above",
        "now",
        "open",
        "own",
        "queue",
        "start",
        "wakeups",
    )

    def __init__(self, env: simpy.Environment, hold_above: int = 2048):
        if not isinstance(env, simpy.Environment):
            raise TypeError(f"expected a simpy.Environment, got {type(env).__name__}")
        self.env = env
        self.queue = cast("list[Entry]", env._queue)
        self.eid = env._eid
        self.own: list[Own] = []
        #: keys of the wake-ups in the environment's queue (a heap: they fire in order)
        self.wakeups: list[tuple[float, int, float]] = []
        self.draining = False
        self.greedy = type(env).step is simpy.Environment.step
        self.hold_above = hold_above
        self.start = env.now
        #: the time of the timer being called (see :meth:`sync`)
        self.now: float = env.now
        #: weeks from ``start`` below this are in the heap already
        self.open = 2
        self.buckets: defaultdict[int, list[Own]] = defaultdict(list)
        self.held = 0  # entries in the buckets

    def at(self, when: float, callback: Recurring[T], value: T) -> None:
        """Call ``callback(value)`` at time ``when`` (not before now).

        A callback that returns a time (not None) is called again then, with
        the same value, as if it had called ``at`` itself as its last step (the
        same id, so the same order), without the call: a timer that re-arms
        itself (an arrival source: once per request) costs a heap push."""
        entry = (when, NORMAL, next(self.eid), callback, value)
        own = self.own
        if len(own) > self.hold_above:
            week = int(when - self.start)
            if week >= self.open:
                self.buckets[week].append(entry)
                self.held += 1
                return
        _push(own, entry)
        if not self.draining and own[0] is entry:
            self._wake_up()

    def after(self, delay: float, callback: Recurring[T], value: T) -> None:
        """Call ``callback(value)`` in ``delay`` weeks."""
        self.at(self.env._now + delay, callback, value)

    def timer(self, delay: float, callback: Callback[T], value: T) -> None:
        """Call ``callback(timer)`` in ``delay`` weeks, with a :class:`Timer` whose
        ``value`` is ``value``: a timeout's callback, without the timeout."""
        self.at(self.env._now + delay, _fire, Timer(callback, value))

    def sync(self) -> float:
        """Set :attr:`now` to the environment's clock, for code that runs outside
        the agenda's timers (a caller's process, the end of a run); returns it."""
        now = self.now = self.env._now
        return now

    def _wake_up(self) -> None:
        """A wake-up just before the first entry, unless one comes before it already."""
        first = self.own[0]
        key = (first[0], NORMAL, first[2] - 0.5)
        wakeups = self.wakeups
        if wakeups and wakeups[0] <= key:
            return
        heapq.heappush(wakeups, key)
        heapq.heappush(self.queue, (*key, Timer(self._run, None)))

    def _run(self, _timer: Timer[None]) -> None:
        """A wake-up fired: call the entries that come before the environment's
        next event (stepped by hand, or with a ``step`` of its own: those of
        this moment)."""
        heapq.heappop(self.wakeups)  # this one: wake-ups fire in the order of their keys
        own, queue, env, eid, pop = self.own, self.queue, self.env, self.eid, heapq.heappop
        self.draining = True
        try:
            if self.greedy and _stepped_by_run():
                while own:
                    entry = own[0]
                    if queue and not entry < queue[0]:  # ids are unique: decided before
                        if queue[0][0] != queue[0][0]:  # NaN: not before, never after: a hang
                            raise ValueError(_NAN)
                        break
                    pop(own)
                    env._now = self.now = entry[0]
                    again = entry[3](entry[4])
                    if again is not None:  # a recurring timer: see at()
                        _push(own, (again, NORMAL, next(eid), entry[3], entry[4]))
            else:
                now = self.now = env._now
                while own and own[0][0] == now and not (queue and queue[0] < own[0]):
                    entry = pop(own)
                    again = entry[3](entry[4])
                    if again is not None:
                        self.at(again, entry[3], entry[4])
        finally:
            self.draining = False
            if own:
                self._wake_up()

    def week_passed(self, week: int) -> None:
        """At the weekly tick of ``week``: the timers due in week ``week + 1``
        (a week ahead, so that drift in the tick's time never makes one late)
        go into the heap."""
        buckets, own, push = self.buckets, self.own, heapq.heappush
        while self.open < week + 2:
            entries = buckets.pop(self.open, ())
            self.held -= len(entries)
            for entry in entries:
                push(own, entry)
            self.open += 1
        if own and not self.draining:
            self._wake_up()

    def drop(self, stale: Callable[[Recurring[Any], Any], bool]) -> int:
        """Remove the timers (in the heap or held back) for which
        ``stale(callback, value)`` holds; returns how many went. Entries have
        unique keys, so re-heaping the rest changes no order."""
        dropped = _remove(self.own, stale)
        if dropped:
            heapq.heapify(self.own)
        held = sum(_remove(entries, stale) for entries in self.buckets.values())
        self.held -= held
        return dropped + held

    def __len__(self) -> int:
        """Timers waiting: in the heap and held back."""
        return len(self.own) + self.held

    def waiting(self) -> Iterator[Own]:
        """Every timer still to fire (in no particular order)."""
        yield from self.own
        for entries in self.buckets.values():
            yield from entries


#: An event at NaN sorts neither before nor after the agenda's entries.
_NAN = (
    "an event in the environment is due at time NaN (env.run(until=nan), or a "
    "timeout of NaN): the model's events cannot be put in order with it"
)


def _stepped_by_run() -> bool:
    """Whether the ``Environment.step`` that fired the calling wake-up was called
    by ``Environment.run`` (frames: this, the wake-up, ``step``, its caller)."""
    try:
        return sys._getframe(3).f_code is _RUN
    except ValueError:  # a wake-up called by hand, at the top of the stack
        return False


def _fire(timer: Timer[Any]) -> None:
    """Call a timer's callback as ``Environment.step`` would (``callbacks`` is then None)."""
    callbacks, timer.callbacks = timer.callbacks, None
    for callback in callbacks or ():
        callback(timer)


def _remove(entries: list[Own], stale: Callable[[Recurring[Any], Any], bool]) -> int:
    """Remove the entries for which ``stale(callback, value)`` holds, in place;
    returns how many went."""
    kept = [entry for entry in entries if not stale(entry[3], entry[4])]
    dropped = len(entries) - len(kept)
    if dropped:
        entries[:] = kept
    return dropped
