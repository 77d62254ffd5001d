"""Outlet names: "fox", "FOX " and an aliased "foxnews.com" are one outlet.

An article's outlet is its ``source``, else its id. Names match after trimming,
collapsing inner spaces and casefolding; the ``[tool.annotator.outlets]`` table maps
aliases to a name (``"nytimes.com" = "NYT"``). An outlet is shown by its alias
target, else by its most common spelling (ties: the first in sorted order).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError


def match_key(name: str) -> str:
    """The form two spellings of one outlet share."""
    return " ".join(name.split()).casefold()


def raw_outlet(record: dict[str, Any]) -> str:
    """The outlet as the record spells it: its ``source``, else its article id."""
    article = record["article"]
    source = article.get("source")
    return source if isinstance(source, str) and source.strip() else article["id"]


def read_aliases(config: Mapping[str, Any], where: str = "[tool.annotator.outlets]"
                 ) -> dict[str, str]:
    """The alias table of a ``[tool.annotator]`` config: alias -> outlet name."""
    table = config.get("outlets", {})
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in table.items()
    ):
        raise ConfigError(f"{where} must map alias strings to outlet names, "
                          'e.g. "nytimes.com" = "NYT"')
    return {alias: name for alias, name in table.items()}


class OutletNames:
    """Collects the spellings of every outlet, then names each one."""

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self.aliases = {match_key(alias): " ".join(name.split())
                        for alias, name in (aliases or {}).items()}
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def key(self, raw: str) -> str:
        key = match_key(raw)
        return match_key(self.aliases[key]) if key in self.aliases else key

    def add(self, raw: str) -> str:
        """Count one article's spelling; returns the outlet's matching key."""
        key = self.key(raw)
        self.spellings[key][" ".join(raw.split())] += 1
        return key

    def display(self, key: str) -> str:
        """The outlet's name as shown: its alias target, else its most common spelling."""
        targets = sorted({name for name in self.aliases.values() if match_key(name) == key})
        if targets:
            return targets[0]
        counts = self.spellings[key]
        return min(counts, key=lambda spelling: (-counts[spelling], spelling))

    def variants(self, key: str) -> list[str]:
        """Every spelling seen for the outlet, sorted."""
        return sorted(self.spellings[key])
