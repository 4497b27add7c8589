"""sk_backprop: sigmoid neural networks trained by backpropagation, for scikit-learn."""

from ._classifier import SigmoidPerceptronClassifier
from ._plot import LossCurveDisplay

__version__ = "0.1.0"
__all__ = ["LossCurveDisplay", "SigmoidPerceptronClassifier", "__version__"]
