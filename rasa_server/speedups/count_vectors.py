"""A message's word and character n-gram counts built from the vocabulary directly.

For each message the two ``CountVectorsFeaturizer`` of the pipeline (word lemmas, character
n-grams) call scikit-learn's ``CountVectorizer.transform`` twice, once for the tokens and
once for the whole text: each call builds the analyzer again, counts the n-grams, builds a
compressed sparse matrix with its checks and sorts its indices, and Rasa then turns it into
a coordinate matrix. For one short message the matrices cost more than the counting: the
character featurizer took 0.3 ms, 0.25 ms of it in the two transforms, of which counting the
n-grams was 0.08 ms.

The counts are taken here with the vectorizer's own analyzer (built once per vectorizer) and
vocabulary, as ``transform`` counts them, and laid out as the coordinate matrix Rasa ends
with: rows in order, columns ascending within a row, the vectorizer's value type, the index
type scipy chooses for the shape. A vectorizer that is not a plain fitted ``CountVectorizer``
of counts (binary, another class, a vocabulary that is not a dict) takes Rasa's way.
"""

from __future__ import annotations

from typing import Any

ANALYZER = "_ksm_analyzer"
"""Set on a vectorizer: its analyzer, built once (it depends only on the fitted parameters)."""

_rasa_create_features: Any = None


def counts(vectorizer: Any, documents: list[str]) -> Any:
    """``vectorizer.transform(documents)`` with sorted indices, as a coordinate matrix."""
    import numpy as np
    from scipy.sparse import coo_matrix

    analyze = vectorizer.__dict__.get(ANALYZER)
    if analyze is None:
        analyze = vectorizer.__dict__[ANALYZER] = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    rows: list[int] = []
    columns: list[int] = []
    values: list[int] = []
    for number, document in enumerate(documents):
        counted: dict[int, int] = {}
        for feature in analyze(document):
            column = vocabulary.get(feature)
            if column is not None:
                counted[column] = counted.get(column, 0) + 1
        for column in sorted(counted):
            rows.append(number)
            columns.append(column)
            values.append(counted[column])
    return coo_matrix(
        (
            np.array(values, dtype=vectorizer.dtype),
            (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)),
        ),
        shape=(len(documents), len(vocabulary)),
    )


def plain(vectorizer: Any) -> bool:
    """Whether the vectorizer is a fitted ``CountVectorizer`` that counts (not binary)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return (
        type(vectorizer) is CountVectorizer
        and not vectorizer.binary
        and isinstance(getattr(vectorizer, "vocabulary_", None), dict)
        and len(vectorizer.vocabulary_) > 0
    )


def create_features(
    self: Any, attribute: str, all_tokens: list[list[str]]
) -> tuple[list[Any], list[Any]]:
    """``CountVectorsFeaturizer._create_features``, counting as ``transform`` does."""
    from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES

    vectorizer = (self.vectorizers or {}).get(attribute)
    if vectorizer is None or not plain(vectorizer):
        return _rasa_create_features(self, attribute, all_tokens)
    sequence_features: list[Any] = []
    sentence_features: list[Any] = []
    for tokens in all_tokens:
        if not tokens:
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        sequence_features.append(counts(vectorizer, tokens))
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentence_features.append(counts(vectorizer, [" ".join(tokens)]))
        else:
            sentence_features.append(None)
    return sequence_features, sentence_features


def apply() -> None:
    global _rasa_create_features
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )

    if _rasa_create_features is None:
        _rasa_create_features = CountVectorsFeaturizer._create_features
        CountVectorsFeaturizer._create_features = create_features
