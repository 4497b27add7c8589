"""pytest's settings for the whole tree (tests/conftest.py has the tests' helpers)."""

import importlib.util

# The docstring example of sk_backprop/dask/_estimator.py starts a LocalCluster; without the dask
# extra (the oldest-versions CI run installs only the test extra) it cannot run, and
# tests/test_dask.py skips for the same reason.
collect_ignore = (
    [] if importlib.util.find_spec("distributed") else ["sk_backprop/dask/_estimator.py"]
)
