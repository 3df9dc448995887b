"""Tests of bot/ingest/."""
