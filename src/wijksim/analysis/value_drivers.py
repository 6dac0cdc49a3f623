"""Which assumptions drive the social balance, from the replications themselves
(no extra runs): a linear regression of the net present value on the values
drawn from the scenario's ``uncertain:`` block, and each value's swing between
its 10th and 90th percentile (the bars of a tornado).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..experiment.intervals import t_quantile
from ..experiment.replications import Experiment


def drawn(experiment: Experiment) -> pd.DataFrame:
    """The values drawn per replication of ``experiment`` (one column per
    uncertain parameter that varied)."""
    parameters = experiment.parameters
    if parameters.empty:
        return pd.DataFrame(index=range(experiment.replications))
    wide = parameters.pivot(index="replication", columns="parameter", values="value")
    return wide.loc[:, wide.std(ddof=0) > 0]


def swings(scenario: str, values: pd.DataFrame, net: np.ndarray, confidence: float) -> list[dict]:
    """The rows of :meth:`Value.drivers <wijksim.analysis.value.Value.drivers>`
    for ``scenario``: its net present value per replication (``net``) regressed
    on the values drawn (``values``) in the same replications; none when there are too
    few replications for the regression."""
    k = len(values.columns)
    n = len(net)
    if k == 0 or n < 5 * (k + 1):
        return []
    rows = []
    x = values.to_numpy(dtype=float)
    centred = x - x.mean(axis=0)
    design = np.c_[np.ones(n), centred]
    coef, *_ = np.linalg.lstsq(design, net, rcond=None)
    residual = net - design @ coef
    dof = n - k - 1
    sigma2 = float(residual @ residual) / dof
    covariance = sigma2 * np.linalg.pinv(design.T @ design)
    t = t_quantile(dof + 1, confidence)
    for j, parameter in enumerate(values.columns):
        low, high = np.quantile(x[:, j], [0.1, 0.9])
        mean = x[:, j].mean()
        slope = coef[j + 1]
        half = t * math.sqrt(max(0.0, covariance[j + 1, j + 1])) * (high - low)
        swing = slope * (high - low)
        rows.append(
            {
                "scenario": scenario,
                "parameter": parameter,
                "metric": "net",
                "low_value": float(low),
                "high_value": float(high),
                "low_difference": float(slope * (low - mean)),
                "high_difference": float(slope * (high - mean)),
                "swing": float(abs(swing)),
                "swing_low": float(abs(swing) - half),
                "swing_high": float(abs(swing) + half),
                "clear": bool(abs(swing) - half > 0),
            }
        )
    return rows
