"""eventwire: news reports about armed conflict in, a checked PLOVER event dataset out."""

from eventwire.schema import SCHEMA_VERSION, Report

__version__ = "0.1.0"

__all__ = ["SCHEMA_VERSION", "Report", "extract", "extract_many", "__version__"]


def extract(text: str, **meta) -> Report:
    """Extract one report from an article text. See `eventwire.pipeline.extract`."""
    from eventwire.pipeline import extract as _extract

    return _extract(text, **meta)


def extract_many(items, **kwargs):
    """Extract reports for many articles, batching the spaCy work. See `eventwire.pipeline`."""
    from eventwire.pipeline import extract_many as _extract_many

    return _extract_many(items, **kwargs)
