"""The event store: many articles' reports, events and incidents in SQLite or PostgreSQL.

See `eventwire.store.db` for the API and `store/migrations/` for the schema's history.
"""

from eventwire.store.db import AddResult, Store, StoreError

__all__ = ["AddResult", "Store", "StoreError"]
