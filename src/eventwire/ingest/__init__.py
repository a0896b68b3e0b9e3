"""Ingest: read articles from files, folders, JSONL dumps, RSS/Atom feeds and URLs into a store."""

from eventwire.ingest.run import Summary, ingest
from eventwire.ingest.sources import Failure, Item, read_sources

__all__ = ["Failure", "Item", "Summary", "ingest", "read_sources"]
