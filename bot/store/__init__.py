"""The knowledge base on disk or on a Chroma server: chunks with vectors, the manifest, and keeping it in line.

`chroma.py` is the only module in the bot that imports chromadb. `sync.py` brings the store in line with the
knowledge files (stable ids, upsert, no orphans), using `bot.ingest` to prepare each changed file. It may import the
shared top level, `bot.language` and `bot.ingest`.
"""
