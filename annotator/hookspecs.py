"""The plugin contract: two markers and three registration hooks."""

import pluggy

hookspec = pluggy.HookspecMarker("annotator")
hookimpl = pluggy.HookimplMarker("annotator")


@hookspec
def register_annotators(register):
    """Hand the host the annotator classes this plugin provides.

    Called once per run, after every plugin is loaded and before any article
    is read. ``register(cls)`` takes a subclass of :class:`annotator.Annotator`
    (the class, not an instance: the host instantiates it with the settings
    from ``[tool.annotator.<name>]``).

    :param register: callable taking one annotator class; call it once per
        annotator. Registering a ``name`` that is already registered is an
        error, never a silent rename, because names are JSON keys.

    Return value is ignored. The order in which plugins register does not
    change the output: annotations are sorted by offset, and annotators run in
    name order, each after the annotators it ``uses``. An exception raised here
    names the plugin and stops the run before any article is read.
    """


@hookspec
def register_readers(register):
    """Hand the host the input formats this plugin reads.

    Called once per run, before any input is opened. ``register(cls)`` takes a
    subclass of :class:`annotator.Reader`; the host instantiates it with the
    settings from ``[tool.annotator.readers.<name>]``.

    :param register: callable taking one reader class; call it once per
        reader. A ``name`` registered twice, or a file suffix claimed by two
        readers, is an error.

    Return value is ignored. Files are given to the reader of their suffix;
    a file named on the command line whose suffix no reader claims goes to
    the first reader, by name, whose ``sniff`` accepts its first bytes. An
    exception raised here names the plugin and stops the run.
    """


@hookspec
def register_exporters(register):
    """Hand the host the output formats this plugin writes.

    Called once per ``annotate export`` (and by ``annotate plugins`` and
    ``annotate export --help``, which list the formats).
    ``register(cls)`` takes a subclass of :class:`annotator.Exporter`, whose
    ``name`` is the FORMAT argument of ``annotate export``.

    :param register: callable taking one exporter class; call it once per
        exporter. A ``name`` registered twice is an error.

    Return value is ignored. An exception raised here names the plugin and
    stops the command before anything is written.
    """
