"""Who speaks: the subject of a reporting verb, through conjoined and embedded verbs, a
passive agent, or the name after an inverted verb ("“…,” said X")."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from .document import DATE_LABELS

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .cue import Cue
    from .document import DocAnalysis

CHAIN_DEPS = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "prep"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})
LABEL_ROLES = frozenset({"speaker_label", "trailing_label"})  # "Name: …", "… – Name"


def fill_verb_source(analysis: DocAnalysis, cue: Cue, token: Token) -> None:
    if cue.entry.category == "evidential_hedge" or (
        token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
            c.dep_ in ("agent", "nsubj", "aux", "auxpass") for c in token.children
        )
    ):
        return  # "X seems to ...", "Asked about it, X said": no speaker of its own
    subject = find_subject(analysis, token)
    if subject is None or (analysis.in_quote(subject.idx) and not analysis.in_quote(token.idx)):
        return
    between = analysis.text[min(subject.idx, token.idx) : max(subject.idx, token.idx)]
    if "\n" in between:
        return
    source = analysis.phrase_span(subject, exclude=token)
    if can_speak(analysis, subject, source):
        cue.source_head, cue.source = subject, source


def can_speak(analysis: DocAnalysis, head: Token | None, source: tuple[int, int]) -> bool:
    """Whether the phrase can be a speaker: not on a heading line, and not a place
    ("Bridgeport said", "Kyiv said"), a date or an outlet ("the Times reported", "TASS
    reported") unless it names a person or an organisation too. Without a parse (no
    ``head``) the phrase's whole text is checked."""
    if analysis.is_heading(source[0] if head is None else head.idx):
        return False
    if any(source[0] <= start < source[1] for start, _, _ in analysis.mentions()):
        return True  # mentions hold no places, outlets or dates
    if head is None:
        return not analysis.non_speaker(analysis.text[source[0] : source[1]])
    entity = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
    name = entity.text if entity is not None else analysis.text[source[0] : source[1]]
    # a place is what the document tags a place most often ("Kasich" tagged GPE here but
    # PERSON elsewhere speaks), so the head's own tag rules out dates only
    return head.ent_type_ not in DATE_LABELS and not analysis.non_speaker(name) and not (
        head.pos_ == "PROPN" and analysis.non_speaker(head.text)
    )


def drop_non_speakers(analysis: DocAnalysis, cues: list[Cue]) -> None:
    """Clear every source that cannot speak (``can_speak``), whichever path set it: the
    parse, a speaker label or the learned tagger ("Russia’s TASS news agency reported").
    The one check every speaker passes; better no speaker than a heading, a city, an
    outlet or a date. A label's own line is the label, not a heading."""
    for cue in cues:
        if cue.source is None:
            continue
        if cue.entry.role in LABEL_ROLES:
            speaks = not analysis.non_speaker(analysis.text[cue.source[0] : cue.source[1]])
        else:
            speaks = can_speak(analysis, cue.source_head, cue.source)
        if not speaks:
            cue.source = cue.source_head = None


def find_subject(analysis: DocAnalysis, token: Token) -> Token | None:
    """The speaker: nsubj, through conj/xcomp/advcl/pcomp chains, or a passive agent.

    Climbing from a conjoined or embedded verb, the subject of a reported clause
    (ccomp) is skipped: in "asserted that Ukraine started the war and contradicted
    polls by claiming ...", "claiming" belongs to the speaker, not to "Ukraine".
    """
    for child in token.children:
        if child.dep_ == "agent":  # "was criticized by X", "Asked by Matt Lauer"
            objects = [t for t in child.children if t.dep_ == "pobj"]
            return objects[0] if objects else None
    verb = token
    for _ in range(8):
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        if passive:
            for child in verb.children:
                if child.dep_ == "agent":
                    objects = [t for t in child.children if t.dep_ == "pobj"]
                    return objects[0] if objects else None
            if verb is token:
                return None
        if verb is token or verb.dep_ != "ccomp":
            subject_deps = ("nsubj", "csubj") if verb is token else (
                "nsubj", "csubj", "nsubjpass"  # "X was forced ... and said": X speaks
            )
            subjects = [c for c in verb.children
                        if c.dep_ in subject_deps and c.lower_ != "there"]
            if subjects:
                # the nearest: a missed sentence break can leave two subjects
                child = min(subjects, key=lambda c: abs(c.i - verb.i))
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return verb.head  # "results that show ...": the antecedent speaks
                return child
            if verb is token and token.i > 0 and token.nbor(-1).head.i == token.i and (
                token.nbor(-1).pos_ == "PROPN"
            ):
                return token.nbor(-1)  # "Bozell answers", parsed as a compound
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "PRON") or (
            verb.dep_ == "relcl" and verb.head.pos_ == "NOUN"
        ):
            return verb.head
        if verb.dep_ in CHAIN_DEPS | {"acl", "dep", "pobj"} and verb.head.i != verb.i:
            verb = verb.head
            continue
        break
    return _inverted_subject(analysis, token)


def _inverted_subject(analysis: DocAnalysis, token: Token) -> Token | None:
    """'“…,” said Edward Leamer, an economist' or '…, reported the Washington Examiner':
    after a quote or a comma, the parser often attaches the speaker of an inverted
    reporting verb elsewhere; take the name that follows the verb."""
    index = bisect_right(analysis.quote_starts, token.idx)
    ended = [q for q in analysis.quotes[max(0, index - 3) : index] if q.end <= token.idx]
    after_quote = bool(ended) and not analysis.text[ended[-1].end : token.idx].strip(" ,")
    after_comma = token.i > 0 and token.nbor(-1).text == ","
    if not (after_quote or after_comma) or token.i + 1 >= len(token.doc):
        return None
    name = token.nbor(1)
    if name.pos_ not in ("PROPN", "NOUN", "DET"):
        return None
    while name.dep_ in ("compound", "det", "amod", "flat") and name.head.i > name.i:
        name = name.head
    return name if name.pos_ in ("PROPN", "NOUN") else None
