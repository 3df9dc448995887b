"""Findings: a Slack bot that quotes Ofsted children's services reports verbatim."""

__version__ = "0.1.0"
