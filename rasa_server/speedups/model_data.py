"""DIET's and the ResponseSelector's batch for one message laid out from its features directly.

To predict for a message, both components build Rasa's model data from it: the features of
each attribute collected, fake features prepared for absent ones, masks and sequence
lengths added, the keys sorted; then a data generator cuts the one batch out of it and turns
each sparse matrix into indices, values and shape. For one message in the prediction server
that was about an eighth of the event loop's time, more than the two TensorFlow graphs
took.

A model whose prediction input is what the project's featurizers give it (the text's mask,
its sparse sentence and sequence features, the sequence lengths) gets that batch laid out
from the message's two combined feature matrices, in the order, with the types and values
Rasa's generator gives it. Anything else (dense features, a missing feature type, an empty
sequence, another input signature) takes Rasa's way. DIET and the ResponseSelector ask for
the same features of the same message, so the batch is kept with the message for the second,
as long as no features have been added to the message since.
"""

from __future__ import annotations

from typing import Any

FITS = "_ksm_fits_message_batch"
"""Set on a model: whether its prediction input is the one laid out here."""
KEPT = "_ksm_message_batch"
"""Set on a message: the featurizers and feature count its batch was laid out for, and it."""

_rasa_predict: Any = None


def fits(model: Any) -> bool:
    """Whether the model predicts from a text's mask, sparse sentence and sequence, lengths."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.utils.tensorflow.constants import MASK, SENTENCE, SEQUENCE, SEQUENCE_LENGTH
    from rasa.utils.tensorflow.model_data import FeatureSignature

    signature = getattr(model, "predict_data_signature", None)
    if not isinstance(signature, dict) or list(signature) != [TEXT]:
        return False
    expected = [(MASK, False), (SENTENCE, True), (SEQUENCE, True), (SEQUENCE_LENGTH, False)]
    text = signature[TEXT]
    return [key for key, _ in expected] == list(text) and all(
        len(text[key]) == 1
        and isinstance(text[key][0], FeatureSignature)
        and text[key][0].is_sparse is sparse
        for key, sparse in expected
    )


def sparse_values(matrix: Any) -> list[Any]:
    """A one-message batch of ``matrix`` as indices, values and shape, as Rasa's generator."""
    import numpy as np
    from scipy.sparse import coo_matrix

    coo = matrix if isinstance(matrix, coo_matrix) else matrix.tocoo()
    indices = np.vstack([np.zeros_like(coo.row), coo.row, coo.col]).T
    shape = np.array((1, coo.shape[0], coo.shape[-1]))
    return [indices.astype(np.int64), coo.data.astype(np.float32), shape.astype(np.int64)]


def message_batch(message: Any, featurizers: list[str] | None) -> tuple[Any, ...] | None:
    """The batch of one message's text; None where it is not a sparse sentence and sequence."""
    key = (tuple(featurizers or ()), len(message.features))
    kept = message.__dict__.get(KEPT)
    if kept is not None and kept[0] == key:
        return kept[1]
    batch_in = lay_out(message, featurizers)
    message.__dict__[KEPT] = (key, batch_in)
    return batch_in


def lay_out(message: Any, featurizers: list[str] | None) -> tuple[Any, ...] | None:
    import numpy as np
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT

    by_type: dict[str, Any] = {}
    for features in message.get_all_features(TEXT, featurizers):
        if not features.is_sparse() or features.type in by_type:
            return None
        by_type[features.type] = features.features
    if set(by_type) != {FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE}:
        return None
    sentence, sequence = by_type[FEATURE_TYPE_SENTENCE], by_type[FEATURE_TYPE_SEQUENCE]
    if sequence.shape[0] == 0 or sentence.shape[0] != 1:
        return None
    return (
        np.ones((1, 1, 1), dtype=np.float32),
        *sparse_values(sentence),
        *sparse_values(sequence),
        np.array([sequence.shape[0]], dtype=np.float32),
    )


def predict(self: Any, message: Any) -> Any:
    """``DIETClassifier._predict`` (and the ResponseSelector's) from the laid-out batch."""
    from rasa.utils.tensorflow.constants import FEATURIZERS

    model = self.model
    if model is None:
        return _rasa_predict(self, message)
    fitting = model.__dict__.get(FITS)
    if fitting is None:
        fitting = model.__dict__[FITS] = fits(model)
    batch_in = message_batch(message, self.component_config.get(FEATURIZERS)) if fitting else None
    if batch_in is None:
        return _rasa_predict(self, message)
    return model._rasa_predict(batch_in)


def apply() -> None:
    global _rasa_predict
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    if _rasa_predict is None:
        _rasa_predict = DIETClassifier._predict
        DIETClassifier._predict = predict
