"""Tests of bot/leaders/."""
