"""The command line, ``python -m sk_backprop`` (and the ``sk-backprop`` script).

``_main`` reads the arguments and runs the main job, a user's table or a
prediction; ``_compare`` runs the comparison of models; ``_table`` reads, cleans and
checks a user's table; ``_files`` loads model files trusting exact types and writes
outputs atomically. It uses the public API of sk_backprop, ``sk_backprop._compat``
(for the version-dependent names of scikit-learn) and its own modules.
"""

from ._main import main

__all__ = ["main"]
