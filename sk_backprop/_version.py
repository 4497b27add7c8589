"""The version of sk_backprop: the one place it is written (pyproject.toml reads it)."""

__version__ = "0.1.0"

# Where the documentation of this version lives: the HTML representation of an
# estimator links to its page there (``_classifier``), as scikit-learn's do.
DOCUMENTATION = "https://sk-backprop.readthedocs.io/en/stable/"
