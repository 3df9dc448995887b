"""Who may use the bot: pure checks of a request's workspace and channel against the allow-lists in settings."""

from dataclasses import dataclass

from bot.settings import DIRECT_MESSAGES, Settings

WORKSPACE = "workspace"
CHANNEL = "channel"


@dataclass(frozen=True)
class Gate:
    """The allow-lists; an empty one allows anything."""

    teams: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Origin:
    """Where a request comes from, as far as Slack says; None for what a payload does not carry."""

    team: str | None = None
    enterprise: str | None = None
    actor_team: str | None = None  # the asker's own workspace, which differs in a Slack Connect channel
    actor_enterprise: str | None = None
    channel: str | None = None


def gate_from(settings: Settings) -> Gate:
    """The gate SLACK_ALLOWED_TEAMS and SLACK_ALLOWED_CHANNELS describe."""
    return Gate(settings.allowed_teams, settings.allowed_channels)


def allows_direct_messages(gate: Gate) -> bool:
    """Whether the bot may talk to people in DMs: always, unless a channel allow-list leaves out `dm`."""
    return not gate.channels or DIRECT_MESSAGES in gate.channels


def is_direct(channel: str) -> bool:
    """True for a direct-message conversation (and so the App Home), whose ids start with D."""
    return channel.startswith("D")


def _listed(teams: frozenset[str], team: str | None, enterprise: str | None) -> bool:
    return bool({team, enterprise} & teams)


def refusal(gate: Gate, origin: Origin) -> str:
    """'' when the request may be served; otherwise what it is refused for: WORKSPACE or CHANNEL."""
    if gate.teams:
        if not _listed(gate.teams, origin.team, origin.enterprise):
            return WORKSPACE
        stranger = origin.actor_team and origin.actor_team != origin.team
        if stranger and not _listed(gate.teams, origin.actor_team, origin.actor_enterprise):
            return WORKSPACE  # someone from another organisation, asking in a shared channel
    if gate.channels and origin.channel:
        direct_ok = is_direct(origin.channel) and DIRECT_MESSAGES in gate.channels
        if origin.channel not in gate.channels and not direct_ok:
            return CHANNEL
    return ""
