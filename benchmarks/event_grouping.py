"""How well `annotate compare` recovers events from texts alone: adjusted Rand index on BASIL.

Reads ../shared/gold/basil-train in place (50 events x 3 outlets, events of 2010-2014;
the `triplet-uuid` is the event). The texts and dates go through the same grouping
as `annotate compare` (annotator.compare.events.group_texts); the true events are
used only to score. The parameters are chosen on the events of 2010-2012 only
(``--tune``: the lead length whose distances best separate the events there, and
the midpoint of that gap as the merge threshold; the week-long window is fixed),
and the ARI is reported on 2010-2012, on 2013-2014 (not used for choosing) and on all.

    python benchmarks/event_grouping.py            # the shipped defaults
    python benchmarks/event_grouping.py --tune     # grid search on 2010-2012, then report
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from annotator.compare.events import (
    LEAD_WORDS,
    MAX_DISTANCE,
    WINDOW_DAYS,
    group_texts,
    lead,
    parse_date,
)

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "basil-train"
TUNE_YEARS = ("2010", "2011", "2012")


def basil_articles(gold: Path) -> list[dict]:
    """Each article as title + body text, its date, year and true event."""
    articles = []
    for path in sorted((gold / "articles").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(sentences) for sentences in data["body-paragraphs"]]
        articles.append({
            "text": "\n\n".join([data.get("title") or "", *paragraphs]),
            "date": parse_date(data.get("date")),
            "year": path.parent.name,
            "event": data["triplet-uuid"],
        })
    return articles


def ari(articles: list[dict], window: int, lead_words: int, max_distance: float) -> float:
    labels = group_texts((a["text"] for a in articles), [a["date"] for a in articles],
                         window=window, max_distance=max_distance, lead_words=lead_words)
    return adjusted_rand_score([a["event"] for a in articles], labels)


def separation(articles: list[dict], lead_words: int, window: int) -> tuple[float, float]:
    """The widest mean distance inside an event and the narrowest between two events whose
    dates are within ``window`` days, for texts cut to their first ``lead_words`` words."""
    texts = [lead(a["text"], lead_words) for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    distance = 1.0 - (matrix @ matrix.T).toarray()
    members: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        members[article["event"]].append(i)
    day = {e: statistics.fmean(articles[i]["date"].toordinal() for i in m)
           for e, m in members.items()}
    inside = max(statistics.fmean(distance[i, j] for i in m for j in m if i < j)
                 for m in members.values())
    between = min(statistics.fmean(distance[i, j] for i in members[a] for j in members[b])
                  for a, b in combinations(sorted(members), 2) if abs(day[a] - day[b]) <= window)
    return inside, between


def tune_parameters(articles: list[dict], window: int) -> tuple[int, float]:
    """The lead length that separates the events best, and the midpoint of that gap."""
    best = None
    for words in (50, 100, 150, 200, 300, 400, 600, 100_000):
        inside, between = separation(articles, words, window)
        print(f"  lead {words:>6} words: widest inside an event {inside:.3f}, narrowest "
              f"between events {between:.3f}, gap {between - inside:.3f}")
        if best is None or between - inside > best[0]:
            best = (between - inside, words, round((inside + between) / 2, 2))
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--tune", action="store_true", help="grid-search on 2010-2012 first")
    args = parser.parse_args()
    if not (args.gold / "articles").is_dir():
        sys.exit(f"{args.gold}: BASIL gold not found")
    articles = basil_articles(args.gold)
    tune = [a for a in articles if a["year"] in TUNE_YEARS]
    held = [a for a in articles if a["year"] not in TUNE_YEARS]
    window, lead_words, max_distance = WINDOW_DAYS, LEAD_WORDS, MAX_DISTANCE
    if args.tune:
        lead_words, max_distance = tune_parameters(tune, window)
    print(f"window {window} days, lead {lead_words} words, max_distance {max_distance}")
    for name, part in (("2010-2012 (tuning)", tune), ("2013-2014 (not tuned on)", held),
                       ("all 2010-2014", articles)):
        events = len({a["event"] for a in part})
        print(f"{name:26} {len(part):3} articles, {events:2} events: "
              f"ARI {ari(part, window, lead_words, max_distance):.3f}")


if __name__ == "__main__":
    main()
