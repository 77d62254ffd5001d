"""What was said: the direct quote next to a cue, or the reported clause, and its type."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .cue import Cue
    from .document import DocAnalysis


def fill_verb_content(analysis: DocAnalysis, cue: Cue, token: Token) -> None:
    if fill_adjacent_quote(analysis, cue):
        return
    _fill_clause_content(analysis, cue, token)
    if cue.content and cue.source and cue.content[0] < cue.source[1] and (
        cue.source[0] < cue.content[1]
    ):
        cue.content = cue.quote_type = None


def _fill_clause_content(analysis: DocAnalysis, cue: Cue, token: Token) -> None:
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp") or (
            child.dep_ == "parataxis" and child.i > token.i
        ):
            cue.content = analysis.phrase_span(child)
            cue.quote_type = quote_type(analysis, cue.content)
            return
    if token.dep_ in ("parataxis", "ROOT"):
        for sibling in token.head.children if token.dep_ == "parataxis" else ():
            if sibling.dep_ == "ccomp":
                cue.content = analysis.phrase_span(sibling)
                cue.quote_type = quote_type(analysis, cue.content)
                return
    for child in token.children:
        if child.dep_ in ("dobj", "prep") and child.i > token.i:
            cue.content = analysis.phrase_span(child)
            cue.quote_type = quote_type(analysis, cue.content)
            return


def fill_adjacent_quote(analysis: DocAnalysis, cue: Cue) -> bool:
    quote = analysis.quote_after(cue.end) or analysis.quote_before(cue.start, cue.source)
    if quote is None:
        return False
    cue.content = (quote.content_start, quote.content_end)
    cue.quote_type = "direct"
    return True


def clause_without(clause: Token, excluded: Token) -> tuple[int, int] | None:
    skip = {t.i for t in excluded.subtree}
    tokens = [t for t in clause.subtree if t.i not in skip and not t.is_punct]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def quote_type(analysis: DocAnalysis, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    start, end = span
    for quote in analysis.quotes:
        if quote.start >= end:
            break
        if quote.start >= start and quote.end <= end + 1:
            if quote.content_start <= start + 1 and quote.content_end >= end - 1:
                return "direct"
            return "mixed"
    return "indirect"
