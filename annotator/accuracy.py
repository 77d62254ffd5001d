"""How well an annotator is measured to do: `annotate eval --accuracy-out` writes it, compare
shows it beside each metric.

An accuracy file holds the precision (with a 95% Wilson interval over the predicted
spans or sentences), recall and counts of every row one `annotate eval` run scored,
with the gold set, the command that measured them and the annotators' versions.
``METRIC_MEASURES`` says which rows measure what each of compare's profile metrics
counts. The package ships such files, measured on dev splits of the gold training
sets, in the plugins' ``models/accuracy/``; compare reads those unless given its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .schema import load_schema, schema_problems

ACCURACY_VERSION = "1.0.0"
ACCURACY_SCHEMA = "accuracy.json"
Z_95 = 1.959964

# compare's profile metric -> (annotator, eval task, eval measure, caveat) rows that measure
# the spans it counts, best first; the first one found in the accuracy files is shown. Review
# rows (annotator:label, refined by stance) come first, then the gold sets': BASIL's expert
# lexical-bias marks, PolNeAR's cues and sources, Wikipedia's hedged sentences. The caveat
# says what a row stands in for but does not measure (None: it measures the metric itself).
STANCE_UNMEASURED = "measures the cue, not its stance"
METRIC_MEASURES: Mapping[str, tuple[tuple[str, str, str, str | None], ...]] = {
    "loaded_own": (("loaded_terms", "loaded_terms:loaded_term", "any overlap", None),
                   ("loaded_terms", "lexical_bias", "any overlap", None)),
    "loaded_quoted": (("loaded_terms", "loaded_terms:loaded_term", "any overlap", None),
                      ("loaded_terms", "lexical_bias", "any overlap", None)),
    **{f"stance_{stance}": (
        ("attribution", f"attribution:cue/{stance}", "any overlap", None),
        ("attribution", "attribution:cue", "any overlap", STANCE_UNMEASURED),
        ("attribution", "cue", "any overlap", STANCE_UNMEASURED),
    ) for stance in ("neutral", "endorsing", "distancing", "discrediting")},
    "hedges": (("attribution", "attribution:hedge", "any overlap", None),
               ("attribution", "positive", "sentence",
                "measures hedged sentences, not the hedge words marked")),
    "vague_sources": (("attribution", "attribution:vague_source", "any overlap", None),
                      ("attribution", "source", "any overlap",
                       "measures sources of any kind, not their vagueness")),
}


def wilson(proportion: float, n: int) -> tuple[float | None, float | None]:
    """The 95% Wilson score interval of a proportion over ``n`` trials (None when n is 0)."""
    if n == 0:
        return None, None
    centre = proportion + Z_95 ** 2 / (2 * n)
    spread = Z_95 * math.sqrt(proportion * (1 - proportion) / n + Z_95 ** 2 / (4 * n * n))
    scale = 1 + Z_95 ** 2 / n
    low, high = (centre - spread) / scale, (centre + spread) / scale
    return round(max(0.0, low), 4), round(min(1.0, high), 4)


def accuracy_document(report: Mapping[str, Any], command: str) -> dict[str, Any]:
    """The accuracy file of one `annotate eval` report (its ``as_dict``) and the command."""
    measures = []
    for task, by_measure in report["scores"].items():
        for measure, score in by_measure.items():
            low, high = wilson(score["precision"], score["predicted"])
            measures.append({"task": task, "measure": measure, "precision": score["precision"],
                             "low": low, "high": high, "recall": score["recall"],
                             "predicted": score["predicted"], "gold": score["gold"]})
    return {"accuracy_version": ACCURACY_VERSION, "format": report["format"],
            "gold": Path(report["gold"]).name, "items": report["items"], "command": command,
            "notes": report["notes"], "annotators": report["annotators"],
            "pipeline": report["pipeline"], "measures": measures}


def read_accuracy(path: Path) -> dict[str, Any]:
    """An accuracy file, checked against its schema; a bad one is one line naming it."""
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such accuracy file") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read the accuracy file ({error})") from None
    if problems := schema_problems(document, load_schema(ACCURACY_SCHEMA)):
        first = problems[0]
        raise ConfigError(f"{path}: not an accuracy file ({first.pointer or '/'}: "
                          f"{first.message})")
    return document


def metric_accuracy(paths: Iterable[Path], versions: Mapping[str, set[str]]
                    ) -> dict[str, dict[str, Any]]:
    """Profile metric -> the measurement shown for it, from the accuracy files at ``paths``.

    ``versions`` (annotator -> the versions that wrote the records) tells whether the
    measurement was made on the version that wrote them (``same_version``).
    """
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in paths:
        document = read_accuracy(path)
        measured = {a["name"]: a["version"] for a in document["annotators"]}
        for row in document["measures"]:
            found.setdefault((row["task"], row["measure"]), {
                **row, "gold_set": document["gold"], "format": document["format"],
                "items": document["items"], "command": document["command"],
                "file": path.name, "measured_versions": measured,
            })
    shown = {}
    for metric, candidates in METRIC_MEASURES.items():
        for annotator, task, measure, caveat in candidates:
            if (row := found.get((task, measure))) is None:
                continue
            version = row["measured_versions"].get(annotator)
            shown[metric] = {
                "annotator": annotator, "annotator_version": version,
                "same_version": versions.get(annotator) == {version}, "caveat": caveat,
                **{k: row[k] for k in ("task", "measure", "precision", "low", "high", "recall",
                                       "predicted", "gold_set", "format", "items", "command",
                                       "file")},
            }
            break
    return shown


def shipped_accuracy_files() -> list[Path]:
    """The accuracy files shipped with the built-in annotators' models."""
    shipped = Path(str(files("annotator_plugins").joinpath("models", "accuracy")))
    return sorted(shipped.glob("*.json"))
