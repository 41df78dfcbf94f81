"""Bounded reading: the JSON depth scan against the parsed value's own depth."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.base import inputfile
from trainer.core.base.inputfile import json_depth

# Strings full of brackets, quotes and backslashes: none of them may count as nesting.
TRICKY = st.text(alphabet='[]{}"\\,:ab \n', max_size=12)
VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), TRICKY),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TRICKY, inner, max_size=4)
    ),
    max_leaves=40,
)


def depth(value) -> int:
    """Nesting of a parsed value: a list or object is one deeper than its deepest item."""
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 5, 64]))
def test_the_scan_finds_the_depth_json_has(value, chunk):
    text = json.dumps(value, ensure_ascii=False).encode()
    saved = inputfile._CHUNK
    inputfile._CHUNK = chunk or saved  # small chunks: edges anywhere, strings cut in two
    try:
        assert json_depth(text) == depth(value)
    finally:
        inputfile._CHUNK = saved
