"""The fitted state of an estimator: published in one step, pickled with a version.

A fit computes every fitted attribute into a dict and hands it to ``publish``,
which replaces the old fitted attributes in one assignment of ``__dict__``: an
exception before it leaves the estimator as it was, and after it no attribute of
an earlier fit survives. Fitted attributes are named with a trailing underscore,
plus the private ones listed in ``PRIVATE_FITTED``.
"""

import warnings

import sklearn
from sklearn.exceptions import InconsistentVersionWarning

from ._version import __version__

# Fitted state that is not named with a trailing underscore. ``_solver_state`` is
# ``Solver.export_state()``: plain values, so that a model file holds no class of ours
# but the estimator's.
PRIVATE_FITTED = ("_label_binarizer", "_solver_state", "_fit_intercept")


def is_fitted_name(name):
    return (name.endswith("_") and not name.startswith("__")) or name in PRIVATE_FITTED


class FittedStateMixin:
    """``publish`` and ``fitted_state``; pickles record the versions of sk_backprop
    and of scikit-learn that fitted the estimator, and warn
    (InconsistentVersionWarning, naming the estimator and both versions) when
    loaded under another one, as scikit-learn's own estimators do."""

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
            state["_sklearn_version"] = sklearn.__version__
        return state

    def __setstate__(self, state):
        name = type(self).__name__
        # (0.1.0 recorded no scikit-learn version: it goes unchecked there.)
        for library, current, pickled in (
            ("sk_backprop", __version__, state.pop("_sk_backprop_version", __version__)),
            ("scikit-learn", sklearn.__version__, state.pop("_sklearn_version", None)),
        ):
            if pickled is not None and pickled != current:
                warnings.warn(
                    InconsistentVersionWarning(
                        estimator_name=f"{name} ({library})",
                        current_sklearn_version=current,
                        original_sklearn_version=pickled,
                    ),
                    stacklevel=1,
                )
        if "_solver" in state:  # 0.1.0 kept its solver object: its state, as plain values
            state["_solver_state"] = state.pop("_solver").export_state()
        super().__setstate__(state)
