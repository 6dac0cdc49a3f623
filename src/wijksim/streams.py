"""Independent random streams, one per named source, and batched drawing.

Each stream is seeded from the run's seed *and its own name* (numpy's
``SeedSequence`` with a spawn key hashed from the name). Adding, removing or
reordering sources never shifts the draws of another source, so two scenarios
run with the same seed see the same demand: their comparison is paired (common
random numbers).
"""

from __future__ import annotations

import hashlib
import itertools
import numbers
import operator
from collections.abc import Callable, Iterator, Sequence

import numpy as np

Seed = int | Sequence[int]

#: Draws per batch: numpy fills arrays far faster than it hands out scalars.
BATCH = 512


def batched(fill: Callable[[], np.ndarray]) -> Iterator[float]:
    """The values of ``fill()``, one at a time, a new batch when one runs out.

    All in C: no generator frame to resume on every draw.
    """
    batches = itertools.starmap(fill, itertools.repeat(()))
    return itertools.chain.from_iterable(map(operator.methodcaller("tolist"), batches))


def name_key(name: str) -> int:
    """A stable 64-bit number for a source name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def check_seed(seed: object) -> None:
    """Raise a ``TypeError`` or ``ValueError`` in words unless ``seed`` is a
    non-negative whole number or a non-empty sequence of them (``(seed, r)``)."""
    if isinstance(seed, np.ndarray) and seed.ndim == 1:
        seed = seed.tolist()
    parts = seed if isinstance(seed, Sequence) and not isinstance(seed, str | bytes) else [seed]
    if not parts:
        raise ValueError("a seed sequence needs at least one number")
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, int | numbers.Integral):
            shown = f"{part!r}" if isinstance(part, int | float | str) else type(part).__name__
            raise TypeError(f"a seed is a whole number (or a sequence of them), not {shown}")
        if int(part) < 0:
            raise ValueError(f"a seed cannot be negative (got {int(part)})")


class Streams:
    """The random streams of one run, created on first use and kept by name."""

    def __init__(self, seed: Seed = 0):
        check_seed(seed)
        self.seed = seed
        self._rngs: dict[str, np.random.Generator] = {}

    def rng(self, name: str) -> np.random.Generator:
        """The generator of source ``name`` (the same object on every call)."""
        rng = self._rngs.get(name)
        if rng is None:
            entropy = (
                int(self.seed)
                if isinstance(self.seed, int | numbers.Integral)
                else [int(s) for s in self.seed]
            )
            sequence = np.random.SeedSequence(entropy, spawn_key=(name_key(name),))
            rng = self._rngs[name] = np.random.Generator(np.random.PCG64(sequence))
        return rng

    def uniforms(self, name: str, batch: int = BATCH) -> Callable[[], float]:
        """Next-draw function of U(0, 1) numbers from source ``name``."""
        rng = self.rng(name)
        return batched(lambda: rng.random(batch)).__next__

    def exponentials(self, name: str, batch: int = BATCH) -> Callable[[], float]:
        """Next-draw function of Exp(1) numbers from source ``name``."""
        rng = self.rng(name)
        return batched(lambda: rng.standard_exponential(batch)).__next__

    @property
    def names(self) -> list[str]:
        """Sources used so far, for inspection."""
        return sorted(self._rngs)
