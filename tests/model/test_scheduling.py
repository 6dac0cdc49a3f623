"""The engine's seam into simpy (model/scheduling.py) and what rests on it:
timers ordered exactly as ``simpy.Timeout``, clearing out stale timers and
given-up requests, runs without a weekly series, the paused GC."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
import pytest
import simpy
from hypothesis import given
from hypothesis import strategies as st

import wijksim
from helpers import REPO, rich_scenario, same_numbers
from wijksim import simulation
from wijksim.model import core, wijkteam
from wijksim.model.scheduling import Agenda, Timer
from wijksim.model.yearly import yearly

# delays on a coarse grid, so that many events share a time (ties decide the order)
delays = st.lists(st.integers(0, 12).map(lambda k: k / 2), min_size=1, max_size=60)
#: how timer i is scheduled: a simpy.Timeout, an Agenda timer (callback of the
#: value), an Agenda timer made as an intervention makes it (callback of a Timer)
TIMEOUT, AGENDA, TIMER = range(3)


class OwnStep(simpy.Environment):
    """An environment with a ``step`` of its own (as a real-time one has)."""

    def step(self) -> None:
        super().step()


def firing_order(
    delays: list[float],
    kinds: list[int],
    hold_above: int = 2048,
    env_class: type[simpy.Environment] = simpy.Environment,
    stepped: bool = False,
) -> list[tuple[float, int, str]]:
    """Schedule timer ``i`` after ``delays[i]``, of kind ``kinds[i]``, from a
    process that also waits in between; some timers, when they fire, schedule
    a follow-up of the same kind or succeed an event a process waits for. The
    run goes in two parts (``run(until=...)`` twice, or ``step()`` while
    ``peek()`` is before each end when ``stepped``), with a weekly process that
    moves held-back timers into the agenda. Returns (time, i, what) in the
    order things happened."""
    env = env_class()
    agenda = Agenda(env, hold_above=hold_above)
    fired: list[tuple[float, int, str]] = []

    def schedule(i: int, delay: float, kind: int) -> None:
        if kind == TIMEOUT:
            env.timeout(delay, i).callbacks.append(note)
        elif kind == TIMER:
            agenda.timer(delay, note, i)
        else:
            agenda.after(delay, lambda i: note(i), i)

    def note(event_or_value) -> None:
        i = getattr(event_or_value, "value", event_or_value)
        fired.append((env.now, i, "fired"))
        if i % 4 == 1 and i < 1000:  # a follow-up, scheduled while timers fire
            schedule(i + 1000, delays[i] / 2, kinds[i])
        if i % 5 == 2:  # a process waiting for an event that a timer succeeds
            waited = env.event()
            env.process(waiter(waited, i))
            waited.succeed(i)

    def waiter(event, i):
        yield event
        fired.append((env.now, i, "woke"))

    def weekly(env):
        week = 0
        while True:
            yield env.timeout(1.0)
            week += 1
            agenda.week_passed(week)

    def schedule_all(env):
        for i, (delay, kind) in enumerate(zip(delays, kinds, strict=True)):
            schedule(i, delay, kind)
            if i % 7 == 3:  # a process in between: its own events take ids too
                yield env.timeout(0.5)

    env.process(weekly(env))
    env.process(schedule_all(env))
    for end in (2.25, max(delays) + 40.25):  # off the weekly grid: a run may not go past
        if stepped:
            while env.peek() < end:
                env.step()
        else:
            env.run(until=end)
        fired.append((env.now, -1, "paused"))  # stepped: not past the last event before end
    return fired


@given(delays=delays, data=st.data())
def test_timers_fire_exactly_like_simpy_timeouts(delays, data):
    kinds = data.draw(
        st.lists(
            st.sampled_from([TIMEOUT, AGENDA, TIMER]),
            min_size=len(delays),
            max_size=len(delays),
        )
    )
    hold_above = data.draw(st.sampled_from([0, 3, 2048]))  # held back: all, some, none
    expected = firing_order(delays, [TIMEOUT] * len(delays))
    assert firing_order(delays, kinds, hold_above) == expected
    assert firing_order(delays, kinds, hold_above, OwnStep) == expected
    stepped = firing_order(delays, [TIMEOUT] * len(delays), stepped=True)
    assert firing_order(delays, kinds, hold_above, stepped=True) == stepped


def test_stepped_by_hand_the_agenda_runs_one_moment_a_step():
    """A caller stepping with step() and peek() decides where to stop: the
    agenda must not run ahead of it (inside run() it may, up to the run's end)."""
    env = simpy.Environment()
    agenda = Agenda(env)
    fired: list[int] = []
    for k in range(10):
        agenda.after(k + 0.5, fired.append, k)
    while env.peek() < 4.0:
        env.step()
    assert fired == [0, 1, 2, 3] and env.now == 3.5
    env.run(until=8.0)
    assert fired == list(range(8)) and env.now == 8.0


def test_inside_run_the_agenda_runs_ahead_up_to_the_next_event(monkeypatch):
    """The point of the agenda: inside ``env.run`` one wake-up runs every timer
    due before the environment's next event (here a process at 30.2)."""
    env = simpy.Environment()
    agenda = Agenda(env)
    fired: list[int] = []
    for k in range(100):
        agenda.after(k + 0.5, fired.append, k)

    def other(env):
        yield env.timeout(30.2)

    env.process(other(env))
    wake_ups = []
    real = Agenda._wake_up
    monkeypatch.setattr(Agenda, "_wake_up", lambda self: (wake_ups.append(env.now), real(self)))
    env.run(until=50.0)
    assert fired == list(range(50))
    assert wake_ups == [29.5, 49.5]  # after the runs up to the process, and to the end


def test_the_agenda_needs_a_wake_up_only_for_a_new_first_timer():
    def wake_ups(env: simpy.Environment) -> int:
        return sum(isinstance(entry[3], Timer) for entry in env._queue)

    env = simpy.Environment()
    agenda = Agenda(env)
    for k in range(100):  # each one after the first: one wake-up
        agenda.after(k + 0.25, lambda value: None, k)
    assert wake_ups(env) == 1 and len(agenda) == 100
    env.run(until=50)
    assert wake_ups(env) == 1 and len(agenda) == 50
    env = simpy.Environment()
    agenda = Agenda(env)
    for k in range(100):  # each one first, for now: a wake-up each
        agenda.after(99.25 - k, lambda value: None, k)
    assert wake_ups(env) == 100
    env.run(until=50)  # those due fired; the rest wait for their time
    assert wake_ups(env) == 50 and len(agenda) == 50


def test_only_two_weeks_of_timers_wait_in_the_agenda():
    env = simpy.Environment()
    agenda = Agenda(env, hold_above=0)
    for k in range(100):
        agenda.at(k + 0.25, lambda value: None, k)
    assert len(agenda.own) == 2 and agenda.held == 98
    agenda.week_passed(1)
    assert len(agenda.own) == 3 and agenda.held == 97
    assert agenda.drop(lambda callback, value: value % 2 == 0) == 50
    assert len(agenda.own) == 1 and agenda.held == 49 and len(agenda) == 50


def test_an_agenda_is_rejected_outside_a_simpy_environment():
    with pytest.raises(TypeError, match=r"simpy\.Environment"):
        Agenda(object())


@pytest.mark.parametrize("stepped", [False, True])
def test_a_timer_that_returns_a_time_fires_as_one_that_calls_at_last(stepped):
    """A recurring timer (its callback returns the time of its next call) takes
    its id as a last call to at() would: the same order, ties included, run
    with run() or stepped by hand, and a timer that returns None stops."""

    def trace(recurring: bool) -> list[tuple[float, str, int]]:
        env = simpy.Environment()
        agenda = Agenda(env)
        fired: list[tuple[float, str, int]] = []
        gaps = iter((np.random.default_rng(5).integers(0, 4, 400) / 2).tolist())

        def source(name: str):
            def fire(count: list[int]):
                fired.append((env.now, name, count[0]))
                count[0] += 1
                agenda.after(0.5, lambda _: fired.append((env.now, "follow", 0)), None)
                when = env.now + next(gaps) if count[0] < 60 else None
                if recurring or when is None:
                    return when
                agenda.at(when, fire, count)
                return None

            return fire

        for name in ("a", "b", "c"):
            agenda.after(0.0, source(name), [0])
        if stepped:
            while env.peek() < float("inf"):
                env.step()
        else:
            env.run()
        return fired

    assert trace(recurring=True) == trace(recurring=False)
    assert len(trace(recurring=True)) == 3 * 60 * 2


def test_dropping_timers_keeps_the_order_of_the_rest():
    env = simpy.Environment()
    agenda = Agenda(env)
    fired = []
    delays = (np.random.default_rng(3).integers(0, 20, 300) / 4).tolist()
    for i, delay in enumerate(delays):
        agenda.after(delay, lambda i: fired.append((env.now, i)), i)
    assert agenda.drop(lambda callback, value: value % 3 == 0) == 100
    env.run()
    # by time, then by scheduling order (a stable sort)
    assert fired == sorted(((d, i) for i, d in enumerate(delays) if i % 3), key=lambda x: x[0])


def test_an_error_in_a_timer_reaches_the_caller_and_the_agenda_goes_on():
    env = simpy.Environment()
    agenda = Agenda(env)
    fired = []

    def fail(value):
        raise RuntimeError(f"timer {value}")

    agenda.after(1.0, fired.append, 1)
    agenda.after(2.0, fail, 2)
    agenda.after(3.0, fired.append, 3)
    with pytest.raises(RuntimeError, match="timer 2"):
        env.run()
    env.run()
    assert fired == [1, 3] and env.now == 3.0


def test_simulate_gives_what_env_run_gives():
    """simulate's paused collector changes nothing."""
    scenario = rich_scenario()
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=4)
    env.run(until=scenario.horizon)
    assert same_numbers(wijksim.Run(model).summary(), wijksim.simulate(scenario, 4).summary())


