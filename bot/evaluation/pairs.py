"""The reranker's training pairs, read from the questions written report-first: pure, seeded, no torch.

`training/reranker/questions.jsonl` holds, per question, the sentence that answers it, the writer's hard negatives
(same report, same topic, not an answer) and negatives mined from the same report; a question to refuse holds the
corpus sentences that share most words with it. Each becomes (question, passage, label) pairs. A fold model leaves
out the councils it will be scored on, so its figures are those of reports it never saw.
"""

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from bot.language.words import fold_name
from bot.retrieval.reranker import passage

TRAINING_FILE = Path("training/reranker/questions.jsonl")
# Per answerable question: its answer, every writer's negative, this many mined ones, and one other question's
# answer from the same report (it answers something else, so it is the hardest negative there is).
MINED_PER_QUESTION = 1
REFUSAL_NEGATIVES = 3


@dataclass(frozen=True)
class Pair:
    """One question read with one passage; label 1 when the passage answers it."""

    question: str
    passage: str
    label: float


def load_written(path: Path = TRAINING_FILE) -> list[dict]:
    """Every written question, in file order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def data_hash(path: Path = TRAINING_FILE) -> str:
    """The sha256 of the training file, which the model card records."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text(sentence: dict) -> str:
    return passage(sentence.get("section", ""), sentence["text"])


def training_pairs(items: list[dict], seed: int, exclude: frozenset[str] = frozenset()) -> list[Pair]:
    """Pairs for every question not about an excluded council, shuffled with the seed."""
    rng = random.Random(seed)
    kept = without_councils(items, exclude)
    answers: dict[str, list[dict]] = {}
    for item in kept:
        if item["answerable"]:
            answers.setdefault(item["report"], []).append(item["answer"])
    pairs: list[Pair] = []
    for item in kept:
        question = item["question"]
        if not item["answerable"]:
            pairs += [Pair(question, _text(s), 0.0) for s in item["mined"][:REFUSAL_NEGATIVES]]
            continue
        answer = item["answer"]
        negatives = list(item["negatives"])
        negatives += rng.sample(item["mined"], min(MINED_PER_QUESTION, len(item["mined"])))
        others = [a for a in answers[item["report"]] if a["text"] != answer["text"]
                  and a["text"] not in {n["text"] for n in negatives}]
        if others:
            negatives.append(rng.choice(others))
        pairs.append(Pair(question, _text(answer), 1.0))
        pairs += [Pair(question, _text(n), 0.0) for n in negatives]
    rng.shuffle(pairs)
    return pairs


def without_councils(items: list[dict], councils: frozenset[str] | set[str]) -> list[dict]:
    """The questions not about any of the councils (names compared folded); questions to refuse stay."""
    folded = {fold_name(c) for c in councils}
    return [i for i in items if not i["answerable"] or fold_name(i["council"]) not in folded]


def councils_of(items: list[dict]) -> set[str]:
    """The councils the answerable questions are about."""
    return {i["council"] for i in items if i["answerable"]}


def candidates_of(item: dict) -> tuple[str, list[str]]:
    """A question and its passages, the answer first then every negative (for checking a trained model)."""
    sentences = [item["answer"], *item["negatives"], *item["mined"]] if item["answerable"] else item["mined"]
    return item["question"], [_text(s) for s in sentences]


def split_validation(items: list[dict], share: float, seed: int) -> tuple[list[dict], list[dict]]:
    """Training and validation questions, whole councils apart, about `share` of the councils held back."""
    councils = sorted(councils_of(items))
    random.Random(seed).shuffle(councils)
    held = set(councils[: max(1, round(share * len(councils)))])
    return ([i for i in items if i.get("council") not in held],
            [i for i in items if i.get("council") in held])
