"""A message's sparse features combined in one step are the matrix Rasa's combination gives."""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from rasa_server.speedups import features as features_module

RASA_COMBINE = Message._combine_features


def sparse(rows: int, columns: int, density: float, dtype: Any, seed: int) -> Any:
    matrix = scipy.sparse.random(rows, columns, density=density, format="coo", random_state=seed)
    return (matrix * 10).astype(dtype)


@st.composite
def text_features(draw: Any) -> list[Features]:
    rows = draw(st.integers(1, 12))
    return [
        Features(
            sparse(
                rows,
                draw(st.integers(1, 40)),
                draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
                draw(st.sampled_from([np.float32, np.float64, np.int64])),
                draw(st.integers(0, 1000)),
            ),
            "sequence",
            "text",
            name,
        )
        for name in draw(
            st.lists(
                st.sampled_from(["Regex", "Lexical", "Words", "Chars"]), min_size=1, max_size=4
            )
        )
    ]


def same_features(mine: Features, theirs: Features) -> None:
    assert (mine.type, mine.attribute, mine.origin) == (
        theirs.type,
        theirs.attribute,
        theirs.origin,
    )
    assert type(mine.features) is type(theirs.features)
    assert mine.features.shape == theirs.features.shape
    assert mine.features.dtype == theirs.features.dtype
    for part in ("data", "row", "col"):
        mine_part, their_part = getattr(mine.features, part), getattr(theirs.features, part)
        assert mine_part.dtype == their_part.dtype, part
        np.testing.assert_array_equal(mine_part, their_part, err_msg=part)


@given(features=text_features())
def test_sparse_features_are_combined_into_rasa_s_matrix(features):
    featurizers = ["Regex", "Lexical", "Words", "Chars"]
    theirs = RASA_COMBINE(features, featurizers)
    with mock.patch.object(features_module, "_rasa_combine_features", RASA_COMBINE):
        combined = features_module.combine_features(features, featurizers)

    same_features(combined, theirs)
    assert combined.origin is featurizers


def test_features_rasa_combines_otherwise_are_left_to_rasa(monkeypatch):
    monkeypatch.setattr(features_module, "_rasa_combine_features", RASA_COMBINE)
    dense = [Features(np.ones((2, 3)), "sentence", "text", "Dense") for _ in range(2)]
    compressed = [Features(sparse(2, 5, 0.5, np.float64, 1).tocsr(), "sentence", "text", "C")] * 2
    one = [Features(sparse(2, 5, 0.5, np.float64, 1), "sentence", "text", "One")]

    for features in (dense, compressed, one):
        mine, theirs = features_module.combine_features(features, []), RASA_COMBINE(features, [])
        np.testing.assert_array_equal(
            scipy.sparse.csr_matrix(mine.features).toarray()
            if scipy.sparse.issparse(mine.features)
            else mine.features,
            scipy.sparse.csr_matrix(theirs.features).toarray()
            if scipy.sparse.issparse(theirs.features)
            else theirs.features,
        )
        assert type(mine.features) is type(theirs.features)

    mismatched = [
        Features(sparse(rows, 5, 0.5, np.float64, 1), "sequence", "text", name)
        for rows, name in ((2, "A"), (3, "B"))
    ]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        features_module.combine_features(mismatched, [])
