"""How the outlets of one event told it: metrics, alignments and labeling matrix."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..schema import load_schema, schema_problems
from .alignment import alignments
from .article import ComparedArticle, Outlets
from .entity import EntityIndex, main_entities, mentions, person_names
from .labeling import labeling_matrix
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

COMPARISON_VERSION = "1.0.0"
COMPARISON_SCHEMA = "comparison.json"

def compare_event(records: list[dict[str, Any]], nlp: Language | None = None) -> dict[str, Any]:
    """The comparison of the outlets in ``records`` (one record per article).

    ``nlp``, a pipeline with parser and NER, is used for the labeling matrix;
    without it the matrix is left empty and a note says why.
    """
    ordered = sorted(records, key=lambda r: r["article"]["id"])
    articles = [ComparedArticle.from_record(r) for r in ordered]
    outlets: Outlets = defaultdict(list)
    for art in articles:
        outlets[art.outlet].append(art)
    outlets = dict(sorted(outlets.items()))
    parsed = nlp is not None and {"parser", "ner"} <= set(nlp.pipe_names)
    docs = dict(zip([a.id for a in articles], nlp.pipe(a.text for a in articles), strict=True)) \
        if parsed else {}
    index = EntityIndex(n for art in articles for n in person_names(art, docs.get(art.id)))
    spans = {art.id: mentions(art, index, docs.get(art.id)) for art in articles}
    main = main_entities(index, spans, outlets)
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
        "comparison_version": COMPARISON_VERSION,
        "tool": {"name": "annotator", "version": __version__},
        "outlets": [{"name": o, "articles": [a.id for a in arts]} for o, arts in outlets.items()],
        "articles": [
            {"id": a.id, "outlet": a.outlet, "title": a.title, "sha256": a.sha256,
             "words": len(a.words), "boilerplate": [a.evidence(s, e) for s, e in a.boilerplate],
             "annotators": sorted(a.annotators)}
            for a in articles
        ],
        "metrics": [row.as_json(f"m{number}") for number, row in enumerate(rows)],
        "alignments": alignments(articles),
        "labeling": labeling_matrix(outlets, index, main, docs, spans),
        "notes": notes,
    }


def comparison_problems(comparison: dict[str, Any]) -> list[str]:
    """Schema problems of a comparison, one line each (empty when valid)."""
    return [f"{p.pointer or '/'}: {p.message}"
            for p in schema_problems(comparison, load_schema(COMPARISON_SCHEMA))]
