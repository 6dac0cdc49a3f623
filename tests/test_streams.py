"""The streams' own seeding computes exactly what numpy's SeedSequence would."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import wijksim
from wijksim.streams import Streams, name_key, pcg64_seed, seed_pool

# seeds as users and experiments give them: small and huge ints, (seed, replication, ...)
WORD = st.integers(min_value=0, max_value=2**32 - 1)
SEEDS = st.one_of(
    st.integers(min_value=0, max_value=2**140),
    st.lists(st.one_of(WORD, st.integers(min_value=0, max_value=2**80)), min_size=1, max_size=7),
)
KEYS = st.one_of(st.sampled_from([0, 1, 2**32 - 1, 2**32, 2**64 - 1]), st.integers(0, 2**64 - 1))


@given(SEEDS, KEYS)
def test_pcg64_seed_is_numpys_seed_sequence(seed, key):
    expected = np.random.SeedSequence(seed, spawn_key=(key,)).generate_state(4, np.uint64)
    assert pcg64_seed(seed_pool(seed), key) == expected.tolist()


@given(SEEDS, st.text(max_size=40))
def test_a_stream_is_numpys_generator_seeded_by_name(seed, name):
    reference = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(name_key(name),)))
    rng = wijksim.Streams(seed).rng(name)
    assert rng.bit_generator.state == reference.state
    assert np.array_equal(rng.random(8), np.random.Generator(reference).random(8))


@pytest.mark.parametrize("name", [3, None, b"arrivals", ("a",)])
def test_a_stream_is_named_by_text(name):
    with pytest.raises(TypeError, match="named by text"):
        Streams(0).rng(name)
