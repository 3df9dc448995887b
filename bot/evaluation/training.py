"""Training by grouped cross-validation: each labelled question prepared once, finished by every fold's ranker.

Questions are grouped by local authority (council questions) or by theme (thematic ones), and a fold never
splits a group, so a model is always scored on councils and themes it did not see. The figures that count are
the out-of-fold ones; in-sample figures are printed beside them only to show the gap.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from bot.answer import Answer
from bot.evaluation.fitting import ABSTENTION_C, RANKER_C, abstention_threshold, fit_linear, grouped_folds
from bot.evaluation.metrics import metrics_from_rows, supports
from bot.evaluation.questions import Question
from bot.retrieval.answerer import RERANK_DEPTH, Answerer
from bot.retrieval.features import ALL_FEATURES, FEATURES, columns
from bot.retrieval.prepared import Prepared, evidence
from bot.retrieval.query import parse_query
from bot.retrieval.ranker import EVIDENCE, Linear, Ranker
from bot.retrieval.reranker import KeptScores, Reranker, reranked_features

FOLDS = 5


@dataclass
class Item:
    """One labelled question prepared on its store, with its candidates' labels and its fold group."""

    question: Question
    set_name: str
    group: str
    prepared: Prepared
    labels: np.ndarray
    answerer: Answerer
    prepare_ms: float
    training: bool = True  # False for a set that is only scored (the shipped questions on the national store)


def question_group(question: Question, council_of: Callable[[str], str]) -> str:
    """The fold group: the theme for a thematic question, else the council it is about, else its theme."""
    if question.kind == "thematic":
        return f"theme:{question.theme or question.id}"
    for gold in question.gold:
        council = council_of(gold.report)
        if council:
            return f"la:{council}"
    named = parse_query(question.question).local_authorities
    return f"la:{named[0]}" if named else f"theme:{question.theme or question.id}"


def question_councils(question: Question, council_of: Callable[[str], str]) -> set[str]:
    """Every council a question touches: its gold quotes' councils and the councils it names."""
    found = {council_of(gold.report) for gold in question.gold} | set(parse_query(question.question).local_authorities)
    return {c for c in found if c}


def candidate_labels(prepared: Prepared, question: Question) -> np.ndarray:
    """1 for a candidate sentence that supports a gold quote (or is part of one, like a short list item)."""
    def positive(candidate) -> bool:
        return any(
            gold.report == candidate.report.id
            and (supports(candidate.report.id, candidate.text, gold) or candidate.text in gold.quote
                 or gold.quote in candidate.text)
            for gold in question.gold
        )
    return np.array([float(positive(c)) for c in prepared.candidates])


def prepare_items(questions: list[Question], set_name: str, answerer: Answerer, *, training: bool = True) -> list[Item]:
    """Prepare every question on one answerer, timing each."""
    council_of = {rid: r.local_authority for rid, r in answerer.knowledge.reports.items()}.get
    items = []
    for question in questions:
        started = time.perf_counter()
        prepared = answerer.prepare(answerer.reader.question(question.question))
        elapsed = (time.perf_counter() - started) * 1000
        items.append(Item(question, set_name, question_group(question, lambda r: council_of(r, "")), prepared,
                          candidate_labels(prepared, question), answerer, elapsed, training))
    return items


def _usable(items: list[Item]) -> list[Item]:
    return [i for i in items if not i.prepared.refusal and i.prepared.candidates]


# The ranker without the cross-encoder's columns: the engine before it, fitted in the same run for comparison.
BASELINE = (FEATURES, tuple(e for e in EVIDENCE if e != "cross"))


