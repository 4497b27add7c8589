"""The fitted state of an estimator: published in one step, pickled with a version.

A fit computes every fitted attribute into a dict and hands it to ``publish``,
which replaces the old fitted attributes in one assignment of ``__dict__``: an
exception before it leaves the estimator as it was, and after it no attribute of
an earlier fit survives. Fitted attributes are named with a trailing underscore,
plus the private ones listed in ``PRIVATE_FITTED``.
"""

import warnings

from sklearn.exceptions import InconsistentVersionWarning

from ._core.minibatch import Adam, MomentumSGD
from ._core.solvers import LBFGS, GradientDescent, NewtonCholesky
from ._version import __version__

# Fitted state that is not named with a trailing underscore.
PRIVATE_FITTED = ("_label_binarizer", "_solver", "_fit_intercept")


# The classes of the solver state a fitted estimator keeps in ``_solver``.
SOLVER_STATE_TYPES = (LBFGS, NewtonCholesky, GradientDescent, MomentumSGD, Adam)


def is_fitted_name(name):
    return (name.endswith("_") and not name.startswith("__")) or name in PRIVATE_FITTED


class FittedStateMixin:
    """``publish`` and ``fitted_state``; pickles record the sk_backprop version and
    warn (InconsistentVersionWarning) when loaded by another one."""

    def _fitted_state(self):
        return {k: v for k, v in vars(self).items() if is_fitted_name(k)}

    def _publish(self, attributes):
        """Replace every fitted attribute by ``attributes`` (None: absent) in one assignment."""
        state = {k: v for k, v in vars(self).items() if not is_fitted_name(k)}
        state.update((k, v) for k, v in attributes.items() if v is not None)
        self.__dict__ = state

    def __getstate__(self):
        state = super().__getstate__()
        if any(is_fitted_name(name) for name in state):
            state["_sk_backprop_version"] = __version__
        return state

    def __setstate__(self, state):
        pickled = state.pop("_sk_backprop_version", __version__)
        if pickled != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=f"{type(self).__name__} of sk_backprop",
                    current_sklearn_version=__version__,
                    original_sklearn_version=pickled,
                ),
                stacklevel=1,
            )
        super().__setstate__(state)
