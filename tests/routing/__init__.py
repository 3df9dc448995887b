"""Tests of bot/routing/."""
