"""Tests for ingest: idempotency, changes, pruning, bad input and interruption, on real Chroma."""

import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

from pypdf import PdfWriter

from bot.store.client import open_store
from bot.store.sync import discover, ingest
from tests.conftest import KNOWLEDGE, REPO, SMALL_REPORTS, CountingEmbedder


def _run(settings, paths, embedder, **options):
    store = open_store(settings, embedder.model_id)
    return ingest(paths, store, embedder, max_bytes=settings.max_file_bytes, **options), store


def test_second_run_on_unchanged_files_embeds_nothing(settings, small_knowledge, embedder):
    """Re-running ingest on the same files reports them unchanged and does no embedding work."""
    counting = CountingEmbedder(embedder)
    first, store = _run(settings, [small_knowledge], counting)
    assert (first.added, first.failed) == (3, []) and first.chunks == counting.texts > 0
    ids_before = {h.id for h in store.all_chunks()}
    second, store = _run(settings, [small_knowledge], counting)
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 3, 0)
    assert counting.texts == first.chunks
    assert {h.id for h in store.all_chunks()} == ids_before


def test_attribution_comes_from_front_matter(settings, small_knowledge, embedder):
    """Each stored report carries its title, LA, type, date and publisher from the file's front matter."""
    _, store = _run(settings, [small_knowledge], embedder)
    report = store.reports()["essex-focused-visit-2021-11-22"].report
    assert report.local_authority == "Essex"
    assert report.report_type == "focused_visit"
    assert report.published == "2021-11-22"
    assert report.publisher == "Ofsted"
    assert report.title.startswith("Focused visit to Essex")


