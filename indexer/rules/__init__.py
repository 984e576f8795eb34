"""Rule data of the indexer: TOML files beside this module, each loaded once by name."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_rules"]


@cache
def load_rules(name: str) -> dict[str, Any]:
    """Parse ``<name>.toml`` from this package once; callers must treat the result as read-only."""
    source = resources.files(__name__).joinpath(f"{name}.toml")
    return tomllib.loads(source.read_text(encoding="utf-8"))
