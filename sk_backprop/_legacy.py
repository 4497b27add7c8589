"""The module paths of sk_backprop 0.1.0 that moved, for the files it wrote.

Pickles and skops files record the module of each object's class. 0.1.0 kept its
solvers' state classes in ``sk_backprop._solvers`` and ``sk_backprop._minibatch``
and the display in ``sk_backprop._plot``; they now live in ``sk_backprop._core`` and
``sk_backprop.plot``. Each old path is an alias of the new module (registered in
``sys.modules`` when the package is imported), so ``pickle.load`` and
``skops.io.load`` find the same classes under the old names, and ``STATE_TYPES_0_1_0``
gives those names for the lists of trusted types.
"""

import importlib
import sys

# 0.1.0's module -> the module that holds its classes now
MOVED = {
    "sk_backprop._solvers": "sk_backprop._core.solvers",
    "sk_backprop._minibatch": "sk_backprop._core.minibatch",
    "sk_backprop._plot": "sk_backprop.plot",
}


def alias_moved_modules():
    """Make each of 0.1.0's module paths import the module that replaced it."""
    for old, new in MOVED.items():
        sys.modules.setdefault(old, importlib.import_module(new))


# The classes of the solver state 0.1.0 kept in a fitted estimator's ``_solver``
# (now ``_solver_state``, plain values: ``_state.FittedStateMixin.__setstate__``
# converts), by their names in its files.
STATE_TYPES_0_1_0 = (
    "sk_backprop._solvers.GradientDescent",
    "sk_backprop._solvers.LBFGS",
    "sk_backprop._solvers.NewtonCholesky",
    "sk_backprop._minibatch.MomentumSGD",
    "sk_backprop._minibatch.Adam",
)
