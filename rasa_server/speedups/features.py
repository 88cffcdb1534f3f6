"""A message's sparse features combined in one step.

DIET and the ResponseSelector each combine the sparse features of a message's text (regex,
lexical, word and character n-gram counts) with ``Message._combine_features``: it deep-copies
the first matrix and stacks the others onto it one by one with ``scipy.sparse.hstack``,
which checks and converts its blocks each time. The combined matrix is built once from all
of them instead: the same entries in the same order, with the same value and index types.
Anything else (dense features, other sparse formats, a single matrix, rows that do not
match) takes Rasa's way.
"""

from __future__ import annotations

from typing import Any

_rasa_combine_features: Any = None


def combine_features(features: list[Any], featurizers: list[str]) -> Any:
    """``Message._combine_features`` for sparse features in coordinate format, in one step.

    Like Rasa's, the result is a new ``Features`` with the first one's type and attribute,
    ``featurizers`` as its origin, and the matrices side by side in the given order.
    """
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import coo_matrix, isspmatrix_coo
    from scipy.sparse._sputils import get_index_dtype, upcast

    matrices = [f.features for f in features]
    if len(matrices) < 2 or not all(isspmatrix_coo(m) for m in matrices):
        return _rasa_combine_features(features, featurizers)
    rows = matrices[0].shape[0]
    if any(m.shape[0] != rows for m in matrices):
        return _rasa_combine_features(features, featurizers)  # Rasa says what is wrong
    offsets = np.cumsum([0] + [m.shape[1] for m in matrices])
    shape = (rows, int(offsets[-1]))
    index_type = get_index_dtype(maxval=max(shape))
    data = np.concatenate([m.data for m in matrices]).astype(
        upcast(*(m.dtype for m in matrices)), copy=False
    )
    row = np.concatenate([m.row for m in matrices]).astype(index_type, copy=False)
    col = np.concatenate(
        [
            m.col.astype(index_type) + index_type(offset)
            for m, offset in zip(matrices, offsets[:-1], strict=True)
        ]
    ).astype(index_type, copy=False)
    first = features[0]
    matrix = coo_matrix((data, (row, col)), shape=shape)
    return Features(matrix, first.type, first.attribute, featurizers)


def apply() -> None:
    global _rasa_combine_features
    from rasa.shared.nlu.training_data.message import Message

    if _rasa_combine_features is None:
        _rasa_combine_features = Message._combine_features
        Message._combine_features = staticmethod(combine_features)
