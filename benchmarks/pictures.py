"""Time and check leaders' charts and Word briefings for every council, after the knowledge base is loaded.

For each council: the chart (history + PNG) and the document (briefing + history + PNG + .docx) are timed
separately; every chart mark must equal the grade extracted at ingest, and every quote in the document must be
its report's text at its offsets, in quotation marks, followed by its citation. With --render N, the first N
documents are also rendered by LibreOffice headless and pdftoppm, and the PDF's text layer must hold every quote.

Usage: PYTHONPATH=. python benchmarks/pictures.py --chroma-path DIR [--sources DIR ...] [--render N] [--out DIR]
"""

import argparse
import datetime as dt
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from docx import Document

from bot.embedder import model_files
from bot.evaluation.metrics import percentile
from bot.ingest.reader import read_source
from bot.language.areas import current_areas
from bot.language.grades import GRADES
from bot.leaders.briefing import brief
from bot.leaders.chart import draw
from bot.leaders.document import QUOTE_STYLE, briefing_document, citation, quoted
from bot.leaders.history import council_history
from bot.leaders.standing import grade_of, graded_reports
from bot.logs import configure_logging
from bot.retrieval.knowledge import Knowledge
from bot.settings import Settings
from bot.store.client import open_store

TARGET_S = 1.0


def chart_agrees(knowledge: Knowledge, la: str, history) -> bool:
    """Every mark is an extracted grade, and every extracted grade is marked."""
    marked = {(m.report.id, m.grade) for m in history.marks}
    expected = {(r.id, g.grade) for r in graded_reports(knowledge, la) for area in (a.name for a in current_areas())
                if (g := grade_of(r, area, knowledge)) and g.grade in GRADES}
    return marked == expected


def quotes_verbatim(briefing, data: bytes, source_of) -> tuple[int, int]:
    """(quotes in the document, quotes that are verbatim, in quotation marks and cited)."""
    wanted = briefing.improvements + briefing.strengths + briefing.concerns + \
        ([briefing.focus] if briefing.focus else []) + briefing.visit_improvements
    paragraphs = Document(io.BytesIO(data)).paragraphs
    at = [i for i, p in enumerate(paragraphs) if p.style.name == QUOTE_STYLE]
    good = sum(1 for i, q in zip(at, wanted, strict=False)
               if paragraphs[i].text == quoted(q) and paragraphs[i + 1].text.startswith(citation(q))
               and source_of(q.report.id)[q.start : q.end] == q.text)
    return len(at) if len(at) == len(wanted) else -1, good


def rendered_quotes(data: bytes, briefing) -> tuple[int, int]:
    """Render with LibreOffice and pdftoppm; (quotes, quotes found in the PDF's text layer)."""
    wanted = briefing.improvements + briefing.strengths + briefing.concerns
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.docx"
        path.write_bytes(data)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/p", "--convert-to", "pdf",
                        "--outdir", folder, str(path)], check=True, capture_output=True, timeout=180)
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", f"{folder}/b.pdf", "-"], check=True,
                              capture_output=True, text=True).stdout
        subprocess.run(["pdftoppm", "-r", "40", "-png", f"{folder}/b.pdf", f"{folder}/page"], check=True, timeout=120)
    flat = " ".join(text.replace("-\n", "-").split())
    return len(wanted), sum(1 for q in wanted if " ".join(quoted(q).split()) in flat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chroma-path", type=Path, required=True)
    parser.add_argument("--sources", type=Path, nargs="*", default=[Path("../shared/national"), Path("knowledge")])
    parser.add_argument("--render", type=int, default=0, help="render this many documents with LibreOffice")
    parser.add_argument("--out", type=Path, help="write each council's chart and document here")
    args = parser.parse_args()
    settings = Settings(_env_file=None, chroma_path=args.chroma_path)
    configure_logging("WARNING", "json")
    started = time.perf_counter()
    knowledge = Knowledge(open_store(settings, model_files(settings).model_id))
    councils = sorted(knowledge.local_authorities)
    loaded = time.perf_counter() - started
    print(f"loaded {len(knowledge.reports)} reports on {len(councils)} councils in {loaded:.1f} s")
    paths = {p.stem: p for folder in args.sources for p in sorted(folder.rglob("*.md"))}
    cache: dict[str, str] = {}

    def source_of(report_id: str) -> str:
        if report_id not in cache:
            path = paths[report_id]
            cache[report_id] = read_source(path, path.read_bytes(), {}).text
        return cache[report_id]

    chart_s, doc_s, disagree, quotes, good, rendered, found = [], [], [], 0, 0, 0, 0
    draw(council_history(knowledge, councils[0]))  # matplotlib's fonts, once per process, as a server pays once
    for n, la in enumerate(councils):
        t0 = time.perf_counter()
        history = council_history(knowledge, la)
        png = draw(history)
        t1 = time.perf_counter()
        briefing = brief(la, knowledge)
        history = council_history(knowledge, la)
        data = briefing_document(briefing, history, draw(history), dt.date.today())
        t2 = time.perf_counter()
        chart_s.append(t1 - t0)
        doc_s.append(t2 - t1)
        if not chart_agrees(knowledge, la, history):
            disagree.append(la)
        count, verbatim = quotes_verbatim(briefing, data, source_of)
        quotes, good = quotes + max(count, 0), good + verbatim
        if count < 0:
            disagree.append(f"{la} (quote count)")
        if n < args.render and shutil.which("soffice"):
            shown, seen = rendered_quotes(data, briefing)
            rendered, found = rendered + shown, found + seen
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{la}.png").write_bytes(png)
            (args.out / f"{la}.docx").write_bytes(data)
    for name, times in (("chart", chart_s), ("document", doc_s)):
        over = sum(1 for t in times if t > TARGET_S)
        print(f"{name:<9} p50 {percentile(times, 50) * 1000:6.0f} ms  p95 {percentile(times, 95) * 1000:6.0f} ms  "
              f"max {max(times) * 1000:6.0f} ms  over {TARGET_S:.0f} s: {over}/{len(times)}")
    print(f"chart grades agree with the extracted judgements: {len(councils) - len(disagree)}/{len(councils)}"
          + (f"  differ: {disagree}" if disagree else ""))
    print(f"document quotes verbatim, in quotation marks and cited: {good}/{quotes}")
    if rendered:
        print(f"rendered by LibreOffice: {found}/{rendered} quotes in the PDF text layer ({args.render} documents)")


if __name__ == "__main__":
    main()
