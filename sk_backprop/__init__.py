"""sk_backprop: sigmoid neural networks trained by backpropagation, for scikit-learn."""

from . import _legacy
from ._classifier import SigmoidPerceptronClassifier, skops_trusted_types
from ._version import __version__
from .plot import LossCurveDisplay

_legacy.alias_moved_modules()

__all__ = [
    "LossCurveDisplay",
    "SigmoidPerceptronClassifier",
    "__version__",
    "skops_trusted_types",
]
