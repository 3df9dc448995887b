"""Tests of bot/retrieval/."""
