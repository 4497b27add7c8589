"""sk_backprop: sigmoid neural networks trained by backpropagation, for scikit-learn."""

import importlib

from . import _legacy
from ._version import __version__

_legacy.alias_moved_modules()

# The public names are imported when first used (PEP 562), so that ``import
# sk_backprop`` and ``python -m sk_backprop --help`` do not wait for scikit-learn.
_PUBLIC = {
    "LossCurveDisplay": ".plot",
    "SigmoidPerceptronClassifier": "._classifier",
    "skops_trusted_types": "._classifier",
}

__all__ = [
    "LossCurveDisplay",
    "SigmoidPerceptronClassifier",
    "__version__",
    "skops_trusted_types",
]


def __getattr__(name):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sk_backprop' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_PUBLIC})
