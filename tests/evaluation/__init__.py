"""Tests of bot/evaluation/."""
