"""`annotate compare`: how outlets told the same events, and an outlet profile across events.

Modules, by concern: ``article`` (a record prepared for comparison), ``text``
(words and spans), ``entity`` (people merged across outlets), ``metrics`` (the
outlet × metric table of one event), ``alignment`` (the same claims and quotes
across outlets), ``labeling`` (titles and labels given to people), ``story``
(one event's comparison) and ``report`` (the HTML pages).
"""

from .report import render_report
from .story import compare_event, comparison_problems

__all__ = ["compare_event", "comparison_problems", "render_report"]
