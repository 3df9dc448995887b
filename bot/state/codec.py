"""Answers and filters as JSON, for state kept outside the process: plain data only, never pickle.

A report travels with its catalogue metadata (Report.to_metadata), so an answer read back on another replica
carries the same attribution it was given with.
"""

import json
from dataclasses import asdict

from bot.answer import Answer, Excerpt, Filters
from bot.report import Report
from bot.state import Recent


def filters_to_dict(filters: Filters) -> dict:
    """Filters as a JSON-ready dict."""
    return asdict(filters)


def filters_from_dict(data: dict) -> Filters:
    """Filters from `filters_to_dict`, ignoring keys it does not know."""
    known = {k: v for k, v in data.items() if k in Filters.__dataclass_fields__}
    for name in ("local_authorities", "regions"):
        known[name] = tuple(known.get(name) or ())
    return Filters(**known)


def _excerpt(excerpt: Excerpt) -> dict:
    return {"text": excerpt.text, "report": excerpt.report.to_metadata(), "section": excerpt.section,
            "score": excerpt.score, "start": excerpt.start, "end": excerpt.end, "chunk_id": excerpt.chunk_id}


def answer_to_dict(answer: Answer) -> dict:
    """An answer, its excerpts and their reports, as a JSON-ready dict."""
    return {"answered": answer.answered, "reason": answer.reason, "route": answer.route,
            "scope": filters_to_dict(answer.scope), "excerpts": [_excerpt(e) for e in answer.excerpts]}


def answer_from_dict(data: dict) -> Answer:
    """An answer from `answer_to_dict`."""
    excerpts = [Excerpt(e["text"], Report.from_metadata(e["report"]), e["section"], e["score"], e["start"],
                        e["end"], e.get("chunk_id", "")) for e in data["excerpts"]]
    return Answer(data["answered"], data["reason"], excerpts, filters_from_dict(data["scope"]), data["route"])


def dumps_recent(recent: Recent) -> str:
    """A kept answer as JSON text."""
    return json.dumps({"question": recent.question, "private": recent.private,
                       "answer": answer_to_dict(recent.answer)}, ensure_ascii=False)


def loads_recent(text: str) -> Recent:
    """A kept answer from `dumps_recent`."""
    data = json.loads(text)
    return Recent(data["question"], answer_from_dict(data["answer"]), bool(data["private"]))
