"""Built-in annotators, installed as ``annotator_plugins`` and loaded by entry point."""
