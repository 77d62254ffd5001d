"""`annotate compare`: how outlets told the same events, and an outlet profile across events.

Modules, by concern: ``events`` (which articles tell one event), ``article`` (a record
prepared for comparison; outlet names and word counts are in the core's ``outlets`` and
``article_counts``, which exports share),
``text`` (words and spans), ``entity`` (people merged across one event's
outlets), ``metrics`` (the outlet × metric table of one event), ``alignment``
(the same claims and quotes across outlets), ``labeling`` (titles and labels given
to people), ``story`` (one event's comparison), ``profile`` (means over events with
bootstrap intervals), ``corpus`` (the two passes over a corpus), ``output``
(comparison.json, streamed and validated), ``report`` (the HTML pages) and ``run``
(the command, folder to files).
"""

from .corpus import compare_records
from .output import comparison_problems
from .report import render_event, render_index, render_report
from .story import compare_event

__all__ = ["compare_event", "compare_records", "comparison_problems", "render_event",
           "render_index", "render_report"]
