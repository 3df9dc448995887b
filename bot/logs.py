"""Configure structlog once: pretty on a terminal, JSON otherwise."""

import logging
import sys

import structlog


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Set up structlog and the stdlib root logger; call once, from the entrypoint."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    renderer = structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    # A library that sets its own logger to DEBUG (bm25s does, on import) still only prints at the level asked for:
    # records propagate to the root's handlers past the root's own level, so the handlers carry it too.
    for handler in logging.getLogger().handlers:
        if getattr(handler, "stream", None) is sys.stderr:  # ours, not a test runner's capture
            handler.setLevel(level)
    # Third-party libraries chatter at INFO (chromadb telemetry); keep them quiet. pypdf is silenced once, where
    # it is used (bot/ingest/pdf.py): its repairs of damaged PDFs reach users as InputError or not at all.
    for noisy in ("chromadb", "httpx", "urllib3", "posthog"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
