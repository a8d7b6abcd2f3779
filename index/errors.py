"""What can be wrong with the index, in words a user can act on."""

from __future__ import annotations


class IndexMissing(FileNotFoundError):
    """No index has been built in this data directory yet."""


class IndexMismatch(RuntimeError):
    """The index was built with another embedding model (or an older format): rebuild it."""


class IndexReadOnly(PermissionError):
    """The data directory cannot be written (read-only mount, no permission): the index is served as is."""
