"""Tests of bot/state/."""
