"""The example sentences of Rasa NLU YAML files, compared as a user would write them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

# "[Grabow](member)" and '[Grabow]{"entity": "member"}' are "Grabow" to the user.
_ENTITY = re.compile(r"\[(?P<text>[^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalized(text: str) -> str:
    """Lower case, single spaces, no entity markup, no closing punctuation."""
    text = _ENTITY.sub(lambda match: match["text"], text)
    return " ".join(text.casefold().split()).rstrip(" .!?")


def examples(path: Path) -> dict[str, list[str]]:
    """The example sentences per intent (``faq/printer`` for FAQ topics) of one NLU file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, list[str]] = {}
    for block in document.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        lines = str(block.get("examples") or "").splitlines()
        found.setdefault(str(block["intent"]), []).extend(
            line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")
        )
    return found


def known_sentences(paths: Iterable[Path]) -> set[str]:
    """The normalized example sentences of the NLU files and folders ``paths``."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return {
        normalized(sentence)
        for file in files
        for sentences in examples(file).values()
        for sentence in sentences
    }
