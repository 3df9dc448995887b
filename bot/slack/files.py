"""Files in Slack: upload with files_upload_v2, and the asker's DM for anything private."""

from __future__ import annotations

import re

import structlog

from bot.errors import InputError
from bot.privacy import digest
from bot.slack.service import Service

log = structlog.get_logger()

_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ,.'()-]+")


class NoDirectMessages(InputError):
    """Findings is not enabled in DMs here, and private files can only go by DM."""


def filename(title: str, suffix: str) -> str:
    """A file name from a title, with nothing a file system or Slack could misread."""
    return " ".join(_SAFE_NAME.sub(" ", title).split())[:80] + suffix


def dm(service: Service, user: str) -> str:
    """The id of the bot's direct-message conversation with a user, if DMs are enabled."""
    if not service.direct_messages:
        raise NoDirectMessages("Charts and Word documents come by direct message, and Findings is not enabled in "
                               "direct messages here.")
    return str(service.client.conversations_open(users=user)["channel"]["id"])


def upload(service: Service, kind: str, channel: str, thread_ts: str, name: str, data: bytes, **extra) -> None:
    """Upload a file (getUploadURLExternal, the bytes, completeUploadExternal) and log it by type and size."""
    options = {"thread_ts": thread_ts} if thread_ts else {}
    service.client.files_upload_v2(channel=channel, filename=name, content=data, **options, **extra)
    log.info("slack.upload", kind=kind, outcome="shared", bytes=len(data), channel_hash=digest(channel),
             threaded=bool(thread_ts))
