"""Download the OFAC SDN list's ``sdn_advanced.xml`` through the one HTTP layer."""

from pathlib import Path

from tracing.settings import Settings, load_settings
from tracing.sources.http import HttpClient

__all__ = ["download_sdn"]


def download_sdn(url: str, folder: Path, settings: Settings | None = None, **http) -> Path:
    """Fetch ``url`` into ``folder`` and return the file (``.xml.bz2`` when the address says so).

    Raises
    ------
    SourceUnavailable
        Offline, refused, or broken off: the message says so; nothing is replaced.
    """
    settings = settings or load_settings()
    path = Path(folder) / ("sdn_advanced.xml.bz2" if url.lower().endswith(".bz2") else "sdn_advanced.xml")
    client = HttpClient("OFAC sanctions list service", settings, **http)
    try:
        client.download(url, path)
    finally:
        client.close()
    return path
