"""Sources: each yields RawDocument values, or SourceError values for inputs it could not read."""

from __future__ import annotations

from cyberveille.errors import SourceError
from cyberveille.sources.files import count_inputs, iter_documents

__all__ = ["SourceError", "count_inputs", "iter_documents"]
