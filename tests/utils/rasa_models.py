"""What Rasa's TensorFlow models get and do, for comparing the speedups with Rasa's own way:
the batch Rasa lays out for one message, and the variable writes of a traced prediction graph.
"""

from __future__ import annotations

from typing import Any


def rasa_batch(component: Any, message: Any) -> tuple[Any, ...] | None:
    """The batch Rasa's model data and data generator give DIET or the ResponseSelector."""
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    data = component._create_model_data([message], training=False)
    if data.is_empty():
        return None
    batches = RasaBatchDataGenerator(data, batch_size=1, shuffle=False)
    assert len(batches) == 1
    return batches[0][0]


def same_batch(mine: tuple[Any, ...] | None, theirs: tuple[Any, ...] | None) -> None:
    """The same arrays in the same order, with the same types, shapes and values."""
    import numpy as np

    assert mine is not None and theirs is not None
    assert len(mine) == len(theirs)
    for array, expected in zip(mine, theirs, strict=True):
        assert (array.dtype, array.shape) == (expected.dtype, expected.shape)
        # Rasa's sequence lengths are a FeatureArray, whose arithmetic NumPy cannot compare.
        np.testing.assert_array_equal(array, expected.view(np.ndarray))


def variable_writes(model: Any) -> int:
    """How many variable writes the model's traced prediction graph holds."""
    graph = model._tf_predict_step.get_concrete_function().graph
    return sum(op.type == "AssignVariableOp" for op in graph.get_operations())


def same_coo(mine: Any, theirs: Any) -> None:
    """The same coordinate matrix: shape, types, flags and entries in the same order."""
    assert type(mine) is type(theirs)
    assert (mine.shape, mine.dtype, mine.has_canonical_format) == (
        theirs.shape,
        theirs.dtype,
        theirs.has_canonical_format,
    )
    for part in ("row", "col", "data"):
        assert getattr(mine, part).dtype == getattr(theirs, part).dtype, part
        assert getattr(mine, part).tolist() == getattr(theirs, part).tolist(), part


def same_count_features(
    mine: tuple[list[Any], list[Any]], theirs: tuple[list[Any], list[Any]]
) -> None:
    """The same sequence and sentence matrices (or ``None``) as ``_create_features`` returns."""
    for mine_matrices, their_matrices in zip(mine, theirs, strict=True):
        for matrix, expected in zip(mine_matrices, their_matrices, strict=True):
            if expected is None:
                assert matrix is None
            else:
                same_coo(matrix, expected)
