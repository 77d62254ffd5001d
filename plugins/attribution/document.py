"""One parsed document as the attribution annotator sees it: its quotations, the named
mentions that can speak, and the phrase span of a head word. Computed once per article."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import Quote, read_data_file

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "NORP"})
# not FAC: a building that speaks is the institution it houses ("the Vatican said", "the
# Pentagon said"); after in/near/… it is still a place
PLACE_LABELS = frozenset({"GPE", "LOC"})
DATE_LABELS = frozenset({"DATE", "TIME"})
NON_SPEAKERS = Path(__file__).parent.parent / "lexicons" / "non_speakers.yaml"
PLACE_PREPOSITIONS = frozenset("in near outside inside".split())
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SHORT_QUOTE_WORDS = 4
# between a quote and its cue, the speaker: a name, a pronoun or a short description
SPEAKER_GAP = re.compile(
    r"[\s,—–-]*(?:(?:[A-Z][\w’'.-]*\s*){1,4}|(?:he|she|they|we|I)\s+"
    r"|(?:the|a|an|his|her|their|our|its)\s+(?:[\w’'.-]+\s+){1,3})"
)
NEARBY_QUOTE_CHARS = 60
# between a cue and the quote it introduces: nothing, "that", or a few words ending in
# punctuation ("said", "told reporters on Sunday:", "said in a statement,", "joked, again
# putting on an accent,")
OPEN_GAP = re.compile(
    r"\s*(?:that\s+|,?\s*(?:[\w’'.-]+\s+){0,6}[\w’'.-]*[,:—–-]\s*|[,:—–-]\s*)?"
)
# a few words in one sentence between a cue and a quotation
NEAR_GAP = re.compile(r"(?:[^\S\n]*[\w’'.-]+){0,6}[^\S\n,:—–-]*[,:—–-]?\s*")
# between a quote and the cue after it
CLOSE_GAP = re.compile(r"[\s,—–-]*")
SPEECH_ENDINGS = (",", "!", "?", "…")
SENTENCE_OPENERS = ".!?:;…”\"»’'—–-("
SENTENCE_ENDS = tuple(".!?…:”\"’")  # a line ending so is a sentence, not a heading
DATE_WORDS = 3  # at most, in a date's name
TITLE_SMALL_WORDS = frozenset("a an and the of in on at to for with by or from as".split())


def outermost(quotes: list[Quote]) -> list[Quote]:
    """The quotations not nested in another (``quotes`` sorted by start, longest first)."""
    found: list[Quote] = []
    for quote in quotes:
        if not found or quote.start >= found[-1].end:
            found.append(quote)
    return found


def is_title(words: list[str]) -> bool:
    """Every word capitalised but the small ones, and no closing punctuation: a title
    ("The Left Hand of Darkness"), not a quoted sentence."""
    return all(w[:1].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words) and (
        words[-1][-1:].isalnum()
    )


@cache
def non_speaker_terms(category: str) -> frozenset[str]:
    """The terms of one category of plugins/lexicons/non_speakers.yaml, lower-cased."""
    entries = read_data_file(NON_SPEAKERS, "term-lexicon")["entries"]
    return frozenset(e["term"].lower() for e in entries if e["category"] == category)


def is_outlet(name: str, own_outlet: str | None = None) -> bool:
    """A newspaper's, agency's or broadcaster's name ("the Times", "Fox News", "TASS",
    "Russia’s TASS news agency"), or the article's own outlet."""
    words = re.findall(r"[\w’'-]+", name)
    found = [w.lower() for w in words]
    if found and found[0] == "the":
        found = found[1:]
    if not found:
        return False
    whole = " ".join(found)
    agencies = non_speaker_terms("news_agency")
    outlet_words = non_speaker_terms("outlet_word")
    outlet_ending = found[-1] in outlet_words or " ".join(found[-2:]) in outlet_words
    return (
        outlet_ending and words[-1][:1].isupper()  # "the press said" is no outlet
        or outlet_ending and any(w in agencies for w in found)  # "Russia’s TASS news agency"
        or whole in agencies  # "TASS", not "an NBC reporter"
        or bool(own_outlet) and whole == " ".join(re.findall(r"[\w’'-]+", own_outlet.lower()))
    )


def is_date(name: str) -> bool:
    """A short name that ends in a weekday, a month or a relative date ("Wednesday", "last
    Wednesday"; not "a congressional report on Wednesday")."""
    words = re.findall(r"[\w’'-]+", name.lower())
    return 0 < len(words) <= DATE_WORDS and words[-1] in non_speaker_terms("date_word")


