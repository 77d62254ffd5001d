"""Loaded terms: framing vocabulary from governed YAML lexicons, and scare quotes.

Every hit explains itself: the lexicon entry's category, rationale, neutral
alternative and source travel with it, plus whether the outlet is quoting
someone (``in_quote``) and whether a negation governs the word (``negated``).

Run ``python -m annotator_plugins.loaded_terms FILE...`` to lint lexicons.
"""

from __future__ import annotations

from typing import Any

from annotator import hookimpl

from .annotator import LoadedTerms
from .lexicon import BUILTIN_LEXICON, LEXICON_KIND, Lexicon, lint_lexicon, read_lexicon

__all__ = [
    "BUILTIN_LEXICON", "LEXICON_KIND", "Lexicon", "LoadedTerms", "lint_lexicon", "read_lexicon",
]


@hookimpl
def register_annotators(register: Any) -> None:
    register(LoadedTerms)
