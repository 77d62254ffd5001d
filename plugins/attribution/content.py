"""What was said: the direct quote next to a cue, or the reported clause, and its type."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from annotator import Quote

    from .cue import Cue
    from .document import DocAnalysis

SETTING_PREPOSITIONS = frozenset(
    """from at in during after before since until near by beside inside outside behind across
    through throughout within amid amidst under around into onto via""".split()
)
# verbs that report a belief or an appearance, not anyone's words
WORDLESS_CATEGORIES = frozenset({"cognition", "volition", "evidential_hedge"})


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
            set_content(analysis, cue, analysis.phrase_span(child))
            return
    if token.dep_ in ("parataxis", "ROOT"):
        for sibling in token.head.children if token.dep_ == "parataxis" else ():
            if sibling.dep_ == "ccomp":
                set_content(analysis, cue, analysis.phrase_span(sibling))
                return
    objects = [c for c in token.children if c.i > token.i and c.dep_ == "dobj"]
    labels = [c for c in token.children if c.i > token.i and c.dep_ in ("oprd", "attr")]
    if objects and labels:  # "called the plan a “shortcut”": the object and its label
        start = analysis.phrase_span(objects[0])[0]
        set_content(analysis, cue, (start, analysis.phrase_span(labels[-1])[1]))
        return
    for child in token.children:
        if child.i > token.i and (child.dep_ == "dobj" or is_topic_prep(child)):
            set_content(analysis, cue, analysis.phrase_span(child))
            return


def is_topic_prep(token: Token) -> bool:
    """A preposition that can introduce what was said ("warned of", "spoke about"), not
    the place or time of saying it ("explained from a podium", "said at a rally")."""
    return token.dep_ == "prep" and token.lower_ not in SETTING_PREPOSITIONS


def fill_adjacent_quote(analysis: DocAnalysis, cue: Cue) -> bool:
    """A quote the cue closes ("“…,” she said") or, failing that, introduces ("she said:
    “…”"); belief and evidential verbs report no one's words and take neither."""
    if cue.entry.category in WORDLESS_CATEGORIES:
        return False
    quote = analysis.quote_before(cue.start, cue.source) or analysis.quote_after(cue.end)
    if quote is None:
        return False
    cue.content = (quote.start, quote.end)
    cue.quote_type = "direct"
    return True


def set_content(analysis: DocAnalysis, cue: Cue, span: tuple[int, int] | None) -> None:
    """A reported clause as the content, widened to close any quotation it opens."""
    content = analysis.close_quotes(span) if span else None
    cue.content = content if content and content[0] < content[1] else None  # no empty clause
    cue.quote_type = quote_type(analysis, cue.content)


def clause_without(clause: Token, excluded: Token) -> tuple[int, int] | None:
    skip = {t.i for t in excluded.subtree}
    tokens = [t for t in clause.subtree if t.i not in skip and not t.is_punct]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def quote_type(analysis: DocAnalysis, span: tuple[int, int] | None) -> str | None:
    """direct: the content is one quotation (after a "that", one of speech); mixed: a
    reported clause with quoted words in it; indirect: no quotation; None without content."""
    if span is None:
        return None
    start, end = span
    inside = quoted_parts(analysis, span)
    if not inside:
        return "indirect"
    quote = inside[0]
    lead = analysis.text[start : quote.start].strip().lower()
    if len(inside) == 1 and quote.end >= end and (
        not lead or lead == "that" and analysis.is_speech(quote)
    ):
        return "direct"
    return "mixed"


def quoted_parts(analysis: DocAnalysis, span: tuple[int, int]) -> list[Quote]:
    """The outermost quotations lying wholly inside ``span``."""
    start, end = span
    parts: list[Quote] = []
    for quote in analysis.quotes:
        if quote.start >= end:
            break
        if start <= quote.start and quote.end <= end and not (
            parts and quote.end <= parts[-1].end
        ):
            parts.append(quote)
    return parts