def fit_ranker(items: list[Item], seed: int, names: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> Ranker:
    """Fit the sentence model on every candidate, then the abstention on out-of-fold evidence."""
    usable = _usable(items)
    features, evidence_names = names or (ALL_FEATURES, EVIDENCE)

    def sentence_model(part: list[Item]):
        rows = np.vstack([columns(i.prepared.features, features) for i in part])
        labels = np.concatenate([i.labels for i in part])
        # Each question counts once, however many candidates it has.
        weights = np.concatenate([np.full(len(i.labels), 1.0 / len(i.labels)) for i in part])
        return fit_linear(rows, labels, features, c=RANKER_C, seed=seed,
                          weights=weights * len(part) / weights.sum())

    sentences = sentence_model(usable)
    # The abstention learns from evidence scored by models that did not see the question (cross-fitting).
    folds = grouped_folds([i.group for i in usable], FOLDS, seed)
    rows = np.zeros((len(usable), len(evidence_names)))
    for fold in range(FOLDS):
        held = [n for n, f in enumerate(folds) if f == fold]
        train = [usable[n] for n, f in enumerate(folds) if f != fold]
        if not held or not train:
            continue
        model = sentence_model(train)
        for n in held:
            found = evidence(usable[n].prepared, model.probabilities(columns(usable[n].prepared.features, features)))
            rows[n] = [found[name] for name in evidence_names]
    answerable = np.array([float(i.question.answerable) for i in usable])
    # Evidence that is unknown for a question (the cross-encoder's, when it has no topic) counts as its average.
    rows = np.where(np.isnan(rows), np.nanmean(rows, axis=0), rows)
    abstention = fit_linear(rows, answerable, evidence_names, c=ABSTENTION_C, seed=seed, balanced=True)
    threshold = abstention_threshold(abstention.probabilities(rows), answerable)
    return Ranker(sentences, abstention, threshold)


def result_row(item: Item, answer: Answer) -> dict:
    """The row `findings eval --out` would write for this answer."""
    excerpts = [{"report": e.report.id, "text": e.text, "section": e.section, "score": round(float(e.score), 4)}
                for e in answer.excerpts]
    return {"id": item.question.id, "answered": answer.answered, "excerpts": excerpts,
            "latency_ms": round(item.prepare_ms, 1)}


@dataclass
class CrossValidation:
    """Out-of-fold and in-sample result rows per item, and each fold's ranker with the groups it never saw."""

    out_of_fold: list[dict]
    in_sample: list[dict]
    folds: list[tuple[list[str], Ranker]]
    final: Ranker
    read_recall: float = 0.0  # share of answerable questions whose gold the out-of-fold cross-encoder read


def fold_of_groups(items: list[Item], seed: int, k: int = FOLDS) -> dict[str, int]:
    """Each training group's fold: groups dealt from a seeded shuffle, never split."""
    groups = sorted({i.group for i in items if i.training})
    return dict(zip(groups, grouped_folds(groups, k, seed), strict=True))


def item_fold(item: Item, fold_of_group: dict[str, int], k: int) -> int:
    """The fold that scores an item; a scored-only question about a group no training question has gets a fixed one."""
    fold = fold_of_group.get(item.group)
    return fold if fold is not None else hash_group(item.group, k)


def fold_councils(items: list[Item], seed: int, k: int = FOLDS) -> list[set[str]]:
    """For each fold, every council its questions touch: their gold quotes' councils and the councils they name.

    A fold's reranker is trained without these councils' reports, so no model that scores a question has seen
    its council or, for a thematic question, any council its gold quotes come from.
    """
    fold_of_group = fold_of_groups(items, seed, k)
    out: list[set[str]] = [set() for _ in range(k)]
    for item in items:
        council_of = {rid: r.local_authority for rid, r in item.answerer.knowledge.reports.items()}
        named = set(parse_query(item.question.question).local_authorities)
        touched = {council_of.get(g.report, "") for g in item.question.gold} | named
        out[item_fold(item, fold_of_group, k)] |= {c for c in touched if c}
    return out


def rescored(item: Item, reranker: Reranker, first: Linear | None) -> Item:
    """The item as another pipeline sees it: its shortlist chosen by `first` and read by `reranker` (a fold's)."""
    prepared = item.prepared
    if prepared.refusal or not prepared.candidates:
        return item
    base = prepared.features[:, : len(FEATURES)]
    features, read = reranked_features(reranker, first, prepared.question, prepared.candidates, base, RERANK_DEPTH)
    return replace(item, prepared=replace(prepared, features=features, read=read))


def _pipeline(items: list[Item], train: list[Item], seed: int, reranker: Reranker | None,
              names) -> tuple[list[Item], Ranker]:
    """Fit one pipeline on `train`: its first stage, its shortlists read by `reranker`, then the ranker."""
    if reranker is None:  # the engine before the cross-encoder: its columns are not read
        return items, fit_ranker(train, seed, names)
    first = fit_ranker(train, seed, BASELINE).sentences
    chosen = {id(i) for i in train}
    seen = [rescored(i, reranker, first) for i in items]
    fitted = fit_ranker([s for s, i in zip(seen, items, strict=True) if id(i) in chosen], seed, names)
    return seen, replace(fitted, first=first)


def cross_validate(items: list[Item], seed: int, k: int = FOLDS, fold_rerankers: list[Reranker] | None = None,
                   names: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> CrossValidation:
    """Grouped k-fold over the training items; scored-only items are finished by the fold that held their group.

    Each fold's whole pipeline is fitted without the fold's questions: its first stage (which picks what the
    cross-encoder reads), its cross-encoder (with fold rerankers, one trained without the fold's councils) and
    its ranker. The baseline (`names=BASELINE`) reads no cross-encoder.
    """
    fold_of_group = fold_of_groups(items, seed, k)
    shipped = None if names == BASELINE else KeptScores(items[0].answerer.reranker)
    fold_rerankers = [KeptScores(r) for r in fold_rerankers] if fold_rerankers else None
    folds, out_of_fold, read = [], [{} for _ in items], []
    for fold in range(k):
        train = [i for i in items if i.training and fold_of_group[i.group] != fold]
        reranker = (fold_rerankers[fold] if fold_rerankers else shipped) if shipped else None
        seen, ranker = _pipeline(items, train, seed, reranker, names)
        folds.append((sorted(g for g, f in fold_of_group.items() if f == fold), ranker))
        for n, item in enumerate(seen):
            if item_fold(item, fold_of_group, k) == fold:
                out_of_fold[n] = result_row(item, item.answerer.finish(item.prepared, ranker))
                if item.training and item.question.answerable and len(item.labels):
                    read.append(bool(item.labels[item.prepared.read].any()))
    seen, final = _pipeline(items, [i for i in items if i.training], seed, shipped, names)
    in_sample = [result_row(item, item.answerer.finish(item.prepared, final)) for item in seen]
    return CrossValidation(out_of_fold, in_sample, folds, final, sum(read) / max(1, len(read)))


def hash_group(group: str, k: int) -> int:
    """A fixed fold for a group no training question has (stable across runs, unlike hash())."""
    return sum(group.encode()) % k


def metrics_by_set(items: list[Item], rows: list[dict], source_text: Callable[[str], str],
                   combined: tuple[tuple[str, ...], ...] = ()) -> dict:
    """Metrics for each question set, and for each named group of sets taken together, from their items' rows."""
    chosen = {name: [name] for name in dict.fromkeys(i.set_name for i in items)}
    for names in combined:
        if len(names) > 1:
            chosen[" + ".join(names)] = list(names)
    out = {}
    for label, names in chosen.items():
        mine = [n for n, i in enumerate(items) if i.set_name in names]
        out[label] = metrics_from_rows([items[n].question for n in mine], [rows[n] for n in mine], source_text)
    return out
