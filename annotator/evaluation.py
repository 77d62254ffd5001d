"""Scoring annotators against human-annotated gold corpora (`annotate eval`).

Three layers: readers turn a gold folder into items with code-point offsets; pure metric
functions score spans, pairs and labels; the runner annotates the gold texts with our
annotators and maps our output onto the gold labels with ``label_maps.yaml``.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, InputError

FORMATS = ("brat", "ptc", "sentences", "newsmtsc", "vader")
SENTIMENT_CLASSES = ("neg", "neu", "pos")

# ---------------------------------------------------------------------------------------------
# Spans


@dataclass(frozen=True)
class Span:
    """A labelled span made of one or more disjoint ``(start, end)`` parts (end exclusive)."""

    parts: tuple[tuple[int, int], ...]
    label: str = ""

    @classmethod
    def of(cls, start: int, end: int, label: str = "") -> Span:
        return cls(((start, end),), label)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def __len__(self) -> int:
        return sum(end - start for start, end in self.parts)


def normalize_parts(parts: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort parts and join those that overlap or touch; drop empty ones."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(p for p in parts if p[1] > p[0]):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return tuple(joined)


def overlap(a: Span, b: Span) -> int:
    """Number of code points the two spans share."""
    return sum(
        max(0, min(a_end, b_end) - max(a_start, b_start))
        for a_start, a_end in a.parts
        for b_start, b_end in b.parts
    )


def merge_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Merge spans of the same label that share at least one code point (SemEval-2020 Task 11)."""
    merged: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s.label, s.parts)):
        touching = [m for m in merged if m.label == span.label and overlap(m, span)]
        if touching:
            merged = [m for m in merged if m not in touching]
            parts = [p for m in touching for p in m.parts] + list(span.parts)
            span = Span(normalize_parts(parts), span.label)
        merged.append(span)
    return merged


# ---------------------------------------------------------------------------------------------
# Metrics


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1, with the two denominators they were computed over."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int


def prf(precision_sum: float, predicted: int, recall_sum: float, gold: int) -> Score:
    """P = precision_sum / predicted, R = recall_sum / gold, F1 their harmonic mean.

    Follows the SemEval-2020 Task 11 scorer: an empty denominator gives 0, and F1 is 1
    when there is nothing to predict and nothing was predicted.
    """
    precision = precision_sum / predicted if predicted else 0.0
    recall = recall_sum / gold if gold else 0.0
    if not predicted and not gold:
        f1 = 1.0
    elif precision and recall:
        f1 = 2 * precision * recall / (precision + recall)
    else:
        f1 = 0.0
    return Score(precision, recall, f1, predicted, gold)


