"""Trace one in-memory lbfgs fit: which of our functions it passes, and how often
it crosses from one of our modules into another.

    python benchmarks/trace_fit.py

Prints the number of distinct sk_backprop functions called, the modules they live
in, the calls that cross from one sk_backprop module into another (all of them, and
those before the first evaluation of the objective's gradient), and the modules of
the package grouped by layer with their code lines (lines that are neither blank,
comments nor docstrings). The architecture page quotes these figures.
"""

import ast
import sys
from collections import Counter
from pathlib import Path

from sklearn.datasets import make_classification

import sk_backprop
from sk_backprop import SigmoidPerceptronClassifier

PACKAGE = Path(sk_backprop.__file__).parent
# The function whose first call is "the first gradient".
FIRST_GRADIENT = "objective_and_gradient"


def trace_fit(estimator, X, y):
    """``(functions, modules, crossings, crossings before the first gradient, calls)``;
    ``calls`` counts the calls of each function by name."""
    functions, modules = set(), set()
    calls = Counter()
    crossings = Counter()
    before = [None]

    def profile(frame, event, arg):
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        if not module.startswith("sk_backprop"):
            return
        functions.add((module, frame.f_code.co_qualname))
        calls[frame.f_code.co_name] += 1
        modules.add(module)
        caller = frame.f_back
        caller_module = caller.f_globals.get("__name__", "") if caller else ""
        if caller_module.startswith("sk_backprop") and caller_module != module:
            crossings[caller_module, module] += 1
        if frame.f_code.co_name == FIRST_GRADIENT and before[0] is None:
            before[0] = sum(crossings.values())

    sys.setprofile(profile)
    try:
        estimator.fit(X, y)
    finally:
        sys.setprofile(None)
    return functions, modules, crossings, before[0], calls


def code_lines(path):
    """Lines of ``path`` that are code: not blank, not comments, not docstrings."""
    source = path.read_text()
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(source.splitlines(), 1)
        if line.strip() and not line.strip().startswith("#") and number not in docstrings
    )


def layer_of(path):
    """The layer a module of the package belongs to, from its folder."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "estimator (top level)"


def main():
    X, y = make_classification(2_000, 20, n_informative=10, n_classes=3, random_state=0)
    functions, modules, crossings, before, calls = trace_fit(
        SigmoidPerceptronClassifier(random_state=0), X, y
    )
    print(
        f"one lbfgs fit (2,000 x 20, 3 classes): {len(functions)} functions in "
        f"{len(modules)} modules, {sum(crossings.values())} module crossings, "
        f"{before} before the first gradient; the array namespace looked up "
        f"{calls['array_namespace']} times"
    )
    for (caller, callee), count in crossings.most_common(10):
        print(f"  {count:5d}  {caller} -> {callee}")
    layers = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        layers.setdefault(layer_of(path), []).append((code_lines(path), path))
    print("modules per layer (code lines):")
    for layer, members in layers.items():
        total = sum(lines for lines, _ in members)
        print(f"  {layer}: {len(members)} modules, {total} code lines")
    lines, largest = max(entry for members in layers.values() for entry in members)
    print(f"largest module: {largest.relative_to(PACKAGE)} ({lines} code lines)")
    dask_lines = sum(
        lines
        for lines, path in (entry for members in layers.values() for entry in members)
        if "dask" in str(path) or "_cluster" in path.name
    )
    print(f"Dask code: {dask_lines} code lines")


if __name__ == "__main__":
    main()
