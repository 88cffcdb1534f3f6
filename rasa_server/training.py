"""Training with each model's train step traced once instead of twice.

Keras runs ``fit`` through ``train_function``, a ``tf.function`` traced on the first batch.
Rasa's models create their layers' weights on their first call, and the optimizer its slots
on its first step, so that first trace creates variables; a ``tf.function`` that created
variables traces itself a second time for every later call. For DIET each trace took 15 to
23 s on a 2-core machine without AVX-512, about a tenth of its training.

``fit`` now creates the same variables before Keras traces: one eager loss on the first
batch (as ``patches.load_model`` does to load a model) and the optimizer's ``build``. The
trace then creates none and is the only one. The epochs, batches, losses and updates are
Rasa's; the starting weights are drawn from the same seeded initialisers, but in another
order of random operations than inside the trace, so a model trained this way is as
different from one trained before as one seed from another, not better or worse. When the
optimizer already has its slots (a second ``fit`` of the same model), Keras goes on as it
would.
"""

from __future__ import annotations

from typing import Any

_keras_fit: Any = None


def fit(self: Any, x: Any = None, *args: Any, **kwargs: Any) -> Any:
    """``tf.keras.Model.fit`` after creating the variables the first training step would."""
    from rasa.utils.tensorflow.data_generator import RasaDataGenerator

    optimizer = getattr(self, "optimizer", None)
    if (
        isinstance(x, RasaDataGenerator)
        and optimizer is not None
        and not getattr(optimizer, "_built", False)
        and len(x) > 0
    ):
        build(self, x)
    return _keras_fit(self, x, *args, **kwargs)


def build(model: Any, data: Any) -> None:
    """Create ``model``'s weights and its optimizer's slots from the first batch of ``data``."""
    batch_in, _ = data[0]
    model._training = True
    try:
        model.batch_loss(batch_in)
    finally:
        model._training = None
    model.optimizer.build(model.trainable_variables)


def apply() -> None:
    global _keras_fit
    if _keras_fit is None:
        import tensorflow as tf
        from rasa.utils.tensorflow.models import RasaModel

        _keras_fit = tf.keras.Model.fit
        RasaModel.fit = fit
