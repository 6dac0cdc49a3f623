"""What :func:`~wijksim.analysis.advice.advisor.advise` found: the
:class:`Advice`, plain data (its table of portfolios, the selection's record,
the frontier), its answer and method, and the advice as JSON's values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ...experiment.plain import plain as _plain
from ...scenario import Scenario
from ...scenario.decision import Decision, Portfolio
from .frontier import entering, frontier
from .selection import Selection, Settings


class Advice:
    """What :func:`advise` found: plain data, safe to pickle and keep.

    ``table``: one row per portfolio (see :meth:`portfolio_table`);
    ``selection``: the procedure's own record
    (:class:`~wijksim.analysis.advice.procedures.Selection`); ``frontier``:
    the cost-relief frontier (:func:`~wijksim.analysis.advice.frontier.frontier`).
    """

    def __init__(
        self,
        *,
        scenario: Scenario,
        decision: Decision,
        portfolios: Sequence[Portfolio],
        selection: Selection | None,
        table: pd.DataFrame,
        seed: int,
        settings: Settings,
        source: str | None = None,
    ):
        self.scenario = scenario
        self.decision = decision
        self.portfolios = list(portfolios)
        self.selection = selection
        self.table = table
        self.seed = seed
        self.settings = settings
        self.source = source
        single = {c.name for c in decision.choices if c.provision and len(c.levels) == 1}
        self.frontier = frontier(table, decision.objective.goal, single)

    # -- the answer ----------------------------------------------------------------------

    @property
    def recommended(self) -> dict[str, Any] | None:
        """The recommended portfolio's row of :attr:`table`, or ``None`` when
        none meets the budget and constraints."""
        rows = self.table[self.table["recommended"]]
        return None if rows.empty else rows.iloc[0].to_dict()

    @property
    def good(self) -> pd.DataFrame:
        """The good set: portfolios that cannot be told apart from the best at
        ``delta``; the recommended first, then by their paired difference from
        it (``versus``: this portfolio minus the recommended, over the
        replications they have in common, with the simultaneous interval the
        good set is judged at: each side at ``1 - alpha/(m - 1)``), best first. Their own means come
        from different numbers of replications and do not rank them."""
        rows = self.table[self.table["good"]]
        sign = 1.0 if self.decision.objective.goal == "minimise" else -1.0
        order = rows.assign(_first=~rows["recommended"], _versus=sign * rows["versus"])
        order = order.sort_values(["_first", "_versus", "key"], na_position="last")
        return order.drop(columns=["_first", "_versus"])

    @property
    def cheapest(self) -> dict[str, Any] | None:
        """The portfolio with the lowest mean cost a year among those run."""
        rows = self.table[self.table["replications"] > 0]
        if rows.empty:
            return None
        return rows.sort_values(["cost_per_year", "key"]).iloc[0].to_dict()

    @property
    def spent(self) -> int:
        """Replications run, of all portfolios together."""
        return int(self.table["replications"].sum())

    @property
    def guaranteed(self) -> bool:
        """Whether the procedure's guarantee applies to the recommendation."""
        return bool(self.selection is not None and self.selection.guaranteed)

    @property
    def entering(self) -> list[str]:
        """The choices in the order they enter along the frontier."""
        return entering(self.frontier) if not self.frontier.empty else []

    def method(self) -> dict[str, Any]:
        """The procedure and its settings, the constants it used, the
        replications spent and what was guaranteed, as plain data."""
        s, selection = self.settings, self.selection
        objective = self.decision.objective
        out: dict[str, Any] = {
            "procedure": s.procedure,
            "alpha": s.alpha,
            "delta": s.delta,
            "goal": objective.goal,
            "objective": objective.weights,
            "first_stage": s.first_stage,
            "max_replications": s.max_replications,
            "portfolios": len(self.portfolios),
            "run": int((self.table["replications"] > 0).sum()),
            "left_out_by_budget": int((self.table["status"] == "over budget").sum()),
            "replications": self.spent,
            "seed": self.seed,
            "limits": [
                {
                    "figure": b.figure,
                    "bound": b.bound,
                    "upper": b.upper,
                    "tolerance": b.epsilon,
                    "kind": b.kind,
                }
                for b in self.decision.limits()
            ],
            "guaranteed": self.guaranteed,
        }
        if selection is not None:
            out.update(
                alphas=dict(selection.alphas),
                constants={k: _plain(v) for k, v in selection.constants.items()},
                notes=list(selection.notes),
                pcs_estimate=_plain(selection.pcs_estimate),
                looks=len(selection.looks),
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The advice as plain data (for JSON): the recommendation, the good
        set, the frontier, every portfolio and the method."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
            ]

        recommended = self.recommended
        cheapest = self.cheapest
        return {
            "question": self.decision.question,
            "scenario": self.scenario.name,
            "recommended": None if recommended is None else _plain_row(recommended),
            "feasible": recommended is not None,
            "cheapest": None if cheapest is None else _plain_row(cheapest),
            "good_set": [str(k) for k in self.good["key"]],
            "frontier": records(self.frontier),
            "entering": self.entering,
            "portfolios": records(self.table),
            "method": self.method(),
        }

    def __repr__(self) -> str:
        chosen = self.recommended
        name = "none" if chosen is None else repr(chosen["label"])
        return (
            f"<Advice: {name} of {len(self.portfolios)} portfolios; "
            f"{len(self.good)} in the good set; {self.spent} replications>"
        )


def _plain_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): _plain(v) for k, v in row.items()}


__all__ = ["Advice"]
