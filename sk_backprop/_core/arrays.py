"""What the solvers and the monitor do to ``theta``, for an array of any namespace.

``theta`` is a NumPy array, except under array API dispatch where ``gd``, ``sgd``
and ``adam`` keep it on the device of ``X`` (an array of its library). NumPy
arrays take exactly the NumPy calls the solvers always made; other arrays the
array API's.
"""

import numpy as np

from .._compat import array_namespace


def namespace(array):
    """NumPy for a NumPy array, else the array's array API namespace."""
    return np if isinstance(array, np.ndarray) else array_namespace(array)[0]


def copy(array):
    if isinstance(array, np.ndarray):
        return array.copy()
    return namespace(array).asarray(array, copy=True)


def all_finite(array):
    if isinstance(array, np.ndarray):
        return bool(np.isfinite(array).all())
    xp = namespace(array)
    return bool(xp.all(xp.isfinite(array)))


def squared_norm(array):
    """``||array||^2`` as a float (inf past the float range, without a warning)."""
    with np.errstate(over="ignore"):
        if isinstance(array, np.ndarray):
            return float(np.vdot(array, array))
        return float(namespace(array).sum(array * array))


def inner(a, b):
    """``a . b`` as a float (inf or nan past the float range, without a warning)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if isinstance(a, np.ndarray):
            return float(np.vdot(a, b))
        return float(namespace(a).sum(a * b))


def epsilon(array):
    """The machine epsilon of ``array``'s dtype, as a float."""
    return float(namespace(array).finfo(array.dtype).eps)


def largest_abs(array):
    """``max |array_i|`` as a float."""
    xp = namespace(array)
    return float(xp.max(xp.abs(array)))
