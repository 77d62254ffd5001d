"""The plugin contract: two markers and one hook."""

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
    change the output: annotations are sorted by offset. An exception raised
    here names the plugin and stops the run before any article is read.
    """
