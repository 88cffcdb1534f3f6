"""The loaded model kept out of the garbage collector's way.

Once its model is loaded, the Rasa server holds about 620,000 Python objects (TensorFlow,
the domain, the pipeline), and each of Python's full collections walked all of them: about
300 ms on this project's machines, for whichever message was being answered at the time.
When the server has loaded its model, these objects are moved out of the collector's sight
(``gc.freeze``); objects created later are collected as before.
"""

from __future__ import annotations

import gc
import inspect
import logging
from typing import Any

logger = logging.getLogger(__name__)

_rasa_load_agent_on_start: Any = None


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``load_agent_on_start``, then everything loaded is frozen for the collector."""
    agent = await _rasa_load_agent_on_start(*args, **kwargs)
    gc.collect()
    gc.freeze()
    logger.debug("%d objects of the loaded model frozen for the collector.", gc.get_freeze_count())
    return agent


def apply() -> None:
    global _rasa_load_agent_on_start
    import rasa.core.run

    if _rasa_load_agent_on_start is None:
        _rasa_load_agent_on_start = rasa.core.run.load_agent_on_start
        load_agent_on_start.__signature__ = inspect.signature(_rasa_load_agent_on_start)  # type: ignore[attr-defined]
        rasa.core.run.load_agent_on_start = load_agent_on_start
