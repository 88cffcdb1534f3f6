"""Comparing NLU pipelines on the held-out test set, over several random seeds.

One training run is one sample: DIET's result moves by a few hundredths of macro-F1 from
seed to seed, so a pipeline is only better if it is better on average over seeds. Each
candidate config is copied with the seed replaced, trained with ``rasa train nlu`` and
evaluated with ``rasa test nlu`` on ``tests/nlu/test_nlu.yml``.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.quality import Evaluation, read_evaluation
from bot.settings import PROJECT_ROOT

CANDIDATES = {
    "spacy-lemmas": PROJECT_ROOT / "config.yml",
    "whitespace-char-ngrams": PROJECT_ROOT
    / "docs"
    / "nlu-pipelines"
    / "whitespace-char-ngrams.yml",
}
TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
WORK_DIR = PROJECT_ROOT / "build" / "compare"


@dataclass(frozen=True)
class Result:
    candidate: str
    seed: int
    evaluation: Evaluation


def seeded_config(config: Path, seed: int, target: Path) -> Path:
    text = re.sub(r"random_seed: \d+", f"random_seed: {seed}", config.read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def evaluate(candidate: str, seed: int, rasa: Sequence[str]) -> Result:
    run_dir = WORK_DIR / f"{candidate}-{seed}"
    config = seeded_config(CANDIDATES[candidate], seed, run_dir / "config.yml")
    model = run_dir / "model.tar.gz"
    subprocess.run(  # noqa: S603 - fixed rasa command line
        [*rasa, "train", "nlu", "--config", str(config), "--out", str(run_dir),
         "--fixed-model-name", "model"],
        cwd=PROJECT_ROOT, check=True,
    )  # fmt: skip
    subprocess.run(  # noqa: S603 - fixed rasa command line
        [*rasa, "test", "nlu", "--nlu", str(TEST_SET), "--model", str(model),
         "--out", str(run_dir / "results")],
        cwd=PROJECT_ROOT, check=True,
    )  # fmt: skip
    return Result(candidate, seed, read_evaluation(run_dir / "results"))


def table(results: list[Result]) -> str:
    lines = ["| Pipeline | Seed | Intent macro-F1 | Intent accuracy | FAQ-Thema macro-F1 |"]
    lines.append("|---|---|---|---|---|")
    for result in results:
        evaluation = result.evaluation
        faq = f"{evaluation.response_macro_f1:.3f}" if evaluation.response_macro_f1 else "–"
        lines.append(
            f"| {result.candidate} | {result.seed} | {evaluation.intent_macro_f1:.3f} "
            f"| {evaluation.intent_accuracy:.3f} | {faq} |"
        )
    for candidate in dict.fromkeys(result.candidate for result in results):
        scores = [r.evaluation.intent_macro_f1 for r in results if r.candidate == candidate]
        spread = f" ± {statistics.stdev(scores):.3f}" if len(scores) > 1 else ""
        lines.append(
            f"| **{candidate}** | Mittel | **{statistics.mean(scores):.3f}{spread}** | | |"
        )
    return "\n".join(lines)
