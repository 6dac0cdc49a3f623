"""The plot of a calibration's durations: the Kaplan-Meier curve of each
severity's registered durations against the distribution fitted to them
(:meth:`~wijksim.analysis.calibration.Calibration.plot_durations`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .calibration_fits import DurationFit, kaplan_meier

#: The words of the plot (the analysis layer cannot use the report's tables:
#: they sit above it).
_PLOT_WORDS = {
    "nl": {
        "registered": "registratie",
        "fitted": "{dist} (laagste AIC)",
        "title": "{severity}: {closed} gesloten, {open} open",
        "weeks": "weken",
        "in_care": "aandeel nog in zorg",
    },
    "en": {
        "registered": "registration",
        "fitted": "{dist} (lowest AIC)",
        "title": "{severity}: {closed} closed, {open} open",
        "weeks": "weeks",
        "in_care": "share still in care",
    },
}


def plot_durations(
    durations: Mapping[str, DurationFit],
    samples: Mapping[str, tuple[np.ndarray, np.ndarray]],
    path: str | Path | None = None,
    lang: str = "nl",
):
    """Kaplan-Meier curves of the ``samples`` (closed and still open, in weeks,
    by severity) against the fitted ``durations``, labelled in ``lang``
    (``"nl"`` or ``"en"``); saved to ``path`` when given. Returns the
    matplotlib figure."""
    import matplotlib.pyplot as plt

    if lang not in _PLOT_WORDS:
        raise ValueError(f"language must be 'nl' or 'en', not {lang!r}")
    words = _PLOT_WORDS[lang]
    n = len(durations)
    if not n:
        raise ValueError("no duration was fitted: nothing to plot")
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.4), squeeze=False, sharey=True)
    for ax, (severity, fit) in zip(axes[0], durations.items(), strict=True):
        closed, still_open = samples[severity]
        weeks, share = kaplan_meier(closed, still_open)
        ax.step(weeks, share, where="post", color="black", lw=1.2, label=words["registered"])
        grid = np.linspace(0, weeks.max(), 200)
        ax.plot(
            grid,
            fit.survival(grid),
            color="tab:orange",
            lw=2,
            label=words["fitted"].format(dist=fit.dist),
        )
        title = words["title"].format(severity=severity, closed=fit.closed, open=fit.open)
        ax.set(title=title.replace("$", r"\$"), xlabel=words["weeks"])  # no mathtext
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].set_ylabel(words["in_care"])
    axes[0][0].legend(frameon=False)
    fig.tight_layout()
    if path is not None:  # atomically, only over a regular file or a new path
        from .calibration_file import write_figure

        write_figure(fig, Path(path))
    return fig
