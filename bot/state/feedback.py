"""Votes on answers in a small SQLite file: hashes and ids only, never the text of a question."""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Answer
from bot.privacy import digest

VOTES = ("up", "down")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    question_hash TEXT NOT NULL,
    answered INTEGER NOT NULL,
    excerpts TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user_hash)
);
"""


@dataclass(frozen=True)
class AnswerRecord:
    """What a vote refers to: the hashed question and where each excerpt sits in its report."""

    id: str
    question_hash: str
    answered: bool
    excerpts: tuple[dict, ...]


def answer_record(answer_id: str, question: str, answer: Answer) -> AnswerRecord:
    """The record of one answer, with the question hashed and each excerpt as chunk, report and offsets."""
    excerpts = tuple(
        {"chunk_id": e.chunk_id, "report": e.report.id, "start": e.start, "end": e.end} for e in answer.excerpts
    )
    return AnswerRecord(answer_id, digest(question), answer.answered, excerpts)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """Answers and the votes cast on them; one short-lived connection per call, so any thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> closing[sqlite3.Connection]:
        # sqlite3's own `with` only commits; closing() also closes, and callers add `with db` for a transaction.
        return closing(sqlite3.connect(self.path, timeout=5))

    def remember(self, record: AnswerRecord) -> None:
        """Keep an answer so that votes on it can be exported with its excerpts, even after a restart."""
        with self._connect() as db, db:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                (record.id, record.question_hash, int(record.answered), json.dumps(record.excerpts), _now()),
            )

    def vote(self, answer_id: str, user_hash: str, vote: str) -> str | None:
        """Record a user's vote on an answer, replacing their earlier one; returns the earlier vote, if any."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}")
        with self._connect() as db, db:
            row = db.execute(
                "SELECT vote FROM votes WHERE answer_id = ? AND user_hash = ?", (answer_id, user_hash)
            ).fetchone()
            db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) "
                "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (answer_id, user_hash, vote, _now()),
            )
        return row[0] if row else None

    def export(self) -> Iterator[dict]:
        """Every vote with its answer's hashed question and excerpts, oldest first, as JSON-ready dicts."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT v.answer_id, a.question_hash, a.answered, a.excerpts, a.asked_at, v.user_hash, v.vote, "
                "v.voted_at FROM votes v LEFT JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at, v.rowid"
            ).fetchall()
        for answer_id, question_hash, answered, excerpts, asked_at, user_hash, vote, voted_at in rows:
            yield {
                "answer_id": answer_id,
                "question_hash": question_hash,
                "answered": None if answered is None else bool(answered),
                "excerpts": json.loads(excerpts) if excerpts else [],
                "asked_at": asked_at,
                "user_hash": user_hash,
                "vote": vote,
                "voted_at": voted_at,
            }
