"""Persistent store of articles, extractions and incidents (SQLite by default, or PostgreSQL)."""

from cyberveille.store.store import SchemaVersionError, Store, claim_id, default_db_path
from cyberveille.store.views import IncidentView

__all__ = ["IncidentView", "SchemaVersionError", "Store", "claim_id", "default_db_path"]
