"""Every sentence the Slack app says about itself, in one place."""

import math

PRIVACY_REMINDER = (
    ":lock: A reminder: please don't share personal data about children or families in Slack, such as names "
    "with addresses, dates of birth, NHS or National Insurance numbers. Only you can see this; I'll still answer."
)
EXPIRED = "This answer has expired, so I can't share it. Please ask again with `/findings`."
CANT_POST = "I can't post in this conversation. Invite me with `/invite @Findings` and press *Share in channel* again."
PAPER_SENT = "I've sent you the Word document in a direct message: every quote in it is cited, with its link."
EMPTY_QUESTION = "Ask me what Ofsted found, for example: _What did inspectors say about supervision in Dorset?_"


def failure(ref: str) -> str:
    """The short reply to any failure, with the reference id that is also in the logs."""
    return f"Sorry — something went wrong (ref {ref}). Please try again."


def unavailable(ref: str) -> str:
    """The reply while the knowledge base cannot be reached, with the reference id that is also in the logs."""
    return f"The knowledge base is unavailable at the moment, so I can't answer. Please try again shortly (ref {ref})."


def too_long(chars: int, limit: int) -> str:
    """The reply to a question too long to search well, asked before any work is done on it."""
    return f"Please ask a shorter question: yours is {chars:,} characters long, and I take at most {limit:,}."


def vote_thanks(vote: str, earlier: str | None) -> str:
    """The confirmation only the voter sees."""
    emoji = ":+1:" if vote == "up" else ":-1:"
    if earlier == vote:
        return f"You've already given this answer a {emoji}. Thanks!"
    if earlier:
        return f"Thanks — I've changed your vote on this answer to {emoji}."
    return f"Thanks — I've recorded your {emoji}. Votes help decide what to test the bot on next."


def not_enabled(place: str) -> str:
    """The one line for a command or button from a workspace or channel the bot is not enabled in."""
    where = {"workspace": "this workspace", "channel": "this channel", "dm": "direct messages"}.get(place, place)
    return f"Findings is not enabled in {where}."


def slow_down(seconds: float) -> str:
    """The reply to someone over the rate limit, saying how long to wait."""
    wait = max(1, math.ceil(seconds))
    when = "a minute" if wait >= 60 else f"{wait} second{'s' if wait > 1 else ''}"
    return (f":hourglass_flowing_sand: You've asked a lot of questions in the last minute. Please ask again in "
            f"{when}. Only you can see this.")
