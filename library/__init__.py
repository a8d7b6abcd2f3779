"""The policy library as staff manage it from the app: list, add, replace, remove (library.manager)."""

from library.listing import document_rows
from library.manager import Job, Library, LibraryLocked

__all__ = ["Job", "Library", "LibraryLocked", "document_rows"]
