"""Thread context in Slack: what an answer's metadata records, so a follow-up can carry its filters (see
bot.retrieval.question.carry)."""

from dataclasses import replace

from bot.answer import Answer, Filters

EVENT_TYPE = "findings_answer"


def context(answer: Answer, filters: Filters | None = None) -> Filters:
    """What a thread remembers of an answer: the filters it was given under and the route it took."""
    return replace(answer.scope or filters or Filters(), follows=answer.route)


def to_metadata(filters: Filters, answer_id: str, event_id: str = "") -> dict:
    """Slack message metadata recording an answer's filters (so another replica or a restart can read them back)
    and the event it answers (so a replica taking over a dead one's event can see it was answered)."""
    payload: dict = {"answer_id": answer_id, "local_authorities": list(filters.local_authorities),
                     "regions": list(filters.regions)}
    if event_id:
        payload["event_id"] = event_id
    # Slack rejects null values in metadata, so unset filters are left out.
    payload |= {k: v for k, v in (("since", filters.since), ("until", filters.until),
                                  ("report_type", filters.report_type), ("route", filters.follows)) if v}
    return {"event_type": EVENT_TYPE, "event_payload": payload}


def from_metadata(metadata: dict | None) -> Filters | None:
    """The filters in an answer's metadata, or None when the metadata is not an answer's."""
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return None
    payload = metadata.get("event_payload")
    if not isinstance(payload, dict):
        return None
    def names(key: str) -> tuple[str, ...]:
        value = payload.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    def year(key: str) -> int | None:
        value = payload.get(key)
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def text(key: str) -> str | None:
        value = payload.get(key)
        return value if isinstance(value, str) and value else None

    return Filters(names("local_authorities"), year("since"), year("until"), text("report_type"),
                   names("regions"), text("route"))


def _ours(message: dict, bot_user_id: str, bot_id: str) -> bool:
    return bool((bot_id and message.get("bot_id") == bot_id) or (bot_user_id and message.get("user") == bot_user_id))


def answer_event(message: dict, bot_user_id: str, bot_id: str) -> str:
    """The event id a message of the bot's answered, from its metadata; '' for any other message."""
    metadata = message.get("metadata")
    if not _ours(message, bot_user_id, bot_id) or not isinstance(metadata, dict):
        return ""
    payload = metadata.get("event_payload")
    return str(payload.get("event_id") or "") if isinstance(payload, dict) else ""


def from_replies(messages: list[dict], bot_user_id: str, bot_id: str) -> Filters | None:
    """The filters of the bot's latest answer among a thread's messages; None when the bot has not answered."""
    found = None
    for message in messages:
        filters = from_metadata(message.get("metadata")) if _ours(message, bot_user_id, bot_id) else None
        if filters is not None:
            found = filters
    return found
