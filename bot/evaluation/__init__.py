"""Scoring answers against gold quotes, validating labelled questions, and fitting the learned models.

It owns the metrics of shared/eval/README.md, the grouped cross-validation that trains the ranker and abstention,
and the checks on labelled sets. It may import the shared top level and every stage up to `bot.routing`; it sits
beside `bot.state` and neither imports the other.
"""
