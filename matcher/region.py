"""Does a document's region cover the company's location? True, False, or None (can't tell).

The place table and the rule live in `ingest.places` (one home for places); this
module keeps the matcher's import path.
"""

from __future__ import annotations

from ingest.places import covers, places_named

__all__ = ["covers", "places_named"]
