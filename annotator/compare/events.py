"""Which articles tell the same event: given, overridden, or grouped from their texts.

An article's event is, in order of precedence: the one an ``--events`` file gives
its id, its own ``event`` field, else a group found automatically. Automatic
grouping compares the texts by TF-IDF cosine similarity (scikit-learn) within a
date window and joins them by average-linkage clustering; see ``group_texts``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError

if TYPE_CHECKING:  # scikit-learn and scipy load when texts are grouped, not before
    from scipy.sparse import csr_matrix

WINDOW_DAYS = 7  # articles of one event appear within a week of each other
# Chosen on BASIL's events of 2010-2012 (benchmarks/event_grouping.py --tune): the lead
# length that best separates events, and the midpoint of that separation.
LEAD_WORDS = 100  # the title and lede name the event; later paragraphs wander
MAX_DISTANCE = 0.86  # mean cosine distance (1 - similarity) up to which groups merge
UNDATED_BLOCK = 512  # rows per block when comparing undated articles with all others
SLUG = re.compile(r"[^a-z0-9]+")
TOKEN = re.compile(r"\S+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str | None) -> date | None:
    """The calendar date at the start of an ISO date or timestamp, else None."""
    match = DATE.match(value or "")
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group())
    except ValueError:
        return None


def slug(value: str, limit: int = 48) -> str:
    return SLUG.sub("-", value.lower()).strip("-")[:limit].strip("-")


def read_event_file(path: Path) -> dict[str, str]:
    """An ``--events`` file: a JSON object mapping article id to event id."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the events file ({error})") from error
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()
    ):
        raise ConfigError(f"{path}: the events file must be a JSON object of article id to "
                          "event id (non-empty strings)")
    return data


def _window_pairs(matrix: csr_matrix, days: Sequence[int | None], window: int,
                  floor: float) -> dict[tuple[int, int], float]:
    """Similarity of the pairs (i < j) within ``window`` days whose similarity is >= ``floor``.

    Undated articles are compared with every article. One block of rows is
    compared at a time, so memory grows with the articles of a few days.
    """
    found: dict[tuple[int, int], float] = {}

    def keep(block: np.ndarray, partners: np.ndarray) -> None:
        scores = (matrix[block] @ matrix[partners].T).toarray()
        for a, b in zip(*np.nonzero(scores >= floor), strict=True):
            i, j = int(block[a]), int(partners[b])
            if i != j:
                found[(min(i, j), max(i, j))] = float(scores[a, b])

    dated = sorted((d, i) for i, d in enumerate(days) if d is not None)
    order = np.array([i for _, i in dated], dtype=np.int64)
    ordinals = [d for d, _ in dated]
    start = 0
    while start < len(dated):
        end = bisect_right(ordinals, ordinals[start])
        keep(order[start:end], order[start : bisect_right(ordinals, ordinals[start] + window)])
        start = end
    undated = np.array([i for i, d in enumerate(days) if d is None], dtype=np.int64)
    for first in range(0, len(undated), UNDATED_BLOCK):
        keep(undated[first : first + UNDATED_BLOCK], np.arange(len(days), dtype=np.int64))
    return found


def lead(text: str, words: int = LEAD_WORDS) -> str:
    """The first ``words`` words of ``text`` (the title and lede in a news article)."""
    return " ".join(match.group() for match in islice(TOKEN.finditer(text), words))


def group_texts(texts: Iterable[str], dates: Sequence[date | None], window: int = WINDOW_DAYS,
                max_distance: float = MAX_DISTANCE, lead_words: int = LEAD_WORDS) -> list[int]:
    """A group number per text: texts of one event share it.

    The first ``lead_words`` words of each text become TF-IDF vectors (English stop
    words out, sublinear term counts). Two texts can join only when their dates are
    at most ``window`` days apart (an undated text may join any). Pairs close enough
    to ever merge form connected components; within each, average-linkage
    agglomerative clustering on cosine distance merges groups while their mean
    distance stays under ``max_distance`` (pairs outside the window count as
    distance 1). ``texts`` is consumed once.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1,
                                 dtype=np.float32)
    matrix = vectorizer.fit_transform(lead(text, lead_words) for text in texts).tocsr()
    count = matrix.shape[0]
    days = [d.toordinal() if d is not None else None for d in dates]
    similarity = _window_pairs(matrix, days, window, 1.0 - max_distance)
    rows = [i for i, _ in similarity]
    cols = [j for _, j in similarity]
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))
    components, component_of = connected_components(graph, directed=False)
    labels = [-1] * count
    next_label = 0
    for component in range(components):
        members = [int(i) for i in np.flatnonzero(component_of == component)]
        if len(members) == 1:
            clusters = [0]
        else:
            distance = np.ones((len(members), len(members)))
            np.fill_diagonal(distance, 0.0)
            for a, i in enumerate(members):
                for b in range(a + 1, len(members)):
                    score = similarity.get((i, members[b]), 0.0)
                    distance[a, b] = distance[b, a] = max(0.0, 1.0 - score)
            clusters = AgglomerativeClustering(
                n_clusters=None, metric="precomputed", linkage="average",
                distance_threshold=max_distance,
            ).fit(distance).labels_.tolist()
        renumber: dict[int, int] = {}
        for i, cluster in zip(members, clusters, strict=True):
            if cluster not in renumber:
                renumber[cluster] = next_label
                next_label += 1
            labels[i] = renumber[cluster]
    return labels
