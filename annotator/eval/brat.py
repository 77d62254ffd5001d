"""brat attribution standoff (PolNeAR): cue, source and content spans tied by events."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, checked_span, read_text
from .gold_format import GoldFormat
from .metrics import any_overlap_score, pair_overlap_score, partial_overlap_score, prf
from .quotes import words
from .report import ScoreRow
from .selector import Annotations, Selector, selected, sub_span_of
from .span import Pair, Span, normalize_parts, overlap


@dataclass(frozen=True)
class Relation:
    """One PolNeAR attribution: its cue, source and content spans (each may be missing)."""

    cue: Span | None
    source: Span | None
    content: Span | None


@dataclass(frozen=True)
class AttributionText(GoldItem):
    """One brat text: the reference annotator's relations, and any other annotators'."""

    relations: tuple[Relation, ...]
    other_annotators: tuple[tuple[Relation, ...], ...] = ()


BRAT_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
BRAT_E_LINE = re.compile(r"^E\d+\t(.*)$")
BRAT_R_LINE = re.compile(r"^R\d+\t(\S+) Arg1:(\S+) Arg2:(\S+)")
BRAT_ANN_NAME = re.compile(r"^(?P<text>.+)_(?P<annotator>[^_]+)\.ann$")


@dataclass(frozen=True)
class Standoff:
    """One ``.ann`` file: every text-bound span by id (labelled with its type), and the
    attribution relations."""

    spans: dict[str, Span]
    relations: tuple[Relation, ...]


def is_cue_type(kind: str) -> bool:
    """``Cue`` (PolNeAR) or ``<annotator>-cue`` (``annotate export brat``)."""
    return kind.lower() == "cue" or kind.lower().endswith("-cue")


def parse_standoff(ann: str, text: str, where: str, lone_cues: bool = False) -> Standoff:
    """Spans and relations of one brat standoff file.

    ``T`` lines give spans; ``E`` lines tie them into attributions (the first argument
    is the trigger; ``Cue``, ``Source``, ``Content`` and ``Content2`` roles are read), and
    so do ``R`` lines of type ``Source`` or ``Content`` from a cue (``Arg1``) to its part
    (``Arg2``), as ``annotate export brat`` writes them. With ``lone_cues``, a cue span in
    no relation is an attribution of its own. Only ``^T``, ``^E`` and ``^R`` lines are read
    (PolNeAR files hold stray text and notes); offsets are trusted, the text column is not.
    """
    spans: dict[str, Span] = {}
    events: list[tuple[int, str]] = []
    links: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if match := BRAT_T_LINE.match(line):
            parts = [tuple(map(int, p.split())) for p in match.group(3).split(";")]
            spans[match.group(1)] = checked_span(parts, match.group(2), text, f"{where}:{number}")
        elif match := BRAT_E_LINE.match(line):
            events.append((number, match.group(1)))
        elif match := BRAT_R_LINE.match(line):
            links.append((number, *match.groups()))

    def span_of(ref: str, role: str, number: int) -> Span:
        if ref not in spans:
            raise InputError(f"{where}:{number}: {role} refers to unknown span {ref!r}")
        return spans[ref]

    relations, used = [], set()
    for number, arguments in events:
        roles: dict[str, list[Span]] = defaultdict(list)
        for argument in arguments.split()[1:]:
            role, _, ref = argument.partition(":")
            roles[role.rstrip("0123456789")].append(span_of(ref, role, number))
            used.add(ref)
        relations.append(relation_of(roles))
    by_cue: dict[str, dict[str, list[Span]]] = {}
    for number, kind, cue, part in links:
        role = kind.rstrip("0123456789").capitalize()
        if role in ("Source", "Content"):
            roles = by_cue.setdefault(cue, {"Cue": [span_of(cue, "Arg1", number)]})
            roles.setdefault(role, []).append(span_of(part, "Arg2", number))
    relations += [relation_of(roles) for roles in by_cue.values()]
    if lone_cues:
        used |= set(by_cue)
        relations += [
            Relation(Span(span.parts, "Cue"), None, None)
            for ref, span in spans.items() if is_cue_type(span.label) and ref not in used
        ]
    return Standoff(spans, tuple(relations))


def relation_of(roles: Mapping[str, list[Span]]) -> Relation:
    cue, source, content = (role_span(roles, r) for r in ("Cue", "Source", "Content"))
    return Relation(cue, source, content)


def parse_brat(ann: str, text: str, where: str) -> tuple[Relation, ...]:
    """The attribution relations of one brat standoff file (see ``parse_standoff``)."""
    return parse_standoff(ann, text, where).relations


def role_span(roles: Mapping[str, list[Span]], role: str) -> Span | None:
    """All spans filling one role (Content and Content2 are both Content) as one span."""
    parts = [p for span in roles.get(role, ()) for p in span.parts]
    return Span(normalize_parts(parts), role) if parts else None


def read_brat_collection(folder: Path) -> Gold:
    """A brat collection: ``<name>.ann`` beside ``<name>.txt`` (in subfolders too), as
    brat keeps them and ``annotate export brat`` writes them; ids are relative paths."""
    gold = Gold("brat", folder, [])
    for ann in sorted(folder.rglob("*.ann")):
        relative = ann.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        text_path = ann.with_suffix(".txt")
        if not text_path.is_file():
            raise InputError(f"{ann}: no {text_path.name} beside it")
        text = read_text(text_path)
        standoff = parse_standoff(read_text(ann), text, str(ann), lone_cues=True)
        gold.items.append(AttributionText(
            relative.with_suffix("").as_posix(), text, str(text_path), standoff.relations
        ))
    if not gold.items:
        raise InputError(f"{folder}: no .ann files")
    return gold


def read_brat(folder: Path) -> Gold:
    """A brat attribution corpus: ``text/<name>.txt`` and ``attributions/<name>_<who>.ann``
    (PolNeAR's layout), or a plain brat collection (``read_brat_collection``).

    Where several annotators annotated one text, the file of the annotator whose id sorts
    first is the reference, so every text is scored against exactly one human's annotation;
    the other files are kept to measure human agreement.
    """
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() and not ann_dir.is_dir() and any(folder.rglob("*.ann")):
        return read_brat_collection(folder)
    for needed in (text_dir, ann_dir):
        if not needed.is_dir():
            raise InputError(f"{folder}: not a brat attribution corpus (no {needed.name}/ folder)")
    by_text: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted(ann_dir.glob("*.ann")):
        if match := BRAT_ANN_NAME.match(ann.name):
            by_text[match.group("text")].append(ann)
    gold = Gold("brat", folder, [])
    unannotated = shared = 0
    for text_path in sorted(text_dir.glob("*.txt")):
        anns = by_text.get(text_path.stem)
        if not anns:
            unannotated += 1
            continue
        shared += len(anns) > 1
        text = read_text(text_path)
        reference, *others = (parse_brat(read_text(ann), text, str(ann)) for ann in anns)
        gold.items.append(
            AttributionText(text_path.stem, text, str(text_path), reference, tuple(others))
        )
    if not gold.items:
        raise InputError(f"{folder}: no text/*.txt with a matching attributions/*_<who>.ann")
    if shared:
        gold.notes.append(
            f"{shared} of {len(gold.items)} texts have several annotators' files; "
            "the first annotator id is the reference, the others measure human agreement"
        )
    if unannotated:
        gold.notes.append(f"{unannotated} texts have no .ann file and were skipped")
    return gold


ROLES = ("cue", "source", "content")

AttributionSpans = tuple[dict[str, set[Span]], set[Pair]]
"""The spans of each role ("cue", "source", "content") in one text, and its (cue, source)
pairs."""


def relation_spans(relations: Sequence[Relation]) -> AttributionSpans:
    """The spans of each role in brat relations, and their (cue, source) pairs."""
    spans = {
        role: {Span(s.parts) for r in relations if (s := getattr(r, role))} for role in ROLES
    }
    pairs = {(Span(r.cue.parts), Span(r.source.parts)) for r in relations if r.cue and r.source}
    return spans, pairs


def our_attribution_spans(
    annotations: Sequence[Mapping[str, Any]], config: Mapping[str, Any]
) -> AttributionSpans:
    """Our cue spans with their source and content sub-spans, and (cue, source) pairs."""
    brat = config["brat"]
    cues = selected(annotations, [Selector.from_config(brat["cue"], "brat.cue")])
    sources = [sub_span_of(c, brat["source_attribute"]) for c in cues]
    contents = [sub_span_of(c, brat["content_attribute"]) for c in cues]
    cue_spans = [Span.of(c["start"], c["end"]) for c in cues]
    spans = {
        "cue": set(cue_spans),
        "source": {s for s in sources if s},
        "content": {c for c in contents if c},
    }
    return spans, {(c, s) for c, s in zip(cue_spans, sources, strict=True) if s}


def attribution_scores(
    predicted: Mapping[str, AttributionSpans],
    expected: Mapping[str, AttributionSpans],
    measures: tuple[str, ...] = ("any overlap", "partial"),
    label: str = "",
) -> list[ScoreRow]:
    """Rows for each role by the given measures, then the triple row; ``label`` suffixes
    each measure's name."""
    scorers = {"any overlap": any_overlap_score, "partial": partial_overlap_score}
    rows = []
    for role in ROLES:
        ours = {key: spans[role] for key, (spans, _) in predicted.items()}
        gold = {key: spans[role] for key, (spans, _) in expected.items()}
        rows += [ScoreRow(role, m + label, scorers[m](ours, gold)) for m in measures]
    ours_pairs = {key: pairs for key, (_, pairs) in predicted.items()}
    gold_pairs = {key: pairs for key, (_, pairs) in expected.items()}
    triple = pair_overlap_score(ours_pairs, gold_pairs)
    rows.append(ScoreRow("triple", "cue+source" + label, triple))
    return rows


HEAD_STOPS = frozenset({"who", "which", "that", "of", "from", "at", "in", "for", "with", "and"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"})


def head_word(text: str) -> str | None:
    """The head of a gold source phrase: its last word before a comma or a modifier
    ("US Defense Secretary Pete Hegseth, who" -> "hegseth"); None for a pronoun."""
    found = words(text.split(",")[0])
    cut = next((n for n, word in enumerate(found) if word in HEAD_STOPS and n), len(found))
    head = found[cut - 1].removesuffix("'s").removesuffix("’s") if cut else None
    return None if head in PRONOUNS else head


def speaker_name_score(
    items: Sequence[AttributionText], annotations: Annotations, config: Mapping[str, Any]
) -> ScoreRow:
    """Whether our speaker name holds the gold source's head word, for each gold relation
    with a non-pronoun source whose cue one of our cues overlaps. P is the share of our
    aligned cues whose name is right, R the share of gold sources named right."""
    brat = config["brat"]
    name_attribute = brat.get("speaker_name_attribute", "source_name")
    cue_selector = Selector.from_config(brat["cue"], "brat.cue")
    right = aligned = gold_count = 0
    for item in items:
        ours = []
        for cue in selected(annotations.get(item.id, ()), [cue_selector]):
            attributes = cue.get("attributes") or {}
            source = attributes.get(brat["source_attribute"])
            name = attributes.get(name_attribute) or (source or {}).get("text")
            ours.append((Span.of(cue["start"], cue["end"]), set(words(name))))
        for relation in item.relations:
            if not (relation.cue and relation.source):
                continue
            head = head_word(" ".join(item.text[a:b] for a, b in relation.source.parts))
            if head is None:
                continue
            gold_count += 1
            names = [name for span, name in ours if overlap(span, relation.cue) > 0]
            if names:
                aligned += 1
                right += any(head in name for name in names)
    return ScoreRow("speaker name", "gold head word", prf(right, aligned, right, gold_count))


def score_brat(
    items: Sequence[AttributionText], annotations: Annotations, config: Mapping[str, Any]
) -> list[ScoreRow]:
    """Cue, source and content overlap (any and partial), (cue, source) triple F1 and the
    speaker name against the gold source's head word.

    Where texts have other annotators too (PolNeAR's agreement sample), extra any-overlap
    rows score each other annotator against the reference ("humans") and ours against the
    same reference on the same texts ("ours"): the human ceiling beside our score.
    """
    expected = {item.id: relation_spans(item.relations) for item in items}
    predicted = {
        item.id: our_attribution_spans(annotations.get(item.id, ()), config) for item in items
    }
    rows = attribution_scores(predicted, expected)
    rows.append(speaker_name_score(items, annotations, config))
    sample = [item for item in items if item.other_annotators]
    if sample:
        humans = {
            f"{item.id}#{n}": relation_spans(relations)
            for item in sample
            for n, relations in enumerate(item.other_annotators)
        }
        references = {key: expected[key.partition("#")[0]] for key in humans}
        rows += attribution_scores(humans, references, ("any overlap",), ", humans")
        ours = {item.id: predicted[item.id] for item in sample}
        references = {item.id: expected[item.id] for item in sample}
        rows += attribution_scores(ours, references, ("any overlap",), ", ours")
    return rows


class BratFormat(GoldFormat):
    name = "brat"
    layout = "brat text/+attributions/ or *.txt beside *.ann"
    label_map_section = "brat"

    def detect(self, path: Path) -> bool:
        if not path.is_dir():
            return False
        polnear = (path / "attributions").is_dir() and (path / "text").is_dir()
        return polnear or any(path.rglob("*.ann"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_brat(path)

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {"attribution": {config["brat"]["cue"]["annotator"]}}

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        return score_brat(items, annotations, config), {}
