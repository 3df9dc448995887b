"""The `findings train` command: fit the intent model and the ranker, print cross-validated figures, write bot/data."""

import json
from pathlib import Path

import click
import numpy as np

from bot.cli.embedding import embedder_command
from bot.cli.leaning import polarity_command
from bot.cli.reranking import reranker_command
from bot.datafiles import read_rows
from bot.embedder import load_embedder
from bot.evaluation.fitting import fit_intent, grouped_folds
from bot.evaluation.provenance import provenance
from bot.evaluation.questions import load_questions
from bot.evaluation.recall import candidate_recall
from bot.evaluation.scorecard import comparison_lines
from bot.evaluation.training import (
    BASELINE,
    FOLDS,
    cross_validate,
    fold_councils,
    metrics_by_set,
    prepare_items,
)
from bot.retrieval.answerer import RERANK_DEPTH, Answerer
from bot.retrieval.intent import INTENT_FILE, Kind, answer_kind, best_route, intent_features
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.query import parse_query
from bot.retrieval.question import Reader
from bot.retrieval.ranker import FOLDS_FILE, RANKER_FILE
from bot.retrieval.reranker import model_card
from bot.settings import Settings
from bot.store.client import open_store

ROUTE_EXAMPLES = "route_examples.csv"
DEFAULT_SETS = ("eval/dev.jsonl", "eval/national-dev.jsonl", "eval/labelled.jsonl")


def route_examples() -> list[dict[str, str]]:
    """The labelled example questions per route, with the family each paraphrase belongs to."""
    return [dict(row) for row in read_rows(ROUTE_EXAMPLES)]


def train_intent(embedder, seed: int):
    """Fit the intent model on the route examples; accuracy in-sample and by folds over paraphrase families."""
    examples = route_examples()
    parsed = [parse_query(row["question"]) for row in examples]
    vectors = embedder.embed([p.frame_text or p.text for p in parsed])
    rows = np.array([intent_features(v, p) for v, p in zip(vectors, parsed, strict=True)])
    routes = [row["route"] for row in examples]
    folds = grouped_folds([row["family"] for row in examples], FOLDS, seed)
    predicted: list[dict[str, float]] = [{}] * len(rows)
    for fold in range(FOLDS):
        train = [n for n, f in enumerate(folds) if f != fold]
        model = fit_intent(rows[train], [routes[n] for n in train], seed=seed)
        for n in (n for n, f in enumerate(folds) if f == fold):
            predicted[n] = model.probabilities(rows[n])
    final = fit_intent(rows, routes, seed=seed)
    seen = [final.probabilities(r) for r in rows]

    def share(guesses: list[dict[str, float]], pick, truth) -> float:
        return sum(pick(g) == truth(r) for g, r in zip(guesses, routes, strict=True)) / len(routes)

    return final, {
        "examples": len(rows), "families": len(set(f["family"] for f in examples)),
        "cv_accuracy": share(predicted, best_route, str), "in_sample_accuracy": share(seen, best_route, str),
        "cv_answer_kind_accuracy": share(predicted, answer_kind, lambda route: Kind(route).answer),
        "in_sample_answer_kind_accuracy": share(seen, answer_kind, lambda route: Kind(route).answer),
    }


def _sets(given: tuple[str, ...], settings: Settings) -> list[tuple[Path, Settings]]:
    out = []
    for spec in given or DEFAULT_SETS:
        path, _, store = spec.partition("=")
        chosen = settings.model_copy(update={"chroma_path": Path(store), "chroma_url": None}) if store else settings
        out.append((Path(path), chosen))
    return out


def _source_reader(answerers: list[Answerer], settings: Settings):
    from bot.cli.wiring import source_reader

    readers = [(a, source_reader(a, settings)) for a in answerers]

    def source_text(report_id: str) -> str:
        return next(read(report_id) for a, read in readers if report_id in a.knowledge.reports)

    return source_text


