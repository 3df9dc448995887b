"""Leaders' summaries: a briefing on one council, a theme across reports, grades across councils, report facts,
and their pictures and papers: judgement-history charts (`chart.py`, the only matplotlib import) and Word
documents (`document.py`, the only python-docx import).

Every summary is built from verbatim, attributed spans (`quote.py`) and the grades the reports state. It may import
the shared top level and the stages below it: `bot.language`, `bot.ingest`, `bot.store` and `bot.retrieval`.
"""
