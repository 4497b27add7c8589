"""sk_backprop: sigmoid neural networks trained by backpropagation, for scikit-learn."""

from ._classifier import SigmoidPerceptronClassifier

__version__ = "0.1.0"
__all__ = ["SigmoidPerceptronClassifier", "__version__"]
