"""Finding cues: reporting verbs, speech-act nouns, phrases ("according to") and speaker
labels, each with its speaker, content and stance filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy
from spacy.attrs import LEMMA, LOWER

from .content import (
    WORDLESS_CATEGORIES,
    clause_without,
    fill_adjacent_quote,
    fill_verb_content,
    set_content,
)
from .cue import Cue
from .document import GROUP_LABELS, PERSON_LABELS
from .label import speaker_label_cue, trailing_label_cue
from .source import can_speak, fill_verb_source, find_subject
from .stance import decide_stance
from .turn import assign_quotes

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .document import DocAnalysis
    from .lexicon import CueEntry, Lexicon

AUXILIARIES = frozenset(
    """be is are was were been being am 's 're have has had 've 'd do does did will would
    shall should can could may might must wo ca""".split()
)
NEGATIONS = frozenset({"not", "n't", "never", "n’t"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "prep", "agent", "acomp", "npadvmod"})
PRONOUNS = frozenset("he she they it we i you who which that him her them".split())
DASHES = frozenset({"-", "–", "—", "|"})
THIRD_PERSON_SUBJECTS = frozenset(
    "he she they who both few many most some others all none each neither".split()
)
# inside another cue's reported clause these are part of what was said, not a new attribution
NESTED_CATEGORIES = WORDLESS_CATEGORIES | {"evidential", "nominal"}
# "faced criticism", "drew calls for", "sparked concerns": the subject is the target or
# the cause of the speech act, not its speaker (PolNeAR training part: face, draw,
# receive, win: 0 of 24 gold sources are the subject)
NON_SPEAKING_GOVERNORS = frozenset(
    "face draw receive win attract earn spark prompt provoke trigger fuel".split()
)


class CueFinder:
    """Finds cues in one document and fills in stance, source and content."""

    def __init__(self, lexicon: Lexicon, analysis: DocAnalysis, skip_in_quotes: bool) -> None:
        self.lexicon = lexicon
        self.analysis = analysis
        self.skip_in_quotes = skip_in_quotes

    def find(self) -> list[Cue]:
        """Every cue in document order, outside quoted speech, with its stance; then one
        continuation cue per quotation that continues a cue's turn."""
        cues: list[Cue] = []
        taken: set[int] = set()
        doc = self.analysis.doc
        for index in self._candidates():
            if index in taken:
                continue
            token = doc[index]
            phrase = self._phrase_at(token)
            if phrase is not None:
                cue = self._phrase_cue(token, *phrase)
            elif self.analysis.has_parse and token.pos_ == "NOUN":
                cue = self._noun_cue(token)
            else:
                cue = self._verb_cue(token)
            if cue is None:
                continue
            if self.skip_in_quotes and self.analysis.in_quote(cue.start):
                continue
            if cue.entry.role == "speaker_label" and self._verb_cue_object(cue, cues):
                continue
            cue_tokens = self.analysis.doc.char_span(cue.start, cue.end, alignment_mode="expand")
            taken.update(range(token.i, cue_tokens.end if cue_tokens is not None else token.i + 1))
            cues.append(cue)
        cues = self._merge_statement_phrases(self._without_reported_states(cues))
        for index, cue in enumerate(cues):
            following = cues[index + 1].start if index + 1 < len(cues) else None
            decide_stance(self.lexicon, self.analysis, cue, following)
        return assign_quotes(self.analysis, cues)

    # ---- detection

    def _candidates(self) -> list[int]:
        """Indexes of the tokens that may start a cue (a lexicon word by lowercase form
        or lemma), read from spaCy's hash arrays so that the other tokens cost nothing."""
        doc = self.analysis.doc
        lexicon = self.lexicon
        hit = numpy.isin(doc.to_array(LOWER), lexicon.first_form_hashes)
        if self.analysis.has_lemma:
            lemmas = doc.to_array(LEMMA)
            for lemma in numpy.unique(lemmas).tolist():
                if doc.vocab.strings[lemma].lower() in lexicon.lemma_words:
                    hit |= lemmas == lemma
        return numpy.flatnonzero(hit).tolist()

    def _phrase_at(self, token: Token) -> tuple[tuple[str, ...], CueEntry] | None:
        for words, entry in self.lexicon.phrases.get(token.lower_, ()):
            span = self.analysis.doc[token.i : token.i + len(words)]
            if tuple(t.lower_ for t in span) == words:
                return words, entry
        return None

    def _verb_cue(self, token: Token) -> Cue | None:
        analysis = self.analysis
        entry = None
        if analysis.has_lemma:
            entry = self.lexicon.verbs_by_lemma.get(token.lemma_.lower())
        if entry is None:
            entry = self.lexicon.verbs_by_form.get(token.lower_)
        if entry is None:
            return None
        if analysis.has_pos and token.pos_ != "VERB" and not self._headline_verb(token, entry):
            return None
        if not analysis.has_pos and not self._verb_without_tags(token, entry):
            return None
        if analysis.has_parse and self._naming_participle(token, entry):
            return None
        if entry.category == "evidential_hedge" and token.tag_ in ("VBG", "VBN") and not any(
            c.dep_ in CLAUSE_DEPS for c in token.children
        ):
            return None  # "perhaps seeming too gloomy": an appearance, no one's words
        if not self._satisfies(token, entry):
            return None
        first, last = self._verb_extent(token, entry)
        doc = analysis.doc
        cue = Cue(doc[first].idx, doc[last].idx + len(doc[last]), entry, token)
        cue.negated = any(doc[i].lower_ in NEGATIONS for i in range(first, last + 1)) or (
            analysis.has_parse and any(c.dep_ == "neg" for c in token.children)
        )
        if analysis.has_parse:
            fill_verb_source(analysis, cue, token)
            fill_verb_content(analysis, cue, token)
        else:
            fill_adjacent_quote(analysis, cue)
        if cue.quote_type == "direct" and entry.category in WORDLESS_CATEGORIES:
            return None  # '“…,” the baker thinks': a belief verb over quoted words reports none
        return cue

    def _noun_cue(self, token: Token) -> Cue | None:
        """'Trump's claim that ...', 'criticism of the plan by Democrats': a speech-act noun
        with a complement; its speaker is the possessor or the object of by/from."""
        entry = self.lexicon.nouns.get(token.lemma_.lower())
        if entry is None:
            return None
        children = list(token.children)
        if entry.requires == "clause":
            if not any(c.dep_ in ("acl", "ccomp") for c in children):
                return None
        elif entry.particles:
            if not any(c.dep_ == "prep" and c.lower_ in entry.particles for c in children):
                return None
        elif not any(c.dep_ in ("prep", "acl", "ccomp", "relcl", "poss") for c in children):
            return None
        cue = Cue(token.idx, token.idx + len(token), entry, token)
        speaker = next((c for c in children if c.dep_ == "poss"), None)
        if speaker is None:
            for child in children:
                if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                    speaker = next((t for t in child.children if t.dep_ == "pobj"), None)
                    break
        if speaker is None and token.dep_ in ("dobj", "pobj"):
            governor = token.head if token.dep_ == "dobj" else token.head.head
            lemma = governor.lemma_.lower()
            if governor.pos_ == "VERB" and lemma not in NON_SPEAKING_GOVERNORS:
                speaker = find_subject(self.analysis, governor)  # "made the suggestion"
            if lemma == "raise" and speaker is not None and not (
                speaker.pos_ == "PRON" or speaker.ent_type_ in PERSON_LABELS | GROUP_LABELS
            ):
                speaker = None  # "the talks raised concerns" names a cause, not a speaker
        if speaker is not None and can_speak(
            self.analysis, speaker, self.analysis.phrase_span(speaker)
        ):
            start, end = self.analysis.phrase_span(speaker)
            cases = [c for c in speaker.children if c.dep_ == "case" and c.idx >= start]
            if cases and speaker.dep_ == "poss":  # "the minister's": the minister
                end = max(start, cases[0].idx)
                end = start + len(self.analysis.text[start:end].rstrip())
            cue.source, cue.source_head = (start, end), speaker
        for child in children:
            if child.dep_ in ("acl", "ccomp") or (child.dep_ == "prep" and child.lower_ in (
                "of", "about", "on", "against", "that"
            )):
                set_content(self.analysis, cue, self.analysis.phrase_span(child))
                break
        return cue

    @staticmethod
    def _verb_without_tags(token: Token, entry: CueEntry) -> bool:
        """Without POS tags, a bare lemma is often a noun ("the report", "his claim"):
        accept it only after a pronoun, auxiliary, modal or "to"; never in "so-called"."""
        previous = token.nbor(-1).lower_ if token.i > 0 else ""
        if previous in ("so", "-", "so-"):
            return False
        if token.lower_ != entry.key:
            return True
        return previous in AUXILIARIES or previous in PRONOUNS or previous in ("to", "not", "n't")

    @staticmethod
    def _headline_verb(token: Token, entry: CueEntry) -> bool:
        """Title-case headlines ("Clinton Slams Trump") tag verbs as proper nouns; accept an
        inflected, capitalised form there (the bare lemma is too often a name: "State")."""
        return token.pos_ == "PROPN" and token.text[:1].isupper() and token.lower_ != entry.key

    @staticmethod
    def _naming_participle(token: Token, entry: CueEntry) -> bool:
        """'a group called X', 'called off': naming or phrasal uses that report no speech;
        '(Reporting by Amanda Becker; Writing by ...)': a credit line."""
        if any(c.dep_ == "prt" and c.lower_ in ("off", "up", "in") for c in token.children):
            return True
        doc = token.doc
        if token.tag_ == "VBG" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "by" and (
            token.i == 0 or doc[token.i - 1].text in ("(", ";") or doc[token.i - 1].is_space
            or doc[token.i - 1].lower_ == "additional"
        ):
            return True
        return entry.category == "labeling" and token.dep_ in ("acl", "amod") and (
            token.tag_ == "VBN"
        )

    def _satisfies(self, token: Token, entry: CueEntry) -> bool:
        """Whether the token's context fits the entry's requirement."""
        analysis = self.analysis
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if entry.particles:
            return self._particle_after(token, entry) is not None
        if entry.requires is None:
            return True
        if entry.requires == "person_subject" and analysis.has_parse:
            return self._held_by_someone(token)
        end = token.idx + len(token)
        if analysis.quote_before(token.idx, None) or analysis.quote_near(end):
            return True
        if nxt is not None and nxt.text in (":", "that"):
            return True
        if not analysis.has_parse:
            return entry.requires == "complement"
        deps = {c.dep_ for c in token.children}
        if entry.requires == "named_subject":
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            return bool(subjects) and subjects[0].pos_ in ("PROPN", "NOUN") and bool(
                deps & (CLAUSE_DEPS | OBJECT_DEPS)
            )
        if deps & CLAUSE_DEPS or token.dep_ == "parataxis":
            return True
        # "Wolf reported from Washington.": a byline's "from" names where, not what
        objects = {c.dep_ for c in token.children if not (c.dep_ == "prep" and c.lower_ == "from")}
        return entry.requires == "complement" and bool(objects & OBJECT_DEPS)

    @staticmethod
    def _verb_cue_object(label: Cue, cues: list[Cue]) -> bool:
        """'Cruz told Breitbart London: “...”': a label that the verb cue before it governs
        is that cue's listener, not a speaker; the verb already introduces the words."""
        verb = cues[-1].head if cues else None
        listener = label.source_head
        if verb is None or listener is None or verb.i > listener.i:
            return False
        between = listener.doc[verb.i + 1 : listener.i]
        return listener.dep_ in ("dobj", "dative", "pobj") and verb in listener.ancestors and (
            not any(t.text in DASHES for t in between)  # "... poll overhype - HuffPollster:"
        )

    @staticmethod
    def _held_by_someone(token: Token) -> bool:
        """'Democrats think ...', 'Clinton knows the risks', 'they believe it will pass',
        'voters who want to ...': a name or noun subject with a clause or object, or a
        third-person pronoun with a clause; the writer's 'I think' is no attribution."""
        deps = {c.dep_ for c in token.children}
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return False
        if subject.pos_ in ("PROPN", "NOUN"):
            return bool(deps & (CLAUSE_DEPS | OBJECT_DEPS))
        return subject.lower_ in THIRD_PERSON_SUBJECTS and bool(deps & {"ccomp", "xcomp"})

    @staticmethod
    def _particle_after(token: Token, entry: CueEntry) -> Token | None:
        """The entry's particle right after the verb, or after a reflexive ('distanced
        himself from')."""
        doc = token.doc
        for offset in (1, 2):
            if token.i + offset >= len(doc):
                return None
            following = doc[token.i + offset]
            if following.lower_ in entry.particles:
                return following
            if not following.lower_.endswith(("self", "selves")):
                return None
        return None

    def _verb_extent(self, token: Token, entry: CueEntry) -> tuple[int, int]:
        """Token range of the cue: auxiliaries, negation and adverbs before, particle after."""
        analysis = self.analysis
        doc = analysis.doc
        first = token.i
        while first > 0:
            prev = doc[first - 1]
            lower = prev.lower_
            if lower in AUXILIARIES or lower in NEGATIONS or lower in self.lexicon.adverbs:
                first -= 1
            elif analysis.has_parse and prev.dep_ in ("aux", "auxpass", "neg", "advmod") and (
                prev.head.i == token.i and prev.pos_ in ("ADV", "AUX", "PART")
            ):
                first -= 1
            else:
                break
        last = token.i
        particle = self._particle_after(token, entry) if entry.particles else None
        if particle is not None:
            last = particle.i
        elif analysis.has_parse:
            for child in token.rights:
                if child.dep_ == "prt" and child.i == last + 1:
                    last = child.i
        return first, last

    def _phrase_cue(self, token: Token, words: tuple[str, ...], entry: CueEntry) -> Cue | None:
        if entry.role == "speaker_label":
            return speaker_label_cue(self.analysis, token, entry)
        if entry.role == "trailing_label":
            return trailing_label_cue(self.analysis, token, entry)
        doc = self.analysis.doc
        last = doc[token.i + len(words) - 1]
        following = [t for t in doc[last.i + 1 : last.i + 8] if t.pos_ in ("NOUN", "PROPN", "PRON")
                     or not self.analysis.has_pos and t.is_alpha]
        if self.analysis.has_parse:
            objects = [t for t in last.children if t.dep_ == "pobj"] or following[:1]
        else:
            objects = following
        if entry.objects:
            objects = [t for t in objects if t.lower_ in entry.objects or (
                self.analysis.has_lemma and t.lemma_.lower() in entry.objects)]
            if not objects:
                return None
        cue = Cue(token.idx, last.idx + len(last), entry, None)
        if entry.role == "object" and objects:
            if self.analysis.has_parse:
                cue.source = self.analysis.phrase_span(objects[0])
                cue.source_head = objects[0]
        if entry.role == "object" and self.analysis.has_parse:
            phrase = token  # the phrase's top word below the clause it attaches to
            while phrase.head.i != phrase.i and phrase.head.dep_ == "prep":
                phrase = phrase.head
            if phrase.head.i != phrase.i:  # "The dam is safe, according to X": the clause
                set_content(self.analysis, cue, clause_without(phrase.head, phrase))
        if cue.content is None:
            fill_adjacent_quote(self.analysis, cue)
        return cue

    def _merge_statement_phrases(self, cues: list[Cue]) -> list[Cue]:
        """'said in a statement' is one cue: fold a setting phrase into the verb cue it
        directly follows; alone it is a cue only when it introduces a direct quote."""
        merged: list[Cue] = []
        for cue in cues:
            if cue.entry.role == "setting":
                previous = merged[-1] if merged else None
                if previous is not None and previous.head is not None and not (
                    self.analysis.text[previous.end : cue.start].strip()
                ):
                    previous.end = cue.end
                    continue
                if cue.quote_type != "direct" or (
                    self.analysis.has_parse and self._governed_by_cue(cue, cues)
                ):
                    continue
            merged.append(cue)
        return merged

    @staticmethod
    def _without_reported_states(cues: list[Cue]) -> list[Cue]:
        """Drop a belief, intent, evidence or speech-act noun cue inside the reported clause
        of a speech cue: in 'he said he believes X' the attribution is the saying."""
        spans = [c.content for c in cues if c.content and c.entry.category not in (
            NESTED_CATEGORIES
        )]
        return [
            cue for cue in cues
            if cue.entry.category not in NESTED_CATEGORIES
            or not any(start <= cue.start and cue.end <= end for start, end in spans)
        ]

    def _governed_by_cue(self, phrase: Cue, cues: list[Cue]) -> bool:
        span = self.analysis.doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if span is None:
            return False
        heads = {c.head.i for c in cues if c.head is not None}
        return span.root.head.i in heads
