"""The one exception hierarchy of the engine.

Every error a user can cause or meet carries a message they can act on. The web
layer maps these to alerts and HTTP statuses in one place each.
"""

__all__ = [
    "AddressNotFound",
    "BadParameters",
    "CaseNotFound",
    "ExportFailed",
    "ImportFormatError",
    "InvalidAddress",
    "ModelNotTrained",
    "NoFlowPath",
    "RateLimited",
    "ShareLinkGone",
    "ShareLinkInvalid",
    "SourceNotConfigured",
    "SourceUnavailable",
    "StoreUnavailable",
    "TracingError",
]


class TracingError(Exception):
    """Base of every error the engine raises on purpose."""


class InvalidAddress(TracingError, ValueError):
    """An address is malformed, has a bad checksum, or fits no (or several) chains."""


class BadParameters(TracingError, ValueError):
    """An investigation parameter is out of range; ``field`` names it (the first when several are).

    ``problems`` maps every bad field to its reason (``{field: reason}`` when only one is known);
    the message says them all.
    """

    def __init__(self, field: str, reason: str, *, problems: dict[str, str] | None = None):
        self.problems = problems or {field: reason}
        super().__init__("; ".join(f"{name}: {why}" for name, why in self.problems.items()))
        self.field = field
        self.reason = reason

    @classmethod
    def every(cls, problems: dict[str, str]) -> "BadParameters":
        """One error for several bad fields (``{field: reason}``, not empty); the first is its ``field``."""
        field, reason = next(iter(problems.items()))
        return cls(field, reason, problems=problems)


class AddressNotFound(TracingError, LookupError):
    """No transfers are known for an address."""


class ModelNotTrained(TracingError, LookupError):
    """No behavioural profile model is saved (or it is outdated): train one first."""


class NoFlowPath(TracingError, LookupError):
    """No time-respecting path joins two addresses."""


class ImportFormatError(TracingError, ValueError):
    """A file to import does not have the expected format; the message names the line."""


class ExportFailed(TracingError):
    """A result could not be written in the format asked for (or to the place asked for)."""


class SourceUnavailable(TracingError):
    """An upstream data source failed, timed out, or answered garbage."""


class StoreUnavailable(TracingError):
    """The database does not answer (down, unreachable, or busy for too long); retrying later may work."""


class RateLimited(SourceUnavailable):
    """An upstream data source refused because of its rate limit; ``retry_after`` seconds, when it said."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SourceNotConfigured(SourceUnavailable):
    """A source needs a key (or URL) that is not set; the message names the variable to set."""


class CaseNotFound(TracingError, LookupError):
    """No case (or case item, note, share link) has this id."""


class ShareLinkInvalid(TracingError, PermissionError):
    """A share token is malformed, tampered with, unknown, or for another case (HTTP 403)."""


class ShareLinkGone(TracingError, PermissionError):
    """A share token was valid but has expired or been revoked (HTTP 410)."""
