"""Who an address belongs to: the label store's records, TagPacks, sanctions lists, screening, exposure."""

from tracing.labels.model import CATEGORIES, EXIT_CATEGORIES, PASS_THROUGH_CATEGORIES, Label, LabelIndex, LabelsRead
from tracing.labels.sanctions import OFAC_LIST, load_sanctions_file

__all__ = [
    "CATEGORIES",
    "EXIT_CATEGORIES",
    "OFAC_LIST",
    "PASS_THROUGH_CATEGORIES",
    "Label",
    "LabelIndex",
    "LabelsRead",
    "load_sanctions_file",
]
