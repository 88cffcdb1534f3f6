"""How dates and lists read in German answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def german_date(day: dt.date) -> str:
    """``01.01.2019``: the form German administrations write dates in."""
    return day.strftime("%d.%m.%Y")


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def before_phrase(day: dt.date) -> str:
    """What follows "vor": the year for a 1 January ("vor 2019"), else "vor dem 01.03.2019"."""
    return str(day.year) if (day.month, day.day) == (1, 1) else f"dem {german_date(day)}"
