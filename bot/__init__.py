"""Findings: a Slack bot that quotes Ofsted children's services reports verbatim.

The package is a pipeline of stages, each a subpackage that may import only the shared modules here and the
stages before it: language → ingest → store → retrieval → leaders → routing → evaluation | state → ofsted → slack → cli.
README.md ("How the code is laid out") follows one question through them.
"""

__version__ = "0.1.0"
