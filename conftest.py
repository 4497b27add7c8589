"""pytest's settings for the whole tree (tests/conftest.py has the tests' helpers)."""

import importlib.util

# The docstring example of sk_backprop/dask/_estimator.py starts a LocalCluster; without the dask
# extra (the oldest-versions CI run installs only the test extra) it cannot run, and
# tests/test_dask.py skips for the same reason. sk_backprop/onnx.py needs the onnx extra
# to be imported at all (tests/test_onnx.py skips without it).
collect_ignore = (
    [] if importlib.util.find_spec("distributed") else ["sk_backprop/dask/_estimator.py"]
)
if not importlib.util.find_spec("skl2onnx"):
    collect_ignore.append("sk_backprop/onnx.py")
