"""Tests of bot/language/."""
