"""Shared test fixtures.

Services (PostgreSQL, Chromium) are used when present. Without them the tests that need them
skip with a reason, except under CI (`EVENTWIRE_REQUIRE_SERVICES=1`), where a missing service
is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def require(condition: bool, reason: str) -> None:
    """Skip (or fail under CI) when a service the test needs is missing."""
    if condition:
        return
    if os.environ.get("EVENTWIRE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: the shared corpus and gold files are not available here")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir) -> str:
    return (shared_dir / "corpus" / "seed" / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from eventwire.nlp import get_nlp

    return get_nlp()