@pytest.mark.parametrize("warmup", ["0 weeks", "30 weeks"])
def test_without_series_the_figures_are_the_same_and_only_year_ends_are_kept(warmup):
    scenario = wijksim.load_scenario(REPO / "scenarios" / "alle-interventies.yaml")
    scenario = scenario.with_overrides({"horizon": "4 years", "warmup": warmup})
    full = wijksim.simulate(scenario, seed=2)
    lean = wijksim.simulate(scenario, seed=2, series=False)
    assert same_numbers(full.summary(), lean.summary())
    pd.testing.assert_frame_equal(full.interventions, lean.interventions, check_exact=True)
    pd.testing.assert_frame_equal(yearly(full.model), yearly(lean.model), check_exact=True)
    assert len(lean.model.ledger.weeks) <= 5  # week 0 and the ends of years
    with pytest.raises(ValueError, match="series"):
        lean.timeseries  # noqa: B018


def crowded(queue: str) -> wijksim.Scenario:
    """A team far too small: most requests wait and many give up."""
    return rich_scenario(
        {
            "horizon": "150 weeks",
            "neighbourhood.residents": 20000,
            "team.queue": queue,
            "team.priority": ["complex", "regular", "light"] if queue == "priority" else None,
            "team.fte": 3,
            "team.patience": {"dist": "exponential", "mean": "3 weeks"},
        }
    )


