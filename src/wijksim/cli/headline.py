"""The headline figures' stated precision, as the commands that reach it take
it: its default, the most replications to add, ``--precision`` and
``--tolerance`` (a difference too small to matter), shared by ``compare`` and
``replications``.
"""

from __future__ import annotations

import math

import click

#: The headline figures' default precision and tolerances, for the help texts.
PRECISION_DEFAULT = 0.10
MAX_REPLICATIONS_DEFAULT = 1000

precision_option = click.option(
    "--precision",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=PRECISION_DEFAULT,
    show_default=True,
    help="Stated precision of the headline figures: a difference's 95% interval reaches it "
    "when its half-width is at most this share of the difference, or within the figure's "
    "tolerance.",
)
tolerance_option = click.option(
    "--tolerance",
    "tolerances",
    multiple=True,
    metavar="FIGURE=VALUE",
    help="A difference too small to matter, in the figure's unit (defaults: mean_caseload=1, "
    "mean_waiting_list=1, mean_wait_weeks=0.2, share_wait_over_6_weeks=0.01, net=25000); "
    "repeatable.",
)


def parse_tolerances(texts: tuple[str, ...]) -> dict[str, float]:
    """``("net=5000",)`` -> ``{"net": 5000.0}``, for the headline figures only."""
    from ..analysis.headline import HEADLINE_FIGURES

    out = {}
    for text in texts:
        name, sep, number = text.partition("=")
        name = name.strip()
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not sep or name not in HEADLINE_FIGURES:
            known = ", ".join(HEADLINE_FIGURES)
            raise click.BadParameter(
                f"expected FIGURE=VALUE with FIGURE one of {known}, got {text!r}",
                param_hint="--tolerance",
            )
        if not (math.isfinite(value) and value >= 0):
            raise click.BadParameter(
                f"{text!r}: the tolerance is a number of at least 0", param_hint="--tolerance"
            )
        out[name] = value
    return out
