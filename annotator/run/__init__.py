"""The run loop of ``annotate run``: output folder, workers, incremental skip, summary."""
