"""Rasa's own functions, kept when the project's patches and speedups replace them.

A replacement that falls back to Rasa's way, and a test that compares with it, both need the
function as Rasa defines it. ``replace`` keeps it before it puts the replacement in place, so
``original`` gives Rasa's function however often a patch is applied or a test puts Rasa's back.
"""

from __future__ import annotations

from typing import Any

_kept: dict[tuple[type, str], Any] = {}


def original(cls: type, name: str) -> Any:
    """``cls.name`` as it was when first asked for here, which ``replace`` does first."""
    key = (cls, name)
    if key not in _kept:
        _kept[key] = getattr(cls, name)
    return _kept[key]


def replace(cls: type, name: str, replacement: Any) -> None:
    """Put ``replacement`` in place of ``cls.name``, keeping the one it replaces."""
    original(cls, name)
    setattr(cls, name, replacement)
