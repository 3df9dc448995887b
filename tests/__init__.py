"""The test suite: one folder per stage of `bot/`, mirroring its layout."""
