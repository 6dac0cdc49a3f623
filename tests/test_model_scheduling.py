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
from wijksim.model import wijkteam
from wijksim.model.scheduling import Later, Scheduler, Timer
from wijksim.model.yearly import yearly

# delays on a coarse grid, so that many events share a time (ties decide the order)
delays = st.lists(st.integers(0, 6).map(lambda k: k / 2), min_size=1, max_size=60)


def firing_order(delays: list[float], ours: list[bool]) -> list[tuple[float, int]]:
    """Schedule timeout ``i`` after ``delays[i]`` -- as a :class:`Timer` where
    ``ours[i]``, else as a ``simpy.Timeout`` -- from a process that also waits in
    between; the (time, i) in which they fire."""
    env = simpy.Environment()
    scheduler = Scheduler(env)
    fired: list[tuple[float, int]] = []

    def note(event) -> None:
        fired.append((env.now, event.value))

    def schedule_all(env):
        for i, (delay, mine) in enumerate(zip(delays, ours, strict=True)):
            if mine:
                scheduler.after(delay, note, i)
            else:
                env.timeout(delay, i).callbacks.append(note)
            if i % 7 == 3:  # a process in between: its own events take ids too
                yield env.timeout(0.5)

    env.process(schedule_all(env))
    env.run()
    return fired


@given(delays=delays, data=st.data())
def test_timers_fire_exactly_like_simpy_timeouts(delays, data):
    ours = data.draw(st.lists(st.booleans(), min_size=len(delays), max_size=len(delays)))
    assert firing_order(delays, ours) == firing_order(delays, [False] * len(delays))


def held_back_order(
    delays: list[float], ours: list[bool], hold_above: int = 0
) -> list[tuple[float, int]]:
    """As :func:`firing_order`, with timer ``i`` held back by :class:`Later` where
    ``ours[i]`` (a weekly process moves them into the queue, as the engine's tick
    does) while the queue is longer than ``hold_above``."""
    env = simpy.Environment()
    later = Later(Scheduler(env), env.now, hold_above=hold_above)
    fired: list[tuple[float, int]] = []

    def note(event) -> None:
        fired.append((env.now, event.value))

    def weekly(env):
        week = 0
        while True:
            yield env.timeout(1.0)
            week += 1
            later.week_passed(week)

    def schedule_all(env):
        for i, (delay, mine) in enumerate(zip(delays, ours, strict=True)):
            if mine:
                later.at(env.now + delay, note, i)
            else:
                env.timeout(delay, i).callbacks.append(note)
            if i % 5 == 2:
                yield env.timeout(0.5)

    env.process(weekly(env))
    env.process(schedule_all(env))
    env.run(until=max(delays) + 40)
    return fired


# whole and half weeks up to 12: ties with each other and with the weekly process
far_delays = st.lists(st.integers(0, 24).map(lambda k: k / 2), min_size=1, max_size=60)


@given(delays=far_delays, data=st.data())
def test_held_back_timers_fire_exactly_like_simpy_timeouts(delays, data):
    ours = data.draw(st.lists(st.booleans(), min_size=len(delays), max_size=len(delays)))
    hold_above = data.draw(st.integers(0, 8))  # some held back, some pushed at once
    expected = held_back_order(delays, [False] * len(delays))
    assert held_back_order(delays, ours, hold_above) == expected


def test_only_two_weeks_of_timers_wait_in_the_event_queue():
    env = simpy.Environment()
    later = Later(Scheduler(env), 0.0, hold_above=0)
    for k in range(100):
        later.at(k + 0.25, lambda event: None, k)
    assert len(env._queue) == 2 and later.held == 98
    later.week_passed(1)
    assert len(env._queue) == 3 and later.held == 97
    assert later.drop(lambda event: event.value % 2 == 0) == 48 and later.held == 49


def test_a_timer_is_rejected_outside_a_simpy_environment():
    with pytest.raises(TypeError, match=r"simpy\.Environment"):
        Scheduler(object())


def test_dropping_events_keeps_the_order_of_the_rest():
    env = simpy.Environment()
    scheduler = Scheduler(env)
    fired = []
    delays = (np.random.default_rng(3).integers(0, 20, 300) / 4).tolist()
    for i, delay in enumerate(delays):
        scheduler.after(delay, lambda e: fired.append((env.now, e.value)), i)
    assert scheduler.drop(lambda event: event.value % 3 == 0) == 100
    env.run()
    # by time, then by scheduling order (a stable sort)
    assert fired == sorted(((d, i) for i, d in enumerate(delays) if i % 3), key=lambda x: x[0])


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
    assert full.interventions == lean.interventions
    pd.testing.assert_frame_equal(yearly(full.model), yearly(lean.model), check_exact=True)
    assert len(lean.model._series["week"]) <= 5  # week 0 and the ends of years
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
    monkeypatch.setattr(wijkteam, "CLEAR_OUT_ABOVE", 50)
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
                isinstance(e, Timer)
                and e.callbacks == [model._renege]
                and e.value.status != wijkteam.WAITING
                for *_, e in env._queue
            )
            sizes.append((gone, stale, model.waiting, len(env._queue)))

    env.process(watch(env))
    env.run(until=scenario.horizon)
    assert model.counts["reneged"] > 500  # the case this is about
    for gone, stale, waiting, events in sizes:
        assert gone <= max(50, waiting) + 1
        assert stale <= max(50, events // 2) + 60  # cleared weekly: a week's admissions more
    monkeypatch.setattr(wijkteam, "CLEAR_OUT_ABOVE", 10**9)
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
