"""The package's layers, read from its imports (docs/architecture.md, "The rules").

compat <- core <- estimator <- {dask, plot, onnx} <- cli: a module imports only from its own
layer or the layers below it, never upwards and never in a circle; only compat
imports private scikit-learn names; the command line uses the public API, compat
and its own modules.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sk_backprop"
# Each layer may import the layers listed for it (and itself).
ALLOWED = {
    "compat": set(),
    "core": {"compat"},
    "estimator": {"compat", "core"},
    "dask": {"compat", "core", "estimator"},
    "plot": {"compat", "estimator"},
    "onnx": {"compat", "estimator"},
    "cli": {"compat", "public", "onnx"},
    "public": {"estimator", "plot", "compat"},
}


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module):
    """The layer of a module ``sk_backprop.x.y`` of the package."""
    parts = module.split(".")
    if module == "sk_backprop":
        return "public"
    top = parts[1]
    if top in ("_core", "dask", "cli"):
        return top.strip("_")
    if top in ("_compat", "_version"):
        return "compat"
    if top in ("plot", "onnx"):
        return top
    if top == "__main__":
        return "cli"
    return "estimator"


def imports(path):
    """``(imported module, imported names)`` of every import in ``path``, absolute."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append((base, tuple(alias.name for alias in node.names)))
    return module, found


MODULES = sorted(PACKAGE.rglob("*.py"))


def own_imports(path):
    """The sk_backprop modules ``path`` imports (a name of a package that is a
    module of ours counts as that module)."""
    module, found = imports(path)
    targets = set()
    for base, names in found:
        if not base.startswith("sk_backprop"):
            continue
        submodules = [f"{base}.{name}" for name in names]
        named = [
            m
            for m in submodules
            if (PACKAGE.parent / (m.replace(".", "/") + ".py")).exists()
            or (PACKAGE.parent / m.replace(".", "/")).is_dir()
        ]
        targets.update(named or [base])
    return module, targets - {module}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_layer_and_those_below(path):
    module, targets = own_imports(path)
    if module == "sk_backprop._legacy":  # aliases old module paths to the new ones
        return
    allowed = ALLOWED[layer(module)] | {layer(module)}
    upwards = {target for target in targets if layer(target) not in allowed}
    assert not upwards, f"{module} ({layer(module)}) imports {upwards}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_compat_imports_private_scikit_learn_names(path):
    module, found = imports(path)
    if layer(module) == "compat":
        return
    private = [
        (base, names)
        for base, names in found
        if base.startswith("sklearn")
        and (
            any(part.startswith("_") for part in base.split("."))
            or any(name.startswith("_") for name in names)
        )
    ]
    assert not private, f"{module} imports private scikit-learn names {private}"


def test_no_module_imports_itself_through_a_circle():
    graph = dict(own_imports(path) for path in MODULES)
    graph = {m: {t for t in targets if t in graph} for m, targets in graph.items()}
    state = {}

    def visit(node, trail):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", " -> ".join(trail + [node])
        state[node] = "open"
        for target in sorted(graph[node]):
            visit(target, trail + [node])
        state[node] = "done"

    for module in sorted(graph):
        visit(module, [])


def test_the_command_line_uses_the_public_api_and_its_own_modules():
    for path in (PACKAGE / "cli").glob("*.py"):
        _, targets = own_imports(path)
        outside = {
            t for t in targets if not t.startswith(("sk_backprop.cli", "sk_backprop._compat"))
        }
        assert outside <= {"sk_backprop", "sk_backprop.onnx"}, (path.name, outside)