def set_label(questions: Path, store: str) -> str:
    """A question set's name in the figures: its file and its store's own folder (`make train` keeps both stores
    under .findings/, so the parent folder would give the shipped and national sets one name)."""
    return f"{questions.stem}@{Path(store).name or store}"


@click.command("ranker")
@click.option("--set", "sets", multiple=True, metavar="QUESTIONS[=CHROMA_PATH]",
              help="A question file to train on, on its own store (repeatable); default the eval/ files.")
@click.option("--score", "scored", multiple=True, metavar="QUESTIONS=CHROMA_PATH",
              help="A question file only scored, out of fold by its groups (e.g. dev on the national store).")
@click.option("--seed", default=0, show_default=True)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("bot/data"),
              show_default=True, help="Where the trained weights are written.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write every figure as JSON.")
@click.option("--reranker-folds", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the folds' cross-encoders, each trained without its fold's councils (trained here "
                   "when missing or when a fold's councils changed); without it CV reads the shipped one.")
@click.option("--rows", type=click.Path(dir_okay=False, path_type=Path),
              help="Write each question's out-of-fold answers, before and after, as JSON lines (for blind grading).")
@click.pass_obj
def train_command(settings: Settings, sets: tuple[str, ...], scored: tuple[str, ...], seed: int, data_dir: Path,
                  report: Path | None, reranker_folds: Path | None, rows: Path | None) -> None:
    """Fit the intent model and the ranker by grouped cross-validation; print CV beside in-sample; write weights."""
    embedder = load_embedder(settings)
    intents, intent_figures = train_intent(embedder, seed)
    click.echo(f"intent: {intent_figures['examples']} examples, {intent_figures['families']} families; accuracy "
               f"in-sample {intent_figures['in_sample_accuracy']:.3f}, grouped CV {intent_figures['cv_accuracy']:.3f}")
    answerers: dict[str, Answerer] = {}
    items = []
    for (path, chosen), training in [(s, True) for s in _sets(sets, settings)] + \
            [(s, False) for s in (_sets(scored, settings) if scored else [])]:
        key = str(chosen.chroma_url or chosen.chroma_path)
        if key not in answerers:
            answerers[key] = Answerer(Reader(Knowledge(open_store(chosen, embedder.model_id)), embedder, intents))
        items += prepare_items(load_questions(path), set_label(path, key), answerers[key], training=training)
    recall = candidate_recall(items)
    click.echo("gold among the candidates: " + ", ".join(f"{k} {v:.3f}" for k, v in recall.items()))
    rerankers = fold_rerankers(items, seed, reranker_folds) if reranker_folds else None
    source_text = _source_reader(list(answerers.values()), settings)
    before = cross_validate(items, seed, names=BASELINE)
    run = cross_validate(items, seed, fold_rerankers=rerankers)
    trained = tuple(dict.fromkeys(i.set_name for i in items if i.training))
    # Every question on one store: the scored-only sets stand in for the trained sets they repeat.
    by_file = {i.set_name.split("@")[0]: i.set_name for i in items if not i.training}
    one_store = tuple(by_file.get(name.split("@")[0], name) for name in trained)
    groups = (trained, one_store) if one_store != trained else (trained,)
    cv = metrics_by_set(items, run.out_of_fold, source_text, groups)
    seen = metrics_by_set(items, run.in_sample, source_text, groups)
    cv_before = metrics_by_set(items, before.out_of_fold, source_text, groups)
    seen_before = metrics_by_set(items, before.in_sample, source_text, groups)
    click.echo("before: the same engine without the cross-encoder's columns, fitted in this run")
    for line in comparison_lines(seen_before, cv_before):
        click.echo(line)
    click.echo("after: with the cross-encoder" + (" (each fold's own)" if rerankers else " (the shipped one)")
               + f"; gold among the {RERANK_DEPTH} it read, out of fold: {run.read_recall:.3f}")
    for line in comparison_lines(seen, cv):
        click.echo(line)
    data_dir.mkdir(parents=True, exist_ok=True)
    command = " ".join(["findings train ranker", f"--seed {seed}",
                        *([f"--reranker-folds {reranker_folds}"] if reranker_folds else []),
                        *(f"--set {spec}" for spec in sets), *(f"--score {spec}" for spec in scored)])
    intent_made = provenance({"route_examples": Path("bot/data") / ROUTE_EXAMPLES}, command,
                             embedding_model=embedder.model_id)
    ranker_made = provenance({Path(spec.split("=")[0]).stem: Path(spec.split("=")[0]) for spec in sets}, command,
                             reranker_sha256=model_card()["sha256"], embedding_model=embedder.model_id)
    (data_dir / INTENT_FILE).write_text(json.dumps(intents.to_json() | {"provenance": intent_made}) + "\n",
                                        encoding="utf-8")
    (data_dir / RANKER_FILE).write_text(json.dumps(run.final.to_json() | {"provenance": ranker_made}, indent=1)
                                        + "\n", encoding="utf-8")
    folds = {"seed": seed, "folds": [{"held_out": held, "ranker": r.to_json()} for held, r in run.folds]}
    (data_dir / FOLDS_FILE).write_text(json.dumps(folds) + "\n", encoding="utf-8")
    if rows:
        rows.write_text("".join(json.dumps({
            "id": i.question.id, "set": i.set_name, "question": i.question.question, "kind": i.question.kind,
            "before": b, "after": a}, ensure_ascii=False) + "\n"
            for i, b, a in zip(items, before.out_of_fold, run.out_of_fold, strict=True)), encoding="utf-8")
    if report:
        from bot.evaluation.scorecard import metrics_json

        report.write_text(json.dumps({
            "intent": intent_figures, "candidate_recall": recall, "read_recall_cv": run.read_recall,
            "cv": {k: metrics_json(m) for k, m in cv.items()},
            "in_sample": {k: metrics_json(m) for k, m in seen.items()},
            "before_cv": {k: metrics_json(m) for k, m in cv_before.items()},
            "before_in_sample": {k: metrics_json(m) for k, m in seen_before.items()},
        }, indent=1) + "\n", encoding="utf-8")


# Each fold's cross-encoder is trained as the shipped one is (one epoch), on what its fold leaves; until 8 December
# 2026 they had half an epoch (fold 0's own check 0.638, against 0.787 at one epoch; see README).
FOLD_EPOCHS = 1.0


def fold_rerankers(items, seed: int, folder: Path) -> list:
    """Each fold's cross-encoder, checked to have left out every council its fold's questions touch."""
    from bot.cli.reranking import build_reranker
    from bot.evaluation.pairs import TRAINING_FILE
    from bot.language.words import fold_name
    from bot.retrieval.reranker import reranker_from_bytes

    out = []
    for fold, councils in enumerate(fold_councils(items, seed)):
        model, card = folder / f"fold-{fold}.onnx", folder / f"fold-{fold}.json"
        wanted = {fold_name(c) for c in councils}
        left_out = {fold_name(c) for c in json.loads(card.read_text())["data"]["excluded_councils"]} \
            if card.is_file() and model.is_file() else set()
        if not wanted <= left_out:
            folder.mkdir(parents=True, exist_ok=True)
            listing = folder / f"fold-{fold}.councils.txt"
            listing.write_text("\n".join(sorted(councils)) + "\n", encoding="utf-8")
            build_reranker(TRAINING_FILE, seed, FOLD_EPOCHS, frozenset(councils), model, click.echo,
                           f"findings train reranker --seed {seed} --epochs {FOLD_EPOCHS} --exclude-councils "
                           f"{listing} --out {model} --no-check", check=False)
        sha = json.loads(card.read_text())["sha256"]
        out.append(reranker_from_bytes(model.read_bytes(), sha))
        click.echo(f"fold {fold}: cross-encoder {model} has left out all {len(councils)} councils its questions touch")
    return out


@click.group("train")
def train_group() -> None:
    """Rebuild the learned models from their data: `ranker` (and the intent model), `reranker`."""


train_group.add_command(train_command)
train_group.add_command(reranker_command)
train_group.add_command(embedder_command)
train_group.add_command(polarity_command)
