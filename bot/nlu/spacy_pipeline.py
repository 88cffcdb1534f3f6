"""Building the German spaCy pipeline the Rasa NLU pipeline loads.

No trained German spaCy model can be downloaded where the assistant is built, so the
pipeline is assembled from ``spacy.blank("de")`` (German tokenizer rules) and the lookup
lemmatizer whose tables ship in ``spacy-lookups-data``: "druckt" → "drucken",
"Kolleginnen" → "Kollegin".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import spacy

from bot.settings import PROJECT_ROOT

PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy" / "de_ksm"
"""Where config.yml expects the pipeline (``SpacyNLP.model``)."""


def build(target: Path = PIPELINE_DIR) -> Path:
    """Build the pipeline into ``target``, replacing what is there."""
    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "de_ksm"
    nlp.meta["description"] = "spacy.blank('de') with the lookup lemmatizer"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target
