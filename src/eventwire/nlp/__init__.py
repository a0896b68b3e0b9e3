"""The spaCy pipeline: one model per process, loaded once and cached."""

from eventwire.nlp.model import get_nlp, parse, parse_many

__all__ = ["get_nlp", "parse", "parse_many"]
