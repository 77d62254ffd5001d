"""A cue as the annotator finds it: its span, the lexicon entry, and the speaker, content
and stance filled in before it becomes an Annotation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .lexicon import CueEntry


@dataclass
class Cue:
    """A cue found in the document, before it becomes an Annotation."""

    start: int
    end: int
    entry: CueEntry
    head: Token | None
    negated: bool = False
    modifier: str | None = None
    stance: str = "neutral"
    source: tuple[int, int] | None = None
    source_head: Token | None = None
    content: tuple[int, int] | None = None
    quote_type: str | None = None
    continuation: bool = False
    method: str = "rules"
    probability: float | None = None

    def continued_by(self, quote: tuple[int, int]) -> Cue:
        """The same cue, speaker and stance for a quotation that continues its turn."""
        return replace(self, content=quote, quote_type="direct", continuation=True)
