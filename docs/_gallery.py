"""Run by sphinx-gallery before each example (``reset_modules`` in conf.py)."""

import warnings


def warnings_are_errors(gallery_conf, fname):
    """A warning a reader would not expect fails the build instead of being printed
    on the page (with the build machine's paths in it): an unconverged fit, a
    numerical warning, a deprecation in the example's own code."""
    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings("error", category=ConvergenceWarning)
    warnings.filterwarnings("error", category=RuntimeWarning)
    warnings.filterwarnings("error", category=FutureWarning, module="sklearn|sk_backprop")
    warnings.filterwarnings("error", category=UserWarning, module="sklearn|sk_backprop")
