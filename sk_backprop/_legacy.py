"""The module paths of sk_backprop 0.1.0 that moved, for the files it wrote.

Pickles and skops files record the module of each object's class. 0.1.0 kept its
solvers' state classes in ``sk_backprop._solvers`` and ``sk_backprop._minibatch``
and the display in ``sk_backprop._plot``; they now live in ``sk_backprop._core`` and
``sk_backprop.plot``. Each old path is an alias of the new module (registered in
``sys.meta_path`` when the package is imported; the module is imported when a file
asks for it), so ``pickle.load`` and
``skops.io.load`` find the same classes under the old names, and ``STATE_TYPES_0_1_0``
gives those names for the lists of trusted types.
"""

import importlib
import importlib.abc
import importlib.util
import sys

# 0.1.0's module -> the module that holds its classes now
MOVED = {
    "sk_backprop._solvers": "sk_backprop._core.solvers",
    "sk_backprop._minibatch": "sk_backprop._core.minibatch",
    "sk_backprop._plot": "sk_backprop.plot",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds each of 0.1.0's module paths as the module that replaced it, when
    something imports it (a pickle or a skops file of 0.1.0): nothing is imported
    before that, so ``import sk_backprop`` stays cheap."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])  # the same module, not a copy

    def exec_module(self, module):
        pass  # already executed under its own name


def alias_moved_modules():
    """Make each of 0.1.0's module paths import the module that replaced it."""
    if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModules())


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
