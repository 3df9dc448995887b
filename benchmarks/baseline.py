"""The LangChain-tutorial baseline, scored with the same metrics as Findings.

Each report body is split with RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200), every chunk is
embedded with the same model Findings uses and stored in a throwaway Chroma collection (cosine space), and each
question is answered with the top k whole chunks; the baseline never abstains.

Usage: python benchmarks/baseline.py [--knowledge DIR] [--questions FILE] [--k 5] [--findings RESULTS.jsonl]
(with the package importable: installed, or PYTHONPATH set to the repository)
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.answer import Answer, Excerpt
from bot.embedder import Embedder, load_embedder
from bot.errors import InputError
from bot.evaluation.metrics import Metrics, metrics_from_rows, run_eval
from bot.evaluation.questions import load_questions
from bot.evaluation.scorecard import format_metrics, metric_lines
from bot.ingest.frontmatter import split_front_matter
from bot.logs import configure_logging
from bot.report import Report
from bot.settings import Settings
from bot.store.chroma import HNSW
from bot.store.sync import discover

DEFAULT_QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def load_reports(folder: Path) -> dict[str, tuple[Report, str]]:
    """Every Markdown report in a folder, by file stem, with its body (front matter removed)."""
    reports = {}
    for path in discover([folder]):
        if path.suffix.lower() != ".md":
            continue
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        fields = {name: str(meta.get(name) or "") for name in ("title", "local_authority", "publisher", "published")}
        reports[path.stem] = (Report(path.stem, report_type=str(meta.get("report_type") or "other"), **fields), body)
    return reports


class Baseline:
    """Split, embed and store every report; answer with the nearest k chunks."""

    def __init__(
        self, reports: dict[str, tuple[Report, str]], embedder: Embedder, folder: Path, k: int, hnsw: dict
    ) -> None:
        self.reports, self.embedder, self.k = reports, embedder, k
        client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
        self.collection = client.create_collection("baseline", embedding_function=None, configuration={"hnsw": hnsw})
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        started = time.perf_counter()
        self.chunks = 0
        for number, (report_id, (_, body)) in enumerate(reports.items(), 1):
            texts = splitter.split_text(body)
            vectors = embedder.embed(texts)
            step = client.get_max_batch_size()
            for at in range(0, len(texts), step):
                self.collection.add(
                    ids=[f"{report_id}:{i}" for i in range(at, min(at + step, len(texts)))],
                    embeddings=vectors[at : at + step],
                    documents=texts[at : at + step],
                    metadatas=[{"report_id": report_id}] * len(texts[at : at + step]),
                )
            self.chunks += len(texts)
            if sys.stderr.isatty():
                print(f"\rbuilt {number}/{len(reports)} reports, {self.chunks} chunks", end="", file=sys.stderr)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        self.build_seconds = time.perf_counter() - started

    def answer(self, question: str) -> Answer:
        """The top k chunks, whole, as excerpts; there is no refusal in the tutorial pipeline."""
        found = self.collection.query(
            query_embeddings=self.embedder.embed([question]), n_results=self.k,
            include=["documents", "metadatas", "distances"],
        )
        excerpts = []
        for text, meta, distance in zip(found["documents"][0], found["metadatas"][0], found["distances"][0],
                                        strict=True):
            report, body = self.reports[meta["report_id"]]
            start = body.find(text)
            excerpts.append(Excerpt(text, report, "", 1.0 - distance, start, start + len(text)))
        return Answer(True, "", excerpts)


def load_rows(path: Path) -> list[dict]:
    """Result rows written by `findings eval --out`, one JSON object a line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputError(f"{path} line {number}: not JSON ({err.msg})") from None
    if not all(isinstance(row, dict) for row in rows):
        raise InputError(f"{path}: every line must be a JSON object")
    return rows


def comparison(columns: dict[str, Metrics]) -> str:
    """A Markdown table with one row per figure and one column per system."""
    header = ["metric", *columns]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    labelled = [metric_lines(m) for m in columns.values()]
    for at, (label, _) in enumerate(labelled[0]):
        lines.append("| " + " | ".join([label, *(values[at][1] for values in labelled)]) + " |")
    kinds = list(next(iter(columns.values())).by_kind)
    for kind in kinds:
        for name, attr in (("hit@5", "hit_at_5"), ("MRR@10", "mrr_at_10"), ("abstain correct", "abstain_correct")):
            cells = [getattr(m.by_kind.get(kind), attr, None) for m in columns.values()]
            if any(c is not None for c in cells):
                shown = ["-" if c is None else f"{c:.3f}" for c in cells]
                lines.append("| " + " | ".join([f"{name} ({kind})", *shown]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"), help="folder of Markdown reports")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="questions JSONL")
    parser.add_argument("--k", type=int, default=5, help="chunks returned per question")
    parser.add_argument("--findings", type=Path, help="results JSONL from `findings eval --out`, to compare")
    parser.add_argument("--out", type=Path, help="write the baseline's result rows here as JSONL")
    parser.add_argument(
        "--findings-index", action="store_true",
        help="index with Findings' HNSW settings instead of Chroma's defaults, which make top-k vary between runs",
    )
    args = parser.parse_args()
    if args.k < 1:
        parser.error("--k must be at least 1")
    configure_logging("WARNING", "json")
    try:
        questions = load_questions(args.questions)
        reports = load_reports(args.knowledge)
        if not reports:
            raise InputError(f"no Markdown reports in {args.knowledge}")

        def source_text(report_id: str) -> str:
            return reports[report_id][1] if report_id in reports else ""

        findings = metrics_from_rows(questions, load_rows(args.findings), source_text) if args.findings else None
    except (InputError, OSError) as err:
        sys.exit(f"baseline: {err}")

    embedder = load_embedder(Settings(_env_file=None))
    with tempfile.TemporaryDirectory() as tmp:
        hnsw = HNSW if args.findings_index else {"space": "cosine"}
        baseline = Baseline(reports, embedder, Path(tmp), args.k, hnsw)
        run = run_eval(questions, baseline.answer, source_text)
    print(f"LangChain baseline: {len(reports)} reports, {baseline.chunks} chunks, built in "
          f"{baseline.build_seconds:.1f} s ({baseline.chunks / baseline.build_seconds:.1f} chunks/s); k={args.k}; "
          f"HNSW {hnsw}")
    print(format_metrics(run.metrics))
    if args.out:
        args.out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in run.rows), encoding="utf-8")
    if findings is not None:
        print()
        print(comparison({"LangChain baseline": run.metrics, "Findings": findings}))


if __name__ == "__main__":
    main()
