"""Reading knowledge files into reports: Markdown, text, HTML and PDF in; text, attribution, structure and chunks out.

It owns parsing (front matter, catalogue rows, PDF layout), inferring metadata a file does not state, extracting
what a report states in known places (judgements, what needs to improve, headline, a visit's focus), chunking and
embedding in worker processes. It may import the shared top level and `bot.language`; it knows nothing of the store.
"""
