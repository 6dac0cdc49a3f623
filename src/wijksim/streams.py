"""Independent random streams, one per named source, and batched drawing.

Each stream is seeded from the run's seed *and its own name* (numpy's
``SeedSequence`` with a spawn key hashed from the name). Adding, removing or
reordering sources never shifts the draws of another source, so two scenarios
run with the same seed see the same demand: their comparison is paired (common
random numbers).

A run seeds 100-200 streams; numpy's ``SeedSequence`` and ``PCG64`` seeding
cost ~19 µs a stream (4% of a replication). :func:`pcg64_seed` computes the
same seed words in Python instead, the seed's share once per run: ~11 µs a
stream in all. A test checks them against numpy's for many seeds and names.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import numbers
import operator
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.random.bit_generator import ISeedSequence

Seed = int | Sequence[int]

#: Draws per batch: numpy fills arrays far faster than it hands out scalars.
BATCH = 512
#: The first batches of a stream are smaller: of the hundred-odd streams of a
#: run many draw only a few values (an escalated case's duration, say), and a
#: full first batch of each was ~3% of a replication.
FIRST_BATCHES = (16, 128)


def batched(fill: Callable[[int], np.ndarray], batch: int = BATCH) -> Iterator[float]:
    """The values of ``fill(n)``, one at a time, a new batch when one runs out:
    ``n`` is ``batch``, after :data:`FIRST_BATCHES`.

    numpy's draws of a batch of ``n`` are its next ``n`` draws one by one, so how
    a stream is cut into batches changes no value (the test suite checks this for
    every distribution). All in C: no generator frame to resume on every draw.
    """
    first = [min(n, batch) for n in FIRST_BATCHES]
    batches = map(fill, itertools.chain(first, itertools.repeat(batch)))
    return itertools.chain.from_iterable(map(operator.methodcaller("tolist"), batches))


@functools.lru_cache(maxsize=4096)  # the same few hundred names in every run of a process
def name_key(name: str) -> int:
    """A stable 64-bit number for a source name (independent of Python's hash seed)."""
    if not isinstance(name, str):  # only on a stream's first use: not on the hot path
        raise TypeError(f"a random stream is named by text, such as 'arrivals', not {name!r:.80}")
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


# numpy's SeedSequence (numpy/random/bit_generator.pyx): a pool of four 32-bit
# words, hashed and mixed with these constants
_MASK = 0xFFFFFFFF
_POOL = 4
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715


def _words(number: int) -> list[int]:
    """``number`` as 32-bit words, least significant first ([0] for 0), as numpy splits it."""
    words = []
    while number:
        words.append(number & _MASK)
        number >>= 32
    return words or [0]


def _hash_constants(init: int, mult: int, skip: int, count: int) -> list[tuple[int, int]]:
    """The (xor, multiplier) pairs of hash steps ``skip`` to ``skip + count``: the
    hash constant moves on by one multiplication a step, whatever is hashed."""
    hash_const, pairs = init, []
    for step in range(skip + count):
        after = (hash_const * mult) & _MASK
        if step >= skip:
            pairs.append((hash_const, after))
        hash_const = after
    return pairs


#: Output steps of ``generate_state``: eight 32-bit words from the pool, cycled.
_OUTPUT = _hash_constants(_INIT_B, _MULT_B, 0, 2 * _POOL)


def _mix_in(pool: list[int], word: int, pairs: Iterator[tuple[int, int]]) -> None:
    """Mix ``word`` into every word of ``pool`` (in place), hashing with ``pairs``."""
    for i in range(_POOL):
        xor, mult = next(pairs)
        value = ((word ^ xor) * mult) & _MASK
        value ^= value >> 16
        mixed = (_MIX_L * pool[i] - _MIX_R * value) & _MASK
        pool[i] = mixed ^ (mixed >> 16)


def seed_pool(entropy: int | list[int]) -> tuple[list[int], list[tuple[int, int]]]:
    """The pool of ``SeedSequence(entropy, spawn_key=(k,))`` after the entropy and
    before the spawn key (what all streams of a run share), and the hash steps
    that a spawn key of up to 64 bits takes next."""
    words = _words(entropy) if isinstance(entropy, int) else [w for e in entropy for w in _words(e)]
    words += [0] * (_POOL - len(words))  # padded when a spawn key follows
    steps = _POOL * len(words)  # hash steps the entropy takes (4 + 12 for a pool of 4)
    pairs = iter(_hash_constants(_INIT_A, _MULT_A, 0, steps))
    pool = []
    for word in words[:_POOL]:
        xor, mult = next(pairs)
        value = ((word ^ xor) * mult) & _MASK
        pool.append(value ^ (value >> 16))
    for source in range(_POOL):  # every word of the pool into every other one
        for i in range(_POOL):
            if i != source:
                xor, mult = next(pairs)
                value = ((pool[source] ^ xor) * mult) & _MASK
                value ^= value >> 16
                mixed = (_MIX_L * pool[i] - _MIX_R * value) & _MASK
                pool[i] = mixed ^ (mixed >> 16)
    for word in words[_POOL:]:
        _mix_in(pool, word, pairs)
    return pool, _hash_constants(_INIT_A, _MULT_A, steps, 2 * _POOL)


def pcg64_seed(shared: tuple[list[int], list[tuple[int, int]]], key: int) -> list[int]:
    """``SeedSequence(entropy, spawn_key=(key,)).generate_state(4, np.uint64)``
    for a ``key`` of up to 64 bits, from ``shared = seed_pool(entropy)``: the
    four words that seed a ``PCG64``."""
    pool, pairs = list(shared[0]), iter(shared[1])
    for word in _words(key):
        _mix_in(pool, word, pairs)
    state = []
    for i, (xor, mult) in enumerate(_OUTPUT):
        value = ((pool[i % _POOL] ^ xor) * mult) & _MASK
        state.append(value ^ (value >> 16))
    return [state[i] | state[i + 1] << 32 for i in range(0, 2 * _POOL, 2)]


class _Seeded:
    """A seed sequence that hands ``PCG64`` the words computed by :func:`pcg64_seed`."""

    __slots__ = ("words",)

    def __init__(self, words: list[int]):
        self.words = words

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        if n_words != _POOL or dtype is not np.uint64:  # only PCG64's request is known
            raise ValueError("only a PCG64's seed (4 words of 64 bits) is known here")
        return np.array(self.words, dtype=np.uint64)


ISeedSequence.register(_Seeded)


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
        entropy = int(seed) if isinstance(seed, int | numbers.Integral) else [int(s) for s in seed]
        self._pool = seed_pool(entropy)

    def rng(self, name: str) -> np.random.Generator:
        """The generator of source ``name`` (the same object on every call)."""
        rng = self._rngs.get(name)
        if rng is None:
            # np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(name_key(name),))),
            # its seed words computed here, faster (see pcg64_seed)
            words = pcg64_seed(self._pool, name_key(name))
            bits = np.random.PCG64(_Seeded(words))  # type: ignore[arg-type]  # any ISeedSequence
            rng = self._rngs[name] = np.random.Generator(bits)
        return rng

    def uniforms(self, name: str, batch: int = BATCH) -> Callable[[], float]:
        """Next-draw function of U(0, 1) numbers from source ``name``."""
        rng = self.rng(name)
        return batched(rng.random, batch).__next__

    def exponentials(self, name: str, batch: int = BATCH) -> Callable[[], float]:
        """Next-draw function of Exp(1) numbers from source ``name``."""
        rng = self.rng(name)
        return batched(rng.standard_exponential, batch).__next__

    @property
    def names(self) -> list[str]:
        """Sources used so far, for inspection."""
        return sorted(self._rngs)
