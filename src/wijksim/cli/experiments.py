"""Experiment commands of ``wijksim``: compare, sweep, warmup, replications.

Thin: parse, call the public API, print. A progress bar (tqdm, on a terminal
only) shows work that takes more than a moment. Each command is a module of
its own (``compare``, ``sweep``, ``warmup``, ``replications``, and the
headline figures' precision options that two of them share, ``headline``);
this module gathers them, and every name it held is still importable from it.
"""

from __future__ import annotations

from .compare import compare
from .compare import print_precision as print_precision
from .compare import print_relief as print_relief
from .headline import MAX_REPLICATIONS_DEFAULT as MAX_REPLICATIONS_DEFAULT
from .headline import PRECISION_DEFAULT as PRECISION_DEFAULT
from .headline import parse_tolerances as parse_tolerances
from .headline import precision_option as precision_option
from .headline import tolerance_option as tolerance_option
from .replications import replications
from .sweep import SWEEP_METRICS as SWEEP_METRICS
from .sweep import parse_grid as parse_grid
from .sweep import parse_range as parse_range
from .sweep import sweep
from .warmup import warmup
from .warmup import warmup_text as warmup_text
from .warmup import warmup_verdict as warmup_verdict

__all__ = ["compare", "replications", "sweep", "warmup"]
