"""Attribution and hedging: who said what, and how the outlet frames it.

Three labels:

- ``cue``: a reporting cue (a verb with its auxiliaries, negation and adverbs, or a nominal
  or prepositional cue such as "according to") with its ``stance`` (neutral, endorsing,
  distancing, discrediting), the lexicon ``entry`` and ``modifier`` that decided it, the
  ``source`` (speaker) and ``content`` as sub-spans, and the quote type.
- ``hedge``: words that weaken or second-hand a claim (reportedly, so-called, "it is said").
- ``vague_source``: an unnamed source ("officials said", "critics claim", "some argue").

Cues and hedges are lexical and work on any pipeline; sources, conjoined verbs and
clause contents need the dependency parse, and pronoun resolution needs NER. Without
them the annotator degrades to lexical cues with ``has_source`` false.

Modules: ``lexicon`` (the data file), ``document`` (quotes and mentions of one parsed
article), ``cue`` (detection), ``source``, ``speaker`` (resolution), ``content``,
``stance``, ``hedge`` (hedges and vague sources), ``annotator`` (the Annotator).
"""

from __future__ import annotations

from typing import Any

from annotator import hookimpl

from .annotator import Attribution
from .lexicon import BUILTIN_LEXICON, inflections, load_lexicon

__all__ = ["BUILTIN_LEXICON", "Attribution", "inflections", "load_lexicon", "register_annotators"]


@hookimpl
def register_annotators(register: Any) -> None:
    register(Attribution)
