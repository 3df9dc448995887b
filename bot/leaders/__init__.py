"""Leaders' summaries: a briefing on one council, a theme across reports, grades across councils, report facts.

Every summary is built from verbatim, attributed spans (`quote.py`) and the grades the reports state. It may import
the shared top level and the stages below it: `bot.language`, `bot.ingest`, `bot.store` and `bot.retrieval`.
"""
