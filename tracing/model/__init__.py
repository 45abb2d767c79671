"""The data model: chains, addresses, transfers and columnar transfer tables."""

from tracing.model.addresses import Chain, detect_chain, display_address, normalize_address
from tracing.model.table import TransferTable
from tracing.model.transfer import Asset, Transfer

__all__ = [
    "Asset",
    "Chain",
    "Transfer",
    "TransferTable",
    "detect_chain",
    "display_address",
    "normalize_address",
]
