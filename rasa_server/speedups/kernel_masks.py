"""The kernels of Rasa's randomly connected layers masked once after loading, not in every call.

DIET, the ResponseSelector and TED build their transformers and feed-forward layers from
``RandomlyConnectedDense``: a dense layer of which only a fraction (``density``) of the
weights may be non-zero. The layer keeps a 0/1 ``kernel_mask`` and on every call first writes
``kernel * kernel_mask`` back into its kernel, because training moves the masked weights away
from zero again after each step. In prediction the kernel does not change, yet each call
still multiplied and wrote every kernel: in DIET's prediction graph these 13 multiplications
and writes were its most expensive operations, about a fifth of its time.

A model loaded for prediction has its kernels masked once, right after its trained weights
are loaded and before its prediction graph is traced, and the graph is traced without the
writes. The kernels it multiplies with then hold exactly the values they hold after Rasa's
write, so the predictions are the same, bit for bit. A model loaded for further training
(``finetune_mode``) and every layer not masked here keep Rasa's way.
"""

from __future__ import annotations

from typing import Any

MASKED = "_ksm_kernel_masked"
"""Set on a layer whose kernel is masked for good: its calls leave the kernel alone."""

_rasa_call: Any = None
_rasa_load: Any = None


def call(self: Any, inputs: Any) -> Any:
    """``RandomlyConnectedDense.call``, without the write for a kernel masked for good."""
    if self.__dict__.get(MASKED):
        import tensorflow as tf

        return tf.keras.layers.Dense.call(self, inputs)
    return _rasa_call(self, inputs)


def mask_kernels(model: Any) -> int:
    """Mask the kernel of each built randomly connected layer of ``model`` once, for good.

    Returns how many layers were masked. The layers are found the way Keras finds them:
    ``tf.Module.submodules`` fails on a compiled model, as Rasa's own load leaves it, when it
    tries to sort the layers that key the model's record of their trainable state.
    """
    from rasa.utils.tensorflow.layers import RandomlyConnectedDense

    masked = 0
    for layer in model._flatten_layers(include_self=False):
        if (
            isinstance(layer, RandomlyConnectedDense)
            and layer.built
            and getattr(layer, "kernel_mask", None) is not None
        ):
            layer.kernel.assign(layer.kernel * layer.kernel_mask)
            layer.__dict__[MASKED] = True
            masked += 1
    return masked


def load(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """``RasaModel.load``, with the kernels masked before the prediction graph is traced.

    The load it wraps traces the graph with ``predict_data_example``; it gets none, and the
    graph is traced here once the kernels are masked, as that load would have done.
    """
    if finetune_mode:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example,
                          finetune_mode, *args, **kwargs)  # fmt: skip
    model = _rasa_load(cls, model_file_name, model_data_example, None, False, *args, **kwargs)
    mask_kernels(model)
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


def apply() -> None:
    """Wrap ``RasaModel.load`` as it is now (the project's, once ``patches`` are applied)."""
    global _rasa_call, _rasa_load
    from rasa.utils.tensorflow.layers import RandomlyConnectedDense
    from rasa.utils.tensorflow.models import RasaModel

    if _rasa_call is None:
        _rasa_call = RandomlyConnectedDense.call
        _rasa_load = RasaModel.__dict__["load"].__func__
        RandomlyConnectedDense.call = call
        RasaModel.load = classmethod(load)
