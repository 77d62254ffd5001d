"""One exception hierarchy; the CLI turns each into one line and an exit code."""


class AnnotatorError(Exception):
    """Base class for every error the tool reports to the user."""


class ConfigError(AnnotatorError):
    """Bad settings, options or configuration: nothing was annotated."""


class PluginError(AnnotatorError):
    """A plugin failed to load or register."""


class InputError(AnnotatorError):
    """One input file or line cannot be read as an article."""


class ModelError(AnnotatorError):
    """The requested spaCy pipeline cannot be loaded or lacks what an annotator needs."""
