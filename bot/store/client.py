"""Connecting to Chroma: an embedded store at CHROMA_PATH, or a server at CHROMA_URL; opening and dropping the store."""

from urllib.parse import urlparse

import chromadb
import structlog
from chromadb.config import Settings as ChromaSettings

from bot.errors import ConfigError
from bot.settings import Settings
from bot.store.chroma import Store

log = structlog.get_logger()


def connect(settings: Settings) -> chromadb.ClientAPI:
    """An HTTP client when CHROMA_URL is set, else an embedded store at CHROMA_PATH."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise ConfigError(f"CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000")
        ssl = url.scheme == "https"
        port = url.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=url.hostname, port=port, ssl=ssl, settings=chroma_settings)
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def open_store(settings: Settings, model_id: str) -> Store:
    """Connect to the store the settings name, checking it was built with this model."""
    try:
        return Store(connect(settings), settings.collection, model_id)
    except ConfigError:
        raise
    except Exception as err:  # chromadb raises ValueError or connection errors when a server is down
        if not settings.chroma_url:
            raise
        raise ConfigError(
            f"cannot reach the Chroma server at CHROMA_URL={settings.chroma_url} ({type(err).__name__}); "
            "is it running?"
        ) from None


def drop(settings: Settings) -> None:
    """Delete the knowledge base entirely, for a rebuild."""
    client = connect(settings)
    for name in (settings.collection, f"{settings.collection}-sentences", f"{settings.collection}-reports"):
        try:
            client.delete_collection(name)
        except Exception:  # chromadb raises different errors for a missing collection by version
            log.debug("store.drop.missing", collection=name)
