"""The event store: many articles' reports, events and incidents in SQLite or PostgreSQL.

    from eventwire.store import Store, AddResult, StoreError

See `eventwire.store.db` for the API and `store/migrations/` for the schema's history. The names
are loaded on first use, so importing the package (the CLI does) does not import SQLAlchemy.
"""

__all__ = ["AddResult", "Store", "StoreError"]


def __getattr__(name: str):
    if name in __all__:
        from eventwire.store import db

        return getattr(db, name)
    raise AttributeError(f"module 'eventwire.store' has no attribute {name!r}")
