"""Speaker labels: attributions made by layout rather than a verb. A name and a colon
open a line ("Peskov: The talks went well"), or a dash and a name follow the words
("We must act now. – Greta Thunberg", or a pull quote with "—Name, role" on the next
line)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .content import quote_type
from .cue import Cue
from .document import is_outlet

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .document import DocAnalysis
    from .lexicon import CueEntry

LABEL_WORDS = frozenset(
    """note update updated editor photo photos related read source sources video watch see
    also correction disclosure by share subscribe advertisement image credit caption listen
    tags posted filed warning topics breaking exclusive developing live byline name age look
    boom busted bombshell""".split()
)  # a label that opens or ends with one of these is layout or a headline kicker, no name
NAME_PARTICLES = "de|van|von|da|del|der|al|bin|la|le|du"
# after the dash: a capitalised name of up to five words, then an optional ", role"
TRAILING_NAME = re.compile(
    rf"\s*(?P<name>[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|{NAME_PARTICLES})){{0,4}})"
    r"(?:\s*,\s*[^\n,]{1,80}(?:,[^\n,]{1,80})?)?\s*$"
)
CLOSING_MARKS = "”\"»’'"


def speaker_label_cue(analysis: DocAnalysis, colon: Token, entry: CueEntry) -> Cue | None:
    """'Trump: My plans aren't set in stone': a short capitalised name opening a line,
    then a colon and the words; a transcript's 'Q:' or 'A:', a kicker ('Breaking:') or a
    place ('Iowa:') names no one (an outlet does: 'AP: ...')."""
    text = analysis.text
    line_start = text.rfind("\n", 0, colon.idx) + 1
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    label = analysis.doc.char_span(line_start, colon.idx, alignment_mode="contract")
    rest = text[colon.idx + 1 : line_end].strip()
    quoted = analysis.quote_after(colon.idx + 1)
    if label is not None and len(label) > 5 and quoted is not None:
        # "Pollsters agree - Carl Bialik: “...”": the name after the last dash
        tail = label[-5:]
        if any(t.lower_ == "by" for t in tail):
            return None  # a byline: '"Hamilton" to play Chicago," by Variety's Gordon Cox:'
        after = after_last_dash(tail)
        label = after if after is not None else tail[-2:]
    if label is None or not 1 <= len(label) <= 5 or len(rest.split()) < 2 or (
        analysis.is_heading(colon.idx)  # "Biden-Ryan Debate: All About Joe"
    ):
        return None
    words = [t for t in label if not t.is_punct]
    if words and words[0].lower_ in LABEL_WORDS and (after := after_last_dash(label)):
        words = [t for t in after if not t.is_punct]  # "EXCLUSIVE – Roger Stone:"
    if not words or words[0].lower_ in LABEL_WORDS or len(words[0]) == 1 or (
        words[-1].lower_ in LABEL_WORDS and words[-1].ent_type_ != "ORG"  # "Delegate Update:"
    ) or not all(
        t.text[:1].isupper() and (not analysis.has_pos or t.pos_ in ("PROPN", "NOUN", "X"))
        for t in words
    ):
        return None
    source = (words[0].idx, words[-1].idx + len(words[-1]))
    name = text[source[0] : source[1]]
    if analysis.non_speaker(name) and not is_outlet(name, analysis.outlet):
        return None  # "Iowa: Tim Albrecht, Brad Anderson, ...": a place or a date heads a list
    cue = Cue(colon.idx, colon.idx + 1, entry, None)
    cue.source = source
    content_start = line_end - len(text[colon.idx + 1 : line_end].lstrip())
    cue.content = (content_start, content_start + len(rest))
    cue.quote_type = quote_type(analysis, cue.content)
    if analysis.has_parse:
        cue.source_head = max(words, key=lambda t: t.i)
    return cue


def after_last_dash(label: Span) -> Span | None:
    """The words after the label's last dash or bar, or None when it has none."""
    dashes = [t.i for t in label if t.text in ("-", "—", "–", "|")]
    return label.doc[dashes[-1] + 1 : label.end] if dashes else None


def trailing_label_cue(analysis: DocAnalysis, dash: Token, entry: CueEntry) -> Cue | None:
    """'We must act now. – Greta Thunberg': a dash and a name (with an optional ", role")
    ending the line, after words that end a sentence or a quotation on the same line, or
    below a line that is one quotation (a pull quote). The words are the content, as
    written by the named person: a direct quote."""
    text = analysis.text
    line_start = analysis.paragraph_start(dash.idx)
    line_end = text.find("\n", dash.idx)
    line_end = len(text) if line_end < 0 else line_end
    name_from = dash.idx + len(dash)
    match = TRAILING_NAME.fullmatch(text, name_from, line_end)
    if match is None or match.group("name").split()[0].lower() in LABEL_WORDS:
        return None
    source = match.start("name"), match.end("name")
    words = [t for t in analysis.doc.char_span(*source, alignment_mode="expand") or ()]
    if analysis.has_pos and not all(t.pos_ in ("PROPN", "X") or t.is_lower for t in words):
        return None
    before = text[line_start : dash.idx].rstrip()
    if before:
        if before[-1] not in ".!?…" + CLOSING_MARKS:
            return None
        content_start = line_start + len(before) - len(before.lstrip())
        content = content_start, line_start + len(before)
    else:
        content = _pull_quote_above(analysis, line_start)
        if content is None:
            return None
    cue = Cue(dash.idx, dash.idx + len(dash), entry, None)
    cue.source, cue.content, cue.quote_type = source, content, "direct"
    if analysis.has_parse and words:
        cue.source_head = words[-1]
    return cue


def _pull_quote_above(analysis: DocAnalysis, line_start: int) -> tuple[int, int] | None:
    """The quotation that makes up the previous non-blank line, if one does."""
    text = analysis.text
    above = text[:line_start].rstrip()
    start = analysis.paragraph_start(len(above))
    line = above[start:]
    lead = len(line) - len(line.lstrip())
    for quote in analysis.quotes:
        if quote.start == start + lead and quote.end == len(above):
            return quote.start, quote.end
    return None
