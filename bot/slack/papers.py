"""Word papers in Slack: a "Download as Word" button's feature rebuilt and sent, privately, to the asker's DM."""

from __future__ import annotations

import datetime as dt
import re

from bot.errors import InputError
from bot.leaders.feature import Feature, Request, feature
from bot.slack.drawing import chart_png
from bot.slack.files import dm, filename, upload
from bot.slack.service import Service

BUTTON_VALUE = re.compile(r"([a-z_]{1,40}):(.{1,200})", re.S)  # a button's value: "summary:Dorset"


def papered(value: str) -> tuple[Feature, str] | None:
    """The feature with a paper and the request a button's value carries, or None for a button not ours."""
    match = BUTTON_VALUE.fullmatch(value)
    found = feature(match.group(1)) if match else None
    return (found, match.group(2)) if found and found.paper and match else None


def paper_kind(value: str) -> str:
    """The kind of paper a button asks for, to log: a feature's name, never the button's text."""
    asked = papered(value)
    return asked[0].name if asked else "unknown"


def paper(service: Service, value: str) -> tuple[str, bytes]:
    """The Word document a button asks for, as (file name, bytes)."""
    asked = papered(value)
    if asked is None:
        raise InputError("That download button is not one I made.")
    wanted, text = asked
    knowledge = service.snapshot()
    result = wanted.build(Request(text, knowledge, service.answerer))
    title, data = wanted.paper(result, knowledge, dt.date.today(), chart_png)
    return filename(title, ".docx"), data


def send_paper(service: Service, value: str, user: str) -> None:
    """Build the document and put it in the user's DM, privately."""
    channel = dm(service, user)  # before the work: without DMs there is nowhere private to send it
    name, data = paper(service, value)
    upload(service, "docx", channel, "", name, data, title=name.removesuffix(".docx"),
           initial_comment="Here is the Word document you asked for: every quote is cited, with its link.")
