"""Keeping current from Ofsted's site: provider pages read, new reports fetched politely, catalogued and ingested.

`client.py` is the only module that imports httpx, so every request to someone else's site goes through its
pace, validators, retries and limits. It may import the shared top level and the stages up to `bot.state` (the
lease that keeps two replicas from syncing at once); the Slack app announces what a sync adds, and the command
line runs it as `findings sync`.
"""
