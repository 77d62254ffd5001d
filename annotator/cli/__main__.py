"""``python -m annotator.cli``: the ``annotate`` command."""

from .app import cli

if __name__ == "__main__":
    cli(prog_name="annotate")
