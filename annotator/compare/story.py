"""How the outlets of one event told it: metrics, alignments and labeling matrix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .alignment import alignments
from .article import ComparedArticle, Outlets
from .entity import EntityIndex, main_entities, mentions, person_names
from .labeling import clustered, labeling_docs, labeling_matrix
from .metrics import (
    attribution_rows,
    loaded_term_rows,
    quoted_word_rows,
    ran_on,
    sentiment_rows,
    voice_rows,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def full_docs(articles: list[ComparedArticle], nlp: Language) -> dict[str, Doc]:
    """Whole parses, in one batch, of the articles without entity clusters: their people
    come from the parse's named entities."""
    texts = {art.id: art.text for art in articles if not clustered(art)}
    return dict(zip(texts, nlp.pipe(texts.values()), strict=True))


def compare_event(records: list[dict[str, Any]], nlp: Language | None = None,
                  outlet_names: Mapping[str, str] | None = None,
                  event: str = "all") -> dict[str, Any]:
    """How the outlets of one event told it, from its records (one per article).

    ``outlet_names`` maps article ids to outlet display names (default: each
    record's own spelling). ``nlp``, a pipeline with parser and NER, is used for
    the labeling matrix; without it the matrix lacks what needs a parse and a note
    says so. Returns the event's outlets, articles, metric table, alignments (each
    tagged with ``event``), labeling matrix and notes.
    """
    names = outlet_names or {}
    ordered = sorted(records, key=lambda r: r["article"]["id"])
    articles = [ComparedArticle.from_record(r, names.get(r["article"]["id"])) for r in ordered]
    outlets: Outlets = defaultdict(list)
    for art in articles:
        outlets[art.outlet].append(art)
    outlets = dict(sorted(outlets.items()))
    parsed = nlp is not None and {"parser", "ner"} <= set(nlp.pipe_names)
    docs = full_docs(articles, nlp) if parsed else {}
    index = EntityIndex(n for art in articles for n in person_names(art, docs.get(art.id)))
    spans = {art.id: mentions(art, index) for art in articles}
    main = main_entities(index, spans, outlets)
    if parsed and main:
        docs.update(labeling_docs(articles, nlp, spans, main))
    rows = (loaded_term_rows(outlets) + attribution_rows(outlets) + quoted_word_rows(outlets, index)
            + sentiment_rows(outlets, index, main) + voice_rows(outlets))
    notes = []
    for name in ("boilerplate", "loaded_terms", "attribution", "sentiment"):
        missing = [o for o, arts in outlets.items() if not ran_on(arts, name)]
        if missing:
            notes.append(f"annotator {name!r} did not run for {', '.join(missing)}: "
                         "its numbers are n/a there")
    if not parsed:
        notes.append("no spaCy pipeline with parser and NER: the labeling matrix lacks titles, "
                     "appositives and predicated labels")
    return {
        "outlets": [{"name": o, "articles": [a.id for a in arts]} for o, arts in outlets.items()],
        "articles": [
            {"id": a.id, "outlet": a.outlet, "event": event, "title": a.title,
             "date": r["article"].get("date"), "sha256": a.sha256, "words": len(a.words),
             "boilerplate": [a.evidence(s, e) for s, e in a.boilerplate],
             "annotators": sorted(a.annotators)}
            for a, r in zip(articles, ordered, strict=True)
        ],
        "metrics": [row.as_json(f"m{number}") for number, row in enumerate(rows)],
        "alignments": [{"event": event, **a} for a in alignments(articles)],
        "labeling": labeling_matrix(outlets, index, main, docs, spans, parsed),
        "notes": notes,
    }