class DocAnalysis:
    """What the annotator needs to know about one parsed document, computed once."""

    def __init__(
        self, doc: Doc, text: str, quotes: list[Quote], outlet: str | None = None
    ) -> None:
        self.doc = doc
        self.text = text
        self.outlet = outlet
        self.quotes = quotes
        self.has_parse = doc.has_annotation("DEP")
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.has_lemma = doc.has_annotation("LEMMA")
        self.has_ner = doc.has_annotation("ENT_IOB")
        self.quote_starts = [q.content_start for q in quotes]
        self.top_quotes = outermost(quotes)
        self.top_starts = [q.content_start for q in self.top_quotes]
        self._mentions: list[tuple[int, Span, bool]] | None = None
        self._places: frozenset[str] | None = None

    def in_quote(self, offset: int) -> bool:
        """Inside the content of a quotation of speech (not a scare quote or a title)."""
        index = bisect_right(self.quote_starts, offset)
        for quote in reversed(self.quotes[:index]):
            if quote.content_start <= offset < quote.content_end and self.is_speech(quote):
                return True
            if quote.end < offset - 2000:
                break
        return False

    def inner(self, quote: Quote) -> str:
        return self.text[quote.content_start : quote.content_end]

    def is_speech(self, quote: Quote) -> bool:
        """Quoted speech rather than a scare quote or a title: more than a few words (not
        all capitalised, as a title's are), or a few words that open their sentence and end
        in , ! ? … or a full stop that ends the sentence ("“Never,” she said", "“Never.”")."""
        inner = self.inner(quote).strip()
        words = inner.split()
        if len(words) > SHORT_QUOTE_WORDS:
            return not is_title(words)
        if not words or not self.opens_sentence(quote):
            return False
        return inner[-1] in SPEECH_ENDINGS or inner[-1] == "." and self.closes_sentence(quote)

    def opens_sentence(self, quote: Quote) -> bool:
        """Only a sentence end, a colon, a dash or a closing quote mark (or nothing) comes
        before the quote in its paragraph."""
        before = self.text[self.paragraph_start(quote.start) : quote.start].rstrip()
        return not before or before[-1] in SENTENCE_OPENERS

    def closes_sentence(self, quote: Quote) -> bool:
        """The sentence ends with the quote: sentence punctuation inside or right after the
        closing mark, then the end of the paragraph or a new sentence."""
        after = self.text[quote.end : quote.end + 80].split("\n", 1)[0]
        rest = after.lstrip(".!?…")
        if not rest.strip():
            return True
        ended = len(rest) < len(after) or self.inner(quote).rstrip()[-1:] in ".!?…"
        return ended and rest[:1].isspace() and (
            rest.lstrip()[:1].isupper() or rest.lstrip()[:1] in "“\"«‘'("
        )

    def paragraph_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def same_paragraph(self, start: int, end: int) -> bool:
        return "\n" not in self.text[start:end]

    def quote_before(self, offset: int, skip: tuple[int, int] | None) -> Quote | None:
        """The quote a cue at ``offset`` closes: “…,” Zelensky said; “…!” shouted the mayor.

        Only spaces, commas, dashes or the speaker (``skip``) lie between them, in one
        paragraph; the quote opens its sentence (or is a long quote ending in a comma) and
        does not end with a full stop, which would end the sentence before the cue.
        """
        index = bisect_right(self.top_starts, offset)
        for quote in reversed(self.top_quotes[max(0, index - 4) : index]):
            if quote.end > offset:
                continue
            inner = self.inner(quote).rstrip()
            if inner.endswith(".") or not (self.opens_sentence(quote) or (
                inner.endswith(",") and self.is_speech(quote)
            )):
                continue
            gap = self.text[quote.end : offset]
            if skip and quote.end <= skip[0] and skip[1] <= offset:
                gap = self.text[quote.end : skip[0]] + self.text[skip[1] : offset]
            if len(gap) <= NEARBY_QUOTE_CHARS and "\n" not in gap and (
                CLOSE_GAP.fullmatch(gap) or skip is None and SPEAKER_GAP.fullmatch(gap)
            ):
                return quote
        return None

    def quote_after(self, offset: int) -> Quote | None:
        """The quote a cue ending at ``offset`` introduces: said: “…”; said, “…”; told
        reporters on Sunday: “…”; said “…”; said that “…”.

        Words between them must end in a colon, comma or dash; a line break only follows a
        colon. A short quote needs that punctuation and must end its sentence ("She said,
        “We love it.”"), so a scare quote or a title after the cue is never its content.
        """
        index = bisect_right(self.top_starts, offset)
        for quote in self.top_quotes[index : index + 3]:
            if quote.start < offset:
                continue
            gap = self.text[offset : quote.start]
            if len(gap) > NEARBY_QUOTE_CHARS or not OPEN_GAP.fullmatch(gap) or (
                "\n" in gap and not gap.rstrip().endswith(":")
            ):
                return None
            punctuated = bool(gap.strip()) and gap.rstrip()[-1] in ",:—–-"
            inner = self.inner(quote).split()
            if len(inner) > SHORT_QUOTE_WORDS and not is_title(inner) or (
                inner and punctuated and self.closes_sentence(quote)
            ):
                return quote
            return None
        return None

    def quote_near(self, offset: int) -> bool:
        """A quotation starts a few words after ``offset``, in the same sentence: "Asked if
        Sanders is “realistic …”" (the verb reports speech, whatever its content)."""
        index = bisect_right(self.top_starts, offset)
        if index >= len(self.top_quotes):
            return False
        gap = self.text[offset : self.top_quotes[index].start]
        return len(gap) <= NEARBY_QUOTE_CHARS and bool(NEAR_GAP.fullmatch(gap)) and not (
            re.search(r"[.!?]\s", gap)
        )

    def close_quotes(self, span: tuple[int, int]) -> tuple[int, int]:
        """``span`` widened to both marks of every quotation it cuts, within the paragraph:
        a span never opens a quote it does not close ('that his book is “Dune”')."""
        start, end = span
        index = bisect_right(self.quote_starts, end)
        for quote in self.quotes[max(0, index - 8) : index]:
            cut = quote.start < start < quote.end or quote.start < end < quote.end
            if cut and self.same_paragraph(min(quote.start, start), max(quote.end, end)):
                start, end = min(start, quote.start), max(end, quote.end)
        return start, end

    def is_heading(self, offset: int) -> bool:
        """The line at ``offset`` is a heading: title-case words, or no finite verb and no
        sentence end ("Kremlin Welcomes US-Russia Dialogue"; not "Bush, however,
        interjected by hitting Trump." with "interjected" tagged VBN)."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        line = self.text[start : end if end >= 0 else len(self.text)]
        words = re.findall(r"[\w’'-]+", line)
        if len(words) > 1 and is_title(line.split()):
            return True
        if line.rstrip()[-1:] in SENTENCE_ENDS:
            return False
        span = self.doc.char_span(start, start + len(line), alignment_mode="contract")
        return bool(self.has_pos and span is not None and len(span) > 1) and not any(
            t.tag_ in FINITE_TAGS for t in span
        )

    def places(self) -> frozenset[str]:
        """Lower-cased names this document uses as places: tagged GPE/LOC, the object
        of "in/near …", or the city of a "City, State" pair, at least as often as it tags
        them PERSON alone, and never a word of a full PERSON name (the small model tags
        "Kasich" GPE eight times in an article that names "John Kasich")."""
        if self._places is None:
            as_place: Counter[str] = Counter()
            as_person: Counter[str] = Counter()
            in_full_name: set[str] = set()
            ents = list(self.doc.ents) if self.has_ner else []
            for index, ent in enumerate(ents):
                before = self.doc[ent.start - 1] if ent.start > 0 else None
                after = ents[index + 1] if index + 1 < len(ents) else None
                name = ent.text.lower()
                if ent.label_ in PERSON_LABELS:
                    as_person[name] += 1
                    if len(name.split()) > 1:
                        in_full_name.update({name, *name.split()})
                elif ent.label_ in PLACE_LABELS or (
                    before is not None and before.lower_ in PLACE_PREPOSITIONS
                    and ent.root.dep_ == "pobj"
                ) or (  # not "… Vladimir Putin, U.S. representatives …": no PERSON
                    after is not None and after.label_ == "GPE" and after.start == ent.end + 1
                    and self.doc[ent.end].text == ","
                ):
                    as_place[name] += 1
            self._places = frozenset(
                n for n, count in as_place.items()
                if count >= as_person[n] and n not in in_full_name
            )
        return self._places

    def non_speaker(self, name: str) -> bool:
        """The name is a place (one this document uses as a place, or a capital named for
        its government: "Kyiv said"), an outlet or a date, whatever the NER tagged it."""
        lowered = name.lower()
        bare = lowered[4:] if lowered.startswith("the ") else lowered
        return bare in self.places() or bool({lowered, bare} & non_speaker_terms("seat_city")) or (
            is_outlet(name, self.outlet) or is_date(name)
        )

    def mentions(self) -> list[tuple[int, Span, bool]]:
        """PERSON/ORG/NORP entities that may speak, in order: (start char, span, is a subject)."""
        if self._mentions is None:
            self._mentions = [
                (ent.start_char, ent, ent.root.dep_ in ("nsubj", "nsubjpass"))
                for ent in self.doc.ents
                if (ent.label_ in PERSON_LABELS or ent.label_ in GROUP_LABELS)
                and not self.non_speaker(ent.text)
            ] if self.has_ner else []
        return self._mentions

    def phrase_span(self, head: Token, exclude: Token | None = None) -> tuple[int, int]:
        """The phrase headed by ``head``: its subtree on the head's line, not reaching the
        cue ``exclude``, without edge punctuation."""
        tokens = list(head.subtree)
        if exclude is not None:
            if exclude.i > head.i:
                tokens = [t for t in tokens if t.i < exclude.i]
            else:
                tokens = [t for t in tokens if t.i > exclude.i]
        line_start = self.text.rfind("\n", 0, head.idx) + 1
        line_end = self.text.find("\n", head.idx)
        line_end = len(self.text) if line_end < 0 else line_end
        tokens = [t for t in tokens if line_start <= t.idx < line_end] or [head]
        quote = self.quote_before(head.idx + 1, None)
        if quote is None:
            index = bisect_right(self.quote_starts, head.idx)
            ended = [q for q in self.quotes[max(0, index - 3) : index] if q.end <= head.idx]
            quote = ended[-1] if ended else None
        if quote is not None:
            tokens = [t for t in tokens if t.idx >= quote.end] or [head]
        while len(tokens) > 1 and (tokens[0].is_punct or tokens[0].is_space):
            tokens.pop(0)
        while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens.pop()
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])