def partial_overlap_score(
    predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]
) -> Score:
    """The SemEval-2020 Task 11 partial-overlap measure over documents (keyed by id).

    Overlapping spans of one label are first merged in both sets (the official scorer merges
    the gold spans and, with ``-m``, the predicted ones). Then, over same-label pairs,
    P = sum |p & g| / |p| over predictions / #predictions and
    R = sum |p & g| / |g| over gold spans / #gold spans.
    """
    precision_sum = recall_sum = 0.0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = merge_overlapping(predicted.get(doc_id, ()))
        theirs = merge_overlapping(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        for p in ours:
            for g in theirs:
                if p.label == g.label:
                    shared = overlap(p, g)
                    precision_sum += shared / len(p)
                    recall_sum += shared / len(g)
    return prf(precision_sum, predicted_count, recall_sum, gold_count)


def any_overlap_score(
    predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]
) -> Score:
    """P = share of predictions overlapping a same-label gold span; R = share of gold spans
    overlapped by a same-label prediction. Identical spans count once."""
    hit_predictions = hit_gold = 0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = set(predicted.get(doc_id, ()))
        theirs = set(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        hit_predictions += sum(
            any(p.label == g.label and overlap(p, g) for g in theirs) for p in ours
        )
        hit_gold += sum(any(p.label == g.label and overlap(p, g) for p in ours) for g in theirs)
    return prf(hit_predictions, predicted_count, hit_gold, gold_count)


Pair = tuple[Span, Span]


def pair_overlap_score(
    predicted: Mapping[str, Iterable[Pair]], gold: Mapping[str, Iterable[Pair]]
) -> Score:
    """Any-overlap P/R/F1 for (cue, source) pairs: a predicted pair matches a gold relation
    when its cue overlaps the relation's cue and its source overlaps the relation's source."""

    def matches(a: Pair, b: Pair) -> bool:
        return overlap(a[0], b[0]) > 0 and overlap(a[1], b[1]) > 0

    hit_predictions = hit_gold = 0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = set(predicted.get(doc_id, ()))
        theirs = set(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        hit_predictions += sum(any(matches(p, g) for g in theirs) for p in ours)
        hit_gold += sum(any(matches(p, g) for p in ours) for g in theirs)
    return prf(hit_predictions, predicted_count, hit_gold, gold_count)


def positive_class_score(gold: Sequence[bool], predicted: Sequence[bool]) -> Score:
    """P/R/F1 of the positive class for parallel lists of gold and predicted labels."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    true_positives = sum(g and p for g, p in zip(gold, predicted, strict=True))
    return prf(true_positives, sum(predicted), true_positives, sum(gold))


def class_scores(
    gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, Score]:
    """One-vs-rest P/R/F1 for each class."""
    return {
        name: positive_class_score([g == name for g in gold], [p == name for p in predicted])
        for name in classes
    }


def macro_f1(scores: Mapping[str, Score]) -> float:
    """Unweighted mean of the per-class F1 scores."""
    return sum(s.f1 for s in scores.values()) / len(scores)


def accuracy(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r (statistics.correlation)."""
    return statistics.correlation(xs, ys)


# ---------------------------------------------------------------------------------------------
# Gold items


@dataclass(frozen=True)
class Relation:
    """One PolNeAR attribution: its cue, source and content spans (each may be missing)."""

    cue: Span | None
    source: Span | None
    content: Span | None


@dataclass(frozen=True)
class GoldItem:
    """One gold text: its id, its text and the file it was read from."""

    id: str
    text: str
    path: str


@dataclass(frozen=True)
class AttributionText(GoldItem):
    """One brat text: the reference annotator's relations, and any other annotators'."""

    relations: tuple[Relation, ...]
    other_annotators: tuple[tuple[Relation, ...], ...] = ()


@dataclass(frozen=True)
class SpanText(GoldItem):
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class LabelledSentence(GoldItem):
    positive: bool


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    mention: str
    polarity: str


@dataclass(frozen=True)
class TargetSentence(GoldItem):
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class RatedSnippet(GoldItem):
    rating: float


@dataclass
class Gold:
    """The items read from one gold folder, and what the reader had to say about it."""

    format: str
    path: Path
    items: list[GoldItem]
    notes: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8") from None


def checked_span(parts: Sequence[tuple[int, int]], label: str, text: str, where: str) -> Span:
    for start, end in parts:
        if not 0 <= start < end <= len(text):
            raise InputError(f"{where}: offsets {start}-{end} outside the text ({len(text)})")
    return Span(normalize_parts(parts), label)


BRAT_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
BRAT_E_LINE = re.compile(r"^E\d+\t(.*)$")
BRAT_ANN_NAME = re.compile(r"^(?P<text>.+)_(?P<annotator>[^_]+)\.ann$")


def parse_brat(ann: str, text: str, where: str) -> tuple[Relation, ...]:
    """Relations of one brat standoff file: ``T`` lines give spans, ``E`` lines tie them.

    Only ``^T\\d+\\t`` and ``^E\\d+\\t`` lines are read (PolNeAR files hold stray text and
    notes); offsets are trusted, the text column is not. The first ``E`` argument is the
    event trigger; ``Cue``, ``Source``, ``Content`` and ``Content2`` roles are read.
    """
    spans: dict[str, Span] = {}
    events: list[tuple[int, str]] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if match := BRAT_T_LINE.match(line):
            parts = [tuple(map(int, p.split())) for p in match.group(3).split(";")]
            spans[match.group(1)] = checked_span(parts, match.group(2), text, f"{where}:{number}")
        elif match := BRAT_E_LINE.match(line):
            events.append((number, match.group(1)))
    relations = []
    for number, arguments in events:
        roles: dict[str, list[Span]] = defaultdict(list)
        for argument in arguments.split()[1:]:
            role, _, ref = argument.partition(":")
            if ref not in spans:
                raise InputError(f"{where}:{number}: {role} refers to unknown span {ref!r}")
            roles[role.rstrip("0123456789")].append(spans[ref])
        cue, source, content = (role_span(roles, r) for r in ("Cue", "Source", "Content"))
        relations.append(Relation(cue, source, content))
    return tuple(relations)


def role_span(roles: Mapping[str, list[Span]], role: str) -> Span | None:
    """All spans filling one role (Content and Content2 are both Content) as one span."""
    parts = [p for span in roles.get(role, ()) for p in span.parts]
    return Span(normalize_parts(parts), role) if parts else None


def read_brat(folder: Path) -> Gold:
    """A brat attribution corpus: ``text/<name>.txt`` and ``attributions/<name>_<who>.ann``.

    Where several annotators annotated one text, the file of the annotator whose id sorts
    first is the reference, so every text is scored against exactly one human's annotation;
    the other files are kept to measure human agreement.
    """
    text_dir, ann_dir = folder / "text", folder / "attributions"
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


def read_ptc(folder: Path) -> Gold:
    """PTC span labels: ``labels.tsv`` (or ``*.labels``) rows ``id<TAB>label<TAB>start<TAB>end``
    over ``articles/article<id>.txt``. Every article is scored, with or without spans."""
    article_dir = folder / "articles"
    label_files = sorted(folder.glob("*.tsv")) + sorted(folder.glob("*.labels"))
    if not article_dir.is_dir() or not label_files:
        raise InputError(f"{folder}: not a PTC corpus (needs articles/ and labels.tsv)")
    texts = {
        re.sub(r"^article", "", p.stem): p for p in sorted(article_dir.glob("article*.txt"))
    }
    loaded = {doc_id: read_text(path) for doc_id, path in texts.items()}
    spans: dict[str, list[Span]] = defaultdict(list)
    for label_file in label_files:
        for number, line in enumerate(read_text(label_file).splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{label_file}:{number}"
            fields = line.split("\t")
            if len(fields) != 4 or not fields[2].isdigit() or not fields[3].isdigit():
                raise InputError(f"{where}: expected id<TAB>label<TAB>start<TAB>end")
            doc_id, label, start, end = fields
            if doc_id not in loaded:
                raise InputError(f"{where}: no articles/article{doc_id}.txt")
            parts = [(int(start), int(end))]
            spans[doc_id].append(checked_span(parts, label, loaded[doc_id], where))
    items = [
        SpanText(doc_id, loaded[doc_id], str(texts[doc_id]), tuple(spans.get(doc_id, ())))
        for doc_id in loaded
    ]
    return Gold("ptc", folder, items)


def data_files(path: Path, suffix: str, kind: str) -> list[Path]:
    """The file itself, or the folder's files with this suffix (sorted)."""
    found = [path] if path.is_file() else sorted(path.glob(f"*{suffix}"))
    if not found:
        raise InputError(f"{path}: no {suffix} file for {kind}")
    return found


def read_sentences(path: Path) -> Gold:
    """Sentence labels: CSV files with a header ``text,label`` (label 1 = positive)."""
    gold = Gold("sentences", path, [])
    empty = 0
    for csv_path in data_files(path, ".csv", "sentence labels"):
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"text", "label"} <= set(reader.fieldnames or ()):
                raise InputError(f"{csv_path}: expected a CSV header with text,label")
            for row in reader:
                where = f"{csv_path}:{reader.line_num}"
                if row["label"] not in ("0", "1"):
                    raise InputError(f"{where}: label must be 0 or 1, not {row['label']!r}")
                if not row["text"].strip():
                    empty += 1
                    continue
                gold.items.append(
                    LabelledSentence(where, row["text"], str(csv_path), row["label"] == "1")
                )
    if empty:
        gold.notes.append(f"{empty} empty sentences skipped")
    return gold


def read_newsmtsc(path: Path, polarity: Mapping[float, str]) -> Gold:
    """NewsMTSC JSONL: ``sentence_normalized`` and ``targets[{from, to, mention, polarity}]``."""
    gold = Gold("newsmtsc", path, [])
    for jsonl in data_files(path, ".jsonl", "NewsMTSC"):
        for number, line in enumerate(read_text(jsonl).splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{jsonl}:{number}"
            try:
                record = json.loads(line)
                text = record["sentence_normalized"]
                targets = tuple(
                    Target(t["from"], t["to"], t["mention"], polarity[float(t["polarity"])])
                    for t in record["targets"]
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise InputError(f"{where}: not a NewsMTSC record ({error})") from None
            for target in targets:
                if not 0 <= target.start < target.end <= len(text):
                    raise InputError(f"{where}: target offsets outside the sentence")
            gold.items.append(TargetSentence(where, text, str(jsonl), targets))
    return gold


VADER_LINE = re.compile(r"^([^\t]+)\t(-?\d+(?:\.\d+)?)\t(.+)$")


def read_vader(path: Path) -> Gold:
    """VADER ground truth: ``id<TAB>mean rating<TAB>text`` lines in ``*.txt`` files."""
    gold = Gold("vader", path, [])
    for txt in data_files(path, ".txt", "VADER ratings"):
        for number, line in enumerate(read_text(txt).splitlines(), start=1):
            if not line.strip():
                continue
            match = VADER_LINE.match(line)
            if not match:
                raise InputError(f"{txt}:{number}: expected id<TAB>score<TAB>text")
            gold.items.append(
                RatedSnippet(match.group(1), match.group(3), str(txt), float(match.group(2)))
            )
    return gold


def detect_format(path: Path) -> str:
    """Guess the gold format from the folder's layout (or a file's suffix)."""
    if path.is_file():
        by_suffix = {".csv": "sentences", ".jsonl": "newsmtsc", ".txt": "vader"}
        if path.suffix in by_suffix:
            return by_suffix[path.suffix]
        raise InputError(f"{path}: cannot tell the gold format from the suffix; use --format")
    if not path.is_dir():
        raise InputError(f"{path}: no such file or folder")
    if (path / "attributions").is_dir() and (path / "text").is_dir():
        return "brat"
    if (path / "articles").is_dir():
        return "ptc"
    if any(path.glob("*.csv")):
        return "sentences"
    if any(path.glob("*.jsonl")):
        return "newsmtsc"
    if any(path.glob("*.txt")):
        return "vader"
    raise InputError(
        f"{path}: not a gold folder I know (brat text/+attributions/, PTC articles/+labels.tsv, "
        "*.csv, *.jsonl or VADER *.txt)"
    )


def read_gold(path: Path, fmt: str | None = None, limit: int | None = None) -> Gold:
    """Read a gold folder in the given (or detected) format, keeping the first ``limit`` items."""
    fmt = fmt or detect_format(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    readers: dict[str, Callable[[Path], Gold]] = {
        "brat": read_brat,
        "ptc": read_ptc,
        "sentences": read_sentences,
        "newsmtsc": lambda p: read_newsmtsc(p, newsmtsc_polarity(load_label_maps())),
        "vader": read_vader,
    }
    if fmt not in readers:
        raise ConfigError(f"unknown gold format {fmt!r} (known: {', '.join(FORMATS)})")
    gold = readers[fmt](path)
    if limit is not None and len(gold.items) > limit:
        gold.notes.append(f"--limit {limit}: scored the first {limit} of {len(gold.items)} items")
        gold.items = gold.items[:limit]
    return gold


# ---------------------------------------------------------------------------------------------
# Label maps


@dataclass(frozen=True)
class Selector:
    """Picks our annotations by annotator name, label and accepted attribute values."""

    annotator: str
    label: str
    where: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any, context: str) -> Selector:
        if not isinstance(config, dict) or not {"annotator", "label"} <= set(config):
            raise ConfigError(f"label map {context}: a selector needs annotator and label")
        where = {key: tuple(values) for key, values in (config.get("where") or {}).items()}
        return cls(str(config["annotator"]), str(config["label"]), where)

    def matches(self, annotation: Mapping[str, Any]) -> bool:
        if annotation["annotator"] != self.annotator or annotation["label"] != self.label:
            return False
        attributes = annotation.get("attributes") or {}
        return all(attributes.get(key) in values for key, values in self.where.items())


def load_label_maps(path: Path | None = None) -> dict[str, Any]:
    """The label mapping config: ``path`` or the packaged ``label_maps.yaml``."""
    source = path or files("annotator").joinpath("label_maps.yaml")
    try:
        config = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"label map {source}: {error}") from None
    if not isinstance(config, dict) or not all(k in config for k in FORMATS if k != "vader"):
        raise ConfigError(f"label map {source}: needs sections brat, ptc, sentences, newsmtsc")
    return config


def newsmtsc_polarity(config: Mapping[str, Any]) -> dict[float, str]:
    return {float(k): str(v) for k, v in config["newsmtsc"]["polarity"].items()}


def selected(
    annotations: Iterable[Mapping[str, Any]], selectors: Sequence[Selector]
) -> list[Mapping[str, Any]]:
    """The annotations any of the selectors picks."""
    return [a for a in annotations if any(s.matches(a) for s in selectors)]


def sub_span_of(annotation: Mapping[str, Any], attribute: str) -> Span | None:
    value = (annotation.get("attributes") or {}).get(attribute)
    if isinstance(value, dict) and value.get("end", 0) > value.get("start", 0):
        return Span.of(value["start"], value["end"])
    return None


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True)
class ScoreRow:
    task: str
    measure: str
    score: Score


@dataclass
class Report:
    """Everything one `annotate eval` run measured."""

    format: str
    gold_path: str
    items: int
    rows: list[ScoreRow] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    annotators: list[dict[str, Any]] = field(default_factory=list)
    pipeline: str | None = None

    def as_dict(self) -> dict[str, Any]:
        scores: dict[str, dict[str, Any]] = defaultdict(dict)
        for row in self.rows:
            s = row.score
            scores[row.task][row.measure] = {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "predicted": s.predicted,
                "gold": s.gold,
            }
        return {
            "format": self.format,
            "gold": self.gold_path,
            "items": self.items,
            "scores": dict(scores),
            "values": {k: round(v, 4) for k, v in self.values.items()},
            "notes": self.notes,
            "annotators": self.annotators,
            "pipeline": self.pipeline,
        }

    def table(self) -> str:
        """Aligned plain-text table: one row per score, then single values and notes."""
        lines = [f"{self.format} gold: {self.gold_path} ({self.items} items)"]
        if self.annotators:
            names = ", ".join(f"{a['name']} {a['version']}" for a in self.annotators)
            lines.append(f"annotators: {names}; pipeline: {self.pipeline}")
        if self.rows:
            header = ("task", "measure", "P", "R", "F1", "pred", "gold")
            cells = [
                (
                    r.task,
                    r.measure,
                    f"{r.score.precision:.3f}",
                    f"{r.score.recall:.3f}",
                    f"{r.score.f1:.3f}",
                    str(r.score.predicted),
                    str(r.score.gold),
                )
                for r in self.rows
            ]
            widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]
            for row in [header, *cells]:
                left = [row[i].ljust(widths[i]) for i in (0, 1)]
                right = [row[i].rjust(widths[i]) for i in range(2, len(row))]
                lines.append("  ".join(left + right).rstrip())
        if self.values:
            width = max(len(name) for name in self.values)
            lines += [f"{name.ljust(width)}  {value:.3f}" for name, value in self.values.items()]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Scoring our output against each format

Annotations = Mapping[str, Sequence[Mapping[str, Any]]]
"""Our annotation dicts (as written to JSON) keyed by gold item id."""


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


def score_brat(
    items: Sequence[AttributionText], annotations: Annotations, config: Mapping[str, Any]
) -> list[ScoreRow]:
    """Cue, source and content overlap (any and partial) and (cue, source) triple F1.

    Where texts have other annotators too (PolNeAR's agreement sample), extra any-overlap
    rows score each other annotator against the reference ("humans") and ours against the
    same reference on the same texts ("ours"): the human ceiling beside our score.
    """
    expected = {item.id: relation_spans(item.relations) for item in items}
    predicted = {
        item.id: our_attribution_spans(annotations.get(item.id, ()), config) for item in items
    }
    rows = attribution_scores(predicted, expected)
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


@dataclass(frozen=True)
class SpanTask:
    """A PTC task: gold labels merged into one class, our selectors, an optional breakdown."""

    gold_labels: frozenset[str]
    selectors: tuple[Selector, ...]
    breakdown: str | None


def ptc_tasks(config: Mapping[str, Any]) -> dict[str, SpanTask]:
    """The PTC tasks of the label map, by name."""
    tasks = {}
    for name, task in config["ptc"]["tasks"].items():
        selectors = tuple(Selector.from_config(s, f"ptc.{name}") for s in task["ours"])
        tasks[name] = SpanTask(frozenset(task["gold"]), selectors, task.get("breakdown"))
    return tasks


def score_ptc(
    items: Sequence[SpanText], annotations: Annotations, tasks: Mapping[str, SpanTask]
) -> list[ScoreRow]:
    """Per task: SemEval partial overlap and any overlap, gold labels merged into one class;
    with a breakdown, any-overlap rows per category of ours (P is its hit rate)."""
    rows = []
    for name, task in tasks.items():
        gold_labels, selectors, breakdown = task.gold_labels, task.selectors, task.breakdown
        expected = {
            item.id: [Span(s.parts) for s in item.spans if s.label in gold_labels]
            for item in items
        }
        picked = {item.id: selected(annotations.get(item.id, ()), selectors) for item in items}
        predicted = {
            doc_id: [Span.of(a["start"], a["end"]) for a in found]
            for doc_id, found in picked.items()
        }
        rows.append(ScoreRow(name, "partial", partial_overlap_score(predicted, expected)))
        rows.append(ScoreRow(name, "any overlap", any_overlap_score(predicted, expected)))
        if breakdown:
            categories = sorted(
                {category_of(a, breakdown) for found in picked.values() for a in found}
            )
            for category in categories:
                of_category = {
                    doc_id: [
                        Span.of(a["start"], a["end"])
                        for a in found
                        if category_of(a, breakdown) == category
                    ]
                    for doc_id, found in picked.items()
                }
                score = any_overlap_score(of_category, expected)
                rows.append(ScoreRow(f"{name}[{category}]", "any overlap", score))
    return rows


def category_of(annotation: Mapping[str, Any], attribute: str) -> str:
    value = (annotation.get("attributes") or {}).get(attribute)
    return str(value) if value is not None else annotation["label"]


def score_sentences(
    items: Sequence[LabelledSentence], annotations: Annotations, config: Mapping[str, Any]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """Positive-class P/R/F1: a sentence is predicted positive when a selected annotation of
    ours falls in it."""
    selectors = [
        Selector.from_config(s, "sentences.positive") for s in config["sentences"]["positive"]
    ]
    gold = [item.positive for item in items]
    predicted = [bool(selected(annotations.get(item.id, ()), selectors)) for item in items]
    rows = [ScoreRow("positive", "sentence", positive_class_score(gold, predicted))]
    return rows, {"accuracy": accuracy(gold, predicted)}


def polarity_of(score: float, config: Mapping[str, Any]) -> str:
    """neg / neu / pos from a compound-like score with the configured thresholds."""
    if score >= config["newsmtsc"]["positive_from"]:
        return "pos"
    if score <= config["newsmtsc"]["negative_to"]:
        return "neg"
    return "neu"


def score_targets(
    gold: Sequence[str], predicted: Sequence[str]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """Per-class rows and macro-F1 over neg/neu/pos (plus accuracy)."""
    per_class = class_scores(gold, predicted, SENTIMENT_CLASSES)
    rows = [ScoreRow(name, "target", score) for name, score in per_class.items()]
    return rows, {"macro_f1": macro_f1(per_class), "accuracy": accuracy(gold, predicted)}


# ---------------------------------------------------------------------------------------------
# Running our annotators over gold texts

Progress = Callable[[int], None]


def stock_compound(texts: Iterable[str]) -> list[float]:
    """Stock VADER compound scores (vaderSentiment, unmodified lexicon)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in texts]


def needed_annotators(fmt: str, config: Mapping[str, Any]) -> dict[str, set[str]]:
    """For each scored task of a format, the names of the annotators it needs."""
    if fmt == "brat":
        return {"attribution": {config["brat"]["cue"]["annotator"]}}
    if fmt == "ptc":
        return {
            name: {s.annotator for s in task.selectors}
            for name, task in ptc_tasks(config).items()
        }
    if fmt == "sentences":
        return {"positive": {s["annotator"] for s in config["sentences"]["positive"]}}
    if fmt == "newsmtsc":
        return {"target": {config["newsmtsc"]["annotator"]}}
    return {}


def annotate_gold(
    items: Sequence[Any], annotators: list[Any], nlp: Any, progress: Progress, batch_size: int
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Our annotations per gold item id (one ``nlp.pipe`` pass), and annotator failures."""
    from .article import Article
    from .pipeline import annotate_articles

    articles = [Article(id=item.id, text=item.text, source_path=item.path) for item in items]
    annotations: dict[str, list[dict[str, Any]]] = {}
    failures: list[str] = []
    for record in annotate_articles(articles, nlp, annotators, batch_size=batch_size):
        annotations[record["article"]["id"]] = record["annotations"]
        failures += [
            f"{record['article']['source_path']}: {e['annotator']} failed: {e['message']}"
            for e in record["errors"]
        ]
        progress(1)
    return annotations, failures


def evaluate(
    gold: Gold,
    model: str | None = None,
    config: Mapping[str, Any] | None = None,
    plugin_files: Sequence[str | Path] = (),
    progress: Progress = lambda _: None,
) -> Report:
    """Run the annotators a gold format needs over its texts and score them.

    Only those annotators are instantiated (installed plugins plus ``plugin_files``); tasks
    whose annotators are missing are skipped with a note. ``progress`` is called with the
    number of gold items done since the last call.
    """
    from .pipeline import load_nlp, pipeline_name
    from .plugins import annotator_classes, load_annotators, plugin_manager

    config = config or load_label_maps()
    report = Report(gold.format, str(gold.path), len(gold.items), notes=list(gold.notes))
    if gold.format == "vader":
        scores = stock_compound(item.text for item in gold.items)
        progress(len(gold.items))
        report.values["pearson_r"] = pearson(scores, [item.rating for item in gold.items])
        report.notes.append("stock VADER compound per snippet vs the raters' mean")
        return report

    manager = plugin_manager(plugin_files)
    installed = set(annotator_classes(manager))
    tasks = needed_annotators(gold.format, config)
    for task, names in tasks.items():
        if missing := names - installed:
            report.notes.append(f"{task}: skipped, annotator(s) {', '.join(sorted(missing))} "
                                "not installed")
    names = sorted(set().union(*tasks.values()) & installed)
    annotators = load_annotators(manager, only=names) if names else []
    report.annotators = [{"name": a.name, "version": a.version} for a in annotators]

    if gold.format == "newsmtsc":
        return newsmtsc_report(gold, report, annotators, model, config, progress)
    if not annotators:
        return report
    nlp = load_nlp(model)
    report.pipeline = pipeline_name(nlp)
    batch_size = 64 if gold.format == "sentences" else 16
    annotations, failures = annotate_gold(gold.items, annotators, nlp, progress, batch_size)
    if failures:
        report.notes.append(f"{len(failures)} annotator failure(s), first: {failures[0]}")
    if gold.format == "brat":
        report.rows = score_brat(gold.items, annotations, config)
    elif gold.format == "ptc":
        runnable = {
            name: task for name, task in ptc_tasks(config).items() if not tasks[name] - installed
        }
        report.rows = score_ptc(gold.items, annotations, runnable)
    else:
        report.rows, report.values = score_sentences(gold.items, annotations, config)
    return report


def newsmtsc_report(
    gold: Gold,
    report: Report,
    annotators: list[Any],
    model: str | None,
    config: Mapping[str, Any],
    progress: Progress,
) -> Report:
    """Target polarity from the sentiment annotator's ``target_score``, or the stock VADER
    compound of the whole sentence when the annotator lacks that method. That baseline's
    macro-F1 is reported beside ours either way."""
    from .pipeline import load_nlp, pipeline_name

    method = config["newsmtsc"]["method"]
    scorer = next((getattr(a, method) for a in annotators if hasattr(a, method)), None)
    gold_labels = [t.polarity for item in gold.items for t in item.targets]
    compounds = stock_compound(item.text for item in gold.items)
    baseline = [c for item, c in zip(gold.items, compounds, strict=True) for _ in item.targets]
    if scorer is None:
        report.notes.append(
            f"no annotator has {method}(); scored the baseline: stock VADER compound of the "
            "whole sentence"
        )
        scores = baseline
        progress(len(gold.items))
    else:
        nlp = load_nlp(model)
        report.pipeline = pipeline_name(nlp)
        scores = []
        pairs = ((item.text, item) for item in gold.items)
        for doc, item in nlp.pipe(pairs, as_tuples=True, batch_size=64):
            scores += [scorer(doc, t.start, t.end) for t in item.targets]
            progress(1)
    predicted = [polarity_of(score, config) for score in scores]
    report.rows, report.values = score_targets(gold_labels, predicted)
    stock = [polarity_of(score, config) for score in baseline]
    stock_scores = class_scores(gold_labels, stock, SENTIMENT_CLASSES)
    report.values["baseline_macro_f1"] = macro_f1(stock_scores)
    return report
