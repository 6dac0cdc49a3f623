"""The report's plots: which figures it shows for a comparison, the waits
they need, and each figure as PNG bytes (embedded as a ``data:`` URI in HTML,
a file beside the Markdown), with its caption."""

from __future__ import annotations

import base64
import io

import numpy as np

from ..analysis.comparison import Comparison
from . import plots
from .labels import Language
from .report_words import CAPTIONS

#: Plot resolution: sharp on screen and in print, a few hundred kB per plot.
DPI = 110


def figures_of(comparison, value, styles, lang, waits, breakevens) -> dict:
    """The report's figures by name (matplotlib figures, to be closed by the caller)."""
    figures = {}
    timeseries_kept = all(e.timeseries_runs is not None for e in comparison.experiments.values())
    figures["balance"] = plots.balance(value, styles=styles, lang=lang)
    if timeseries_kept:  # relief over time: the paired difference, one panel per alternative
        for name in ("waiting_list", "caseload"):
            figures[name] = plots.relief_over_time(comparison, name, styles=styles, lang=lang)
    figures["forest"] = plots.forest(comparison, styles=styles, lang=lang)
    figures["payers"] = plots.payers(value, styles=styles, lang=lang)
    drivers = value.drivers()
    if not drivers.empty:
        figures["drivers"] = plots.drivers(drivers, lang=lang)
    if waits is None:
        waits = waits_of(comparison)
    figures["waits"] = plots.wait_ecdf(waits, styles=styles, lang=lang)
    if any(
        e.scenario.interventions and e.yearly_runs is not None
        for e in comparison.experiments.values()
    ):  # every scenario with provisions, each in its own titled row
        figures["provisions"] = plots.provisions(comparison, lang=lang)
    for i, result in enumerate(breakevens):
        figures[f"breakeven_{i}"] = plots.breakeven(
            result.table, lang=lang, name=result.intervention
        )
    return figures


def waits_of(comparison: Comparison) -> dict[str, np.ndarray]:
    """Waits (weeks) of replication 0 of every scenario, run again with its cases."""
    from ..experiment.tasks import replication_seed
    from ..experiment.uncertainty import realise
    from ..simulation import simulate

    out = {}
    for label, experiment in comparison.experiments.items():
        seed = replication_seed(experiment.seed, 0)
        scenario, _ = realise(experiment.scenario, seed)
        cases = simulate(scenario, seed=seed, record_cases=True, force=True).cases  # it ran
        warm = scenario.warmup
        out[label] = cases.loc[cases["arrival"] >= warm, "wait"].dropna().to_numpy()
    return out


def png_of(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def captions(lang: Language) -> dict[str, str]:
    return {key: label.text(lang) for key, label in CAPTIONS.items()}
