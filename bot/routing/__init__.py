"""The router in front of the quotes engine and the leaders' answers: each question gets the kind of answer it asks.

It owns choosing the route (quotes, grades, one council's history, what needs to improve, report facts) and the
honest "not covered" refusal. It may import the shared top level and every stage below it, up to `bot.leaders`.
"""
