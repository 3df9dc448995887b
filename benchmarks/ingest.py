"""Measure ingest: build from empty, the raw embedding throughput that bounds it, and an unchanged re-run.

The build runs as `findings ingest` does, with INGEST_WORKERS worker processes (default one per core).

Usage: python benchmarks/ingest.py [KNOWLEDGE_DIR] [--sample N] [--workers N]
"""

import argparse
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from bot.embedder import Embedder, load_embedder, model_files
from bot.ingest.chunker import chunk_text
from bot.ingest.frontmatter import split_front_matter
from bot.ingest.workers import InlineWorkers, embedding_text, start_workers
from bot.logs import configure_logging
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import discover, ingest


def sample_texts(folder: Path, sample: int) -> list[str]:
    """Real chunk texts from the folder's Markdown reports, spread evenly, as ingest embeds them."""
    texts: list[str] = []
    for path in discover([folder]):
        if path.suffix == ".md":
            body = split_front_matter(path.read_text(encoding="utf-8"))[1]
            texts += [embedding_text("", c.section, c.text) for c in chunk_text(path.stem, body)]
    return texts[:: max(1, len(texts) // sample)][:sample]


def raw_throughput(embedder, texts: list[str]) -> float:
    """Chunks per second of the model alone."""
    embedder.embed(texts[:8])  # warm the session
    started = time.perf_counter()
    embedder.embed(texts)
    return len(texts) / (time.perf_counter() - started)


def _one_thread_rate(texts: list[str]) -> float:
    return raw_throughput(Embedder(model_files(Settings(_env_file=None)), threads=1), texts)


def parallel_throughput(texts: list[str], processes: int) -> float:
    """Chunks per second of `processes` single-thread copies of the model running at once, as ingest workers do."""
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return sum(pool.map(_one_thread_rate, [texts] * processes))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="knowledge", type=Path)
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, chroma_path=Path(tmp) / "chroma", ingest_workers=args.workers)
        texts = sample_texts(args.folder, args.sample)
        rate = raw_throughput(load_embedder(settings), texts)
        workers = start_workers(settings)
        limit = parallel_throughput(texts, workers.size) if workers.size > 1 else rate
        print(f"machine: {os.cpu_count()} cores; embedding model alone over {len(texts)} chunks: {rate:.1f} chunks/s "
              f"in one process, {limit:.1f} chunks/s as {workers.size} single-thread processes")
        store = open_store(settings, workers.model_id)
        try:
            build = ingest([args.folder], store, workers, max_bytes=settings.max_file_bytes)
        finally:
            workers.close()
        print(
            f"build from empty: {build.added} reports, {build.chunks} chunks in {build.seconds:.1f} s "
            f"with {workers.size} worker(s) = {build.chunks_per_second:.1f} chunks/s "
            f"({build.chunks_per_second / limit:.0%} of the model alone); "
            f"failed {len(build.failed)}"
        )
        again = ingest([args.folder], store, InlineWorkers(load_embedder(settings)), max_bytes=settings.max_file_bytes)
        print(f"re-ingest unchanged: {again.unchanged} unchanged, {again.chunks} chunks in {again.seconds:.2f} s")


if __name__ == "__main__":
    main()