@pytest.mark.parametrize("queue", ["fifo", "priority"])
def test_given_up_requests_and_stale_timers_are_cleared_out(queue, monkeypatch):
    """Clearing out keeps the queues in proportion to the live work and changes
    no result: the same run without clearing out (threshold out of reach)
    gives the same numbers, bit for bit."""
    scenario = crowded(queue)
    monkeypatch.setattr(core, "CLEAR_OUT_ABOVE", 50)
    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, scenario, seed=1)
    sizes = []

    def watch(env):
        while True:
            yield env.timeout(10)
            gone = sum(
                (r if queue == "fifo" else r[2]).status != wijkteam.WAITING for r in model._queue
            )
            stale = sum(
                callback == model._renege and value.status != wijkteam.WAITING
                for *_, callback, value in model._agenda.waiting()
            )
            sizes.append((gone, stale, model.waiting, len(model._agenda)))

    env.process(watch(env))
    env.run(until=scenario.horizon)
    assert model.counts["reneged"] > 500  # the case this is about
    for gone, stale, waiting, events in sizes:
        assert gone <= max(50, waiting) + 1
        assert stale <= max(50, events // 2) + 60  # cleared weekly: a week's admissions more
    monkeypatch.setattr(core, "CLEAR_OUT_ABOVE", 10**9)
    env = simpy.Environment()
    kept = wijksim.WijkteamModel(env, scenario, seed=1)
    env.process(watch(env))
    env.run(until=scenario.horizon)
    assert same_numbers(wijksim.Run(model).summary(), wijksim.Run(kept).summary())


def test_the_collector_is_paused_during_a_run_only(monkeypatch):
    seen = []

    class Spy(wijksim.WijkteamModel):
        def _weekly(self, event):
            seen.append(gc.isenabled())
            super()._weekly(event)

    monkeypatch.setattr(simulation, "WijkteamModel", Spy)
    assert gc.isenabled()
    simulation.simulate(rich_scenario({"horizon": "5 weeks", "warmup": "1 week"}))
    assert len(seen) == 4 and not any(seen)
    assert gc.isenabled()


def test_cycles_made_during_a_run_are_still_collected(monkeypatch):
    refs = []

    class Node:
        pass

    class Spy(wijksim.WijkteamModel):
        def _weekly(self, event):
            node = Node()
            node.me = node  # a reference cycle, garbage at once
            refs.append(weakref.ref(node))
            super()._weekly(event)

    monkeypatch.setattr(simulation, "WijkteamModel", Spy)
    simulation.simulate(rich_scenario({"horizon": "5 weeks", "warmup": "1 week"}))
    assert gc.get_freeze_count() == 0  # nothing left out of the collector's reach
    assert len(refs) == 4
    gc.collect()
    assert all(ref() is None for ref in refs)


@pytest.mark.parametrize("how", ["until", "timeout"])
def test_an_event_at_nan_is_refused_in_words_not_run_into_for_ever(how):
    """simpy takes ``run(until=nan)`` and ``timeout(nan)``; the agenda, which
    runs its timers while they come before the environment's next event, ran
    for ever before one that is neither before nor after them."""
    from helpers.folders import no_hang

    env = simpy.Environment()
    model = wijksim.WijkteamModel(env, rich_scenario(), seed=1)

    def nan_later(env):
        yield env.timeout(float("nan"))

    with no_hang(20), pytest.raises(ValueError, match="due at time NaN"):
        if how == "until":
            env.run(until=float("nan"))
        else:
            env.process(nan_later(env))
            env.run(until=model.scenario.horizon)
