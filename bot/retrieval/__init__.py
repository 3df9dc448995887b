"""The quotes engine: a question in, verbatim excerpts or an honest refusal out.

It owns reading a question (councils, years, abbreviations, intent), the immutable snapshot of the knowledge base
each question reads, hybrid search (vectors and BM25), the learned sentence ranker and abstention, and excerpt
selection. It may import the shared top level, `bot.language`, `bot.ingest` (the embedder's chunk records) and
`bot.store`; never the leaders' summaries, the router, evaluation or Slack.
"""
