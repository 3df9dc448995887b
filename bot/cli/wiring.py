"""Wiring the stages together from settings: the answer engine, the router in front of it, and report readers."""

from pathlib import Path

from bot.embedder import load_embedder
from bot.evaluation.validation import ReportInfo
from bot.ingest.frontmatter import split_front_matter
from bot.ingest.reader import read_bytes, read_source
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.routing.router import Router
from bot.settings import Settings
from bot.store.client import open_store


def build_answerer(settings: Settings) -> Answerer:
    """Wire the quotes answerer, and the reader of questions it asks with, to the configured store and model."""
    embedder = load_embedder(settings)
    return Answerer(Reader(Knowledge(open_store(settings, embedder.model_id)), embedder))


def build_engine(settings: Settings) -> Router:
    """The router in front of the answer engine: what every surface that answers a question uses."""
    return Router(build_answerer(settings))


def source_reader(answerer: Answerer, settings: Settings):
    """A function giving a report's full source text, read again from its file, for the verbatim check."""
    cache: dict[str, str] = {}

    def source_text(report_id: str) -> str:
        if report_id not in cache:
            report = answerer.knowledge.reports[report_id]
            path = Path(report.source_path)
            data = read_bytes(path, settings.max_file_bytes)
            cache[report_id] = read_source(path, data, {}, max_pages=settings.max_pdf_pages).text
        return cache[report_id]

    return source_text


def report_lookup(folders: tuple[Path, ...]):
    """A function giving a report's raw text, council and kind by id, from Markdown files in the folders."""
    paths = {p.stem: p for folder in folders for p in sorted(folder.rglob("*.md"))}
    cache: dict[str, ReportInfo | None] = {}

    def lookup(report_id: str) -> ReportInfo | None:
        if report_id not in cache:
            path = paths.get(report_id)
            text = path.read_text(encoding="utf-8") if path else ""
            meta = split_front_matter(text)[0] if path else {}
            cache[report_id] = ReportInfo(text, str(meta.get("local_authority", "")), str(meta.get("report_type", "")))\
                if path else None
        return cache[report_id]

    return lookup