def test_changed_file_replaces_its_chunks_without_orphans(settings, small_knowledge, embedder):
    """Editing a report re-embeds only that report and leaves none of its old chunks behind."""
    _run(settings, [small_knowledge], embedder)
    target = small_knowledge / SMALL_REPORTS[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text[: len(text) // 2] + "\n\nA new closing paragraph about supervision.\n", encoding="utf-8")
    result, store = _run(settings, [small_knowledge], embedder)
    assert (result.updated, result.unchanged, result.added) == (1, 2, 0)
    assert store.count() == sum(s.chunks for s in store.reports().values())
    report_id = target.stem
    digest = store.reports()[report_id].digest
    chunks = [h for h in store.all_chunks() if h.report_id == report_id]
    assert all(h.id.split(":")[1] == digest[:12] for h in chunks)
    assert any("new closing paragraph" in h.text for h in chunks)


def test_removed_file_goes_only_with_prune(settings, small_knowledge, embedder):
    """A deleted file's report stays until `prune` is asked for, then goes with all its chunks."""
    _run(settings, [small_knowledge], embedder)
    (small_knowledge / SMALL_REPORTS[1]).unlink()
    kept, store = _run(settings, [small_knowledge], embedder)
    assert kept.removed == 0 and len(store.reports()) == 3
    pruned, store = _run(settings, [small_knowledge], embedder, prune=True)
    assert pruned.removed == 1 and len(store.reports()) == 2
    assert store.count() == sum(s.chunks for s in store.reports().values())


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose small content stream inflates to `megabytes` MB of drawing operators."""
    packer = zlib.compressobj(9)
    block = b"0 0 m 1 1 l S\n" * 65536
    stream = b"".join(packer.compress(block) for _ in range(megabytes * 1048576 // len(block))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _bad_files(folder: Path) -> dict[str, str]:
    """Write one file per bad-input case; return file name -> expected reason fragment."""
    real_pdf = (REPO / "tests/fixtures/pdfs").glob("*.pdf")
    pdf_bytes = next(iter(sorted(real_pdf))).read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf_bytes[: len(pdf_bytes) // 3])
    (folder / "empty.pdf").write_bytes(b"")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    with (folder / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)
    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    with (folder / "scanned.pdf").open("wb") as handle:
        blank.write(handle)
    (folder / "binary.md").write_bytes(os.urandom(2048) + b"\x00\x01\x02")
    latin1 = "Inspection of Testshire children’s services: caf".encode() + b"\xe9 ok"
    (folder / "latin1.txt").write_bytes(latin1)
    (folder / "huge.md").write_text("# Big\n\n" + "word " * 400_000, encoding="utf-8")
    (folder / "badyaml.md").write_text("---\ntitle: [unclosed\n---\n\n# Report\n\nText here.\n", encoding="utf-8")
    many = PdfWriter()
    for _ in range(2500):
        many.add_blank_page(width=595, height=842)
    with (folder / "thousands.pdf").open("wb") as handle:
        many.write(handle)
    (folder / "bomb.pdf").write_bytes(flate_bomb_pdf(megabytes=300))
    mixed = ("# Report\n\n" + "Children’s services are improving. " * 3000).encode() + "café".encode("cp1252")
    (folder / "mixed.md").write_bytes(mixed + b" and more text\n")
    (folder / "late-binary.md").write_bytes(("# Report\n\n" + "Plain words. " * 8000).encode() + b"\x00\x01\x02" * 50)
    return {
        "thousands.pdf": "2500 pages, more than the limit of 2000",
        "bomb.pdf": "too large to read safely",
        "mixed.md": "not UTF-8",
        "late-binary.md": "binary data",
        "truncated.pdf": "not a readable PDF",
        "empty.pdf": "file is empty",
        "encrypted.pdf": "encrypted",
        "scanned.pdf": "no extractable text",
        "binary.md": "binary data",
        "latin1.txt": "not UTF-8",
        "huge.md": "MB limit",
        "badyaml.md": "invalid YAML front matter",
    }


def test_each_bad_file_gets_one_clear_reason_and_the_rest_ingests(settings, small_knowledge, embedder):
    """Bad files fail one by one with a reason naming the problem, and good files still ingest."""
    expected = _bad_files(small_knowledge)
    settings = settings.model_copy(update={"max_file_mb": 1.0})
    result, store = _run(settings, [small_knowledge], embedder)
    reasons = {Path(f.path).name: f.error for f in result.failed}
    assert set(reasons) == set(expected)
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name]
    assert result.added == 3 and len(store.reports()) == 3
    assert store.count() == sum(s.chunks for s in store.reports().values()) == result.chunks


def test_same_report_under_two_names_is_indexed_once(settings, small_knowledge, embedder):
    """A copy of a report under another name is reported as a duplicate, not indexed twice."""
    shutil.copy(small_knowledge / SMALL_REPORTS[0], small_knowledge / "copy-of-report.md")
    result, store = _run(settings, [small_knowledge], embedder)
    assert [Path(f.path).name for f in result.failed] == ["copy-of-report.md"]
    assert "same content as" in result.failed[0].error
    assert len(store.reports()) == 3


def test_discover_skips_hidden_and_non_report_files(tmp_path):
    """Hidden files, the catalogue, the licence and unsupported types are not treated as reports."""
    for name in ("a.md", "b.pdf", "c.html", "d.txt", ".hidden.md", "LICENCE.md", "catalogue.csv", "e.docx"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.pdf", "c.html", "d.txt"]


def _start_ingest(settings, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "CHROMA_PATH": str(settings.chroma_path), "LOG_FORMAT": "json", "PYTHONPATH": str(REPO),
           "INGEST_WORKERS": "2"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPO,
    )


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _wait_gone(pids: list[int], timeout: float = 10.0) -> None:
    """Wait for processes to exit; fail naming any that outlive the timeout."""
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
        time.sleep(0.05)
    assert not alive, f"worker processes {alive} outlived the killed ingest"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "Z"


def test_killed_ingest_is_finished_by_the_next_run(settings, tmp_path, embedder):
    """After kill -9 mid-ingest its workers die too, and the next run completes with no orphans and the same
    results as a clean build."""
    folder = tmp_path / "kb"
    folder.mkdir()
    names = sorted(p.name for p in KNOWLEDGE.glob("*focused-visit*.md"))[:8]
    for name in names:
        shutil.copy(KNOWLEDGE / name, folder / name)
    process = _start_ingest(settings, folder)
    committed = 0
    for line in process.stderr:
        if '"ingest.report"' in line:
            committed += 1
        if committed == 3:
            workers = _children(process.pid)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert workers, "the ingest ran with worker processes"
    _wait_gone(workers)
    result, store = _run(settings, [folder], embedder)
    assert result.unchanged >= 3 and result.unchanged + result.added == len(names)
    assert store.count() == sum(s.chunks for s in store.reports().values())
    clean_settings = settings.model_copy(update={"chroma_path": tmp_path / "clean"})
    _, clean = _run(clean_settings, [folder], embedder)
    assert sorted(h.id for h in store.all_chunks()) == sorted(h.id for h in clean.all_chunks())
    assert store.sentences.count() == clean.sentences.count()
    query = embedder.embed(["care leavers personal advisers"])[0].tolist()
    assert [h.id for h in store.query(query, 10)] == [h.id for h in clean.query(query, 10)]


def test_missing_path_is_a_failure_not_a_crash(settings, tmp_path, embedder):
    """A path that does not exist is reported as failed with a reason."""
    result, _ = _run(settings, [tmp_path / "no-such-folder"], embedder)
    assert result.failed[0].error == "no such file or folder"


def test_dropped_pdf_and_html_are_ingested_with_inferred_metadata(settings, tmp_path, embedder):
    """A real PDF and an HTML page with no catalogue row get their LA, type and grades from their text."""
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(REPO / "tests/fixtures/pdfs/plymouth-ilacs-2024-03-15.pdf", folder / "download.pdf")
    (folder / "page.html").write_text(
        "<html><head><title>Focused visit</title></head><body><h1>Focused visit to Testshire children’s services</h1>"
        "<p>Inspectors looked at the arrangements for care leavers. Personal advisers know young people well.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    result, store = _run(settings, [folder], embedder)
    assert result.added == 2 and not result.failed
    pdf_report = store.reports()["download"].report
    assert pdf_report.local_authority == "Plymouth" and pdf_report.report_type == "ilacs_inspection"
    assert pdf_report.judgements["Overall effectiveness"] == pdf_report.overall_effectiveness != ""
    assert pdf_report.published.startswith("2024-03")
    html_report = store.reports()["page"].report
    assert html_report.report_type == "focused_visit"


def test_utf16_text_with_a_byte_order_mark_is_read(settings, tmp_path, embedder):
    """A report saved as Windows 'Unicode' (UTF-16 with a BOM) is ingested and quoted as the same text."""
    folder = tmp_path / "kb"
    folder.mkdir()
    text = (KNOWLEDGE / SMALL_REPORTS[0]).read_text(encoding="utf-8")
    (folder / SMALL_REPORTS[0]).write_bytes(text.encode("utf-16"))
    result, store = _run(settings, [folder], embedder)
    assert (result.added, result.failed) == (1, [])
    body = text.split("\n---\n", 1)[1]
    assert all(h.text in body for h in store.all_chunks())
