"""One registry of chain connectors: which :class:`TransferSource` serves a chain, and what it needs."""

from collections.abc import Callable

from tracing.errors import SourceNotConfigured
from tracing.model import Chain
from tracing.settings import Settings
from tracing.sources.base import TransferSource
from tracing.sources.esplora import Esplora
from tracing.sources.etherscan import Etherscan
from tracing.sources.solana import Solana
from tracing.sources.trongrid import TronGrid

__all__ = ["CONNECTORS", "missing_key", "source_for", "source_title"]

# chain -> (connector factory, the setting it cannot work without, or None)
CONNECTORS: dict[Chain, tuple[Callable[..., TransferSource], str | None]] = {
    Chain.TRON: (TronGrid, None),
    Chain.ETHEREUM: (Etherscan, "etherscan_api_key"),
    Chain.BITCOIN: (Esplora, None),
    Chain.SOLANA: (Solana, None),
}


def source_title(chain: Chain | str) -> str:
    """The provider users know for ``chain`` ("TronGrid")."""
    return CONNECTORS[Chain.parse(chain)][0].title


def missing_key(chain: Chain | str, settings: Settings) -> str | None:
    """The message naming the variable to set when ``chain``'s provider needs a key that is not set, else None."""
    chain = Chain.parse(chain)
    factory, needed = CONNECTORS[chain]
    if needed and not getattr(settings, needed):
        return f"{factory.title} needs an API key to fetch {chain.value} transfers: set {Settings.variable(needed)}"
    return None


def source_for(chain: Chain | str, settings: Settings, **http) -> TransferSource:
    """The connector of ``chain`` configured by ``settings``.

    Raises
    ------
    SourceNotConfigured
        Its provider needs a key that is not set; the message names the variable.
    """
    chain = Chain.parse(chain)
    message = missing_key(chain, settings)
    if message:
        raise SourceNotConfigured(message)
    return CONNECTORS[chain][0](settings, **http)
