"""The ONNX parity table of docs/deploying.md: onnxruntime against ``predict_proba``.

For each configuration (target kind x hidden layers, intercepts or not) and each
input precision, the largest absolute difference between onnxruntime's
probabilities and ours, and whether every label equals ``predict``'s; the
gallery's data sets; extreme inputs (|x| up to 1e30). Run:
``python benchmarks/onnx_parity.py`` (needs the onnx extra).
"""

import warnings

import numpy as np
import onnxruntime as ort
import skl2onnx
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sk_backprop.onnx  # noqa: F401 - registers the converter
from sk_backprop import SigmoidPerceptronClassifier


def parity(model, X, dtype):
    X = X.astype(dtype)
    onx = skl2onnx.to_onnx(model, X[:1], options={id(model): {"zipmap": False}})
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    labels, proba = session.run(None, {session.get_inputs()[0].name: X})
    same = bool(np.all(labels == model.predict(X)))
    return float(np.abs(proba - model.predict_proba(X)).max()), same


def targets(kind, X, y):
    return {
        "binary": (y == 1).astype(int),
        "multiclass": y,
        "strings": np.array(["a", "b", "c"])[y],
        "multilabel": np.column_stack([y == 0, y == 1, X[:, 0] > 5.8]).astype(int),
    }[kind]


def fitted(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def main():
    X, y = load_iris(return_X_y=True)
    rows = []
    for kind in ("binary", "multiclass", "strings", "multilabel"):
        for hidden in ((), (6,), (5, 4)):
            for intercept in (True, False):
                clf = SigmoidPerceptronClassifier(
                    hidden_layer_sizes=hidden, fit_intercept=intercept, random_state=0
                )
                model = fitted(make_pipeline(StandardScaler(), clf), X, targets(kind, X, y))
                label = f"iris {kind}, hidden={hidden}{'' if intercept else ', no intercepts'}"
                rows.append((label, *(parity(model, X, t) for t in (np.float32, np.float64))))
    for load in (load_iris, load_wine, load_breast_cancer, load_digits):
        Xg, yg = load(return_X_y=True)
        model = fitted(
            make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=0)), Xg, yg
        )
        label = f"{load.__name__[5:]} (default estimator)"
        rows.append((label, *(parity(model, Xg, t) for t in (np.float32, np.float64))))
    extreme = np.random.default_rng(0).choice([-1e30, -1e10, 0.0, 1e10, 1e30], size=(40, 4))
    for kind in ("binary", "multiclass", "multilabel"):
        clf = fitted(SigmoidPerceptronClassifier(random_state=0), StandardScaler().fit_transform(X),
                     targets(kind, X, y))  # fmt: skip
        label = f"|x| up to 1e30, {kind}"
        rows.append((label, *(parity(clf, extreme, t) for t in (np.float32, np.float64))))
    print("| configuration | float32: largest difference | float64: largest difference |")
    print("|---|---|---|")
    for label, (d32, same32), (d64, same64) in rows:
        flags = "" if same32 and same64 else " (labels differ)"
        print(f"| {label}{flags} | {d32:.1e} | {d64:.1e} |")


if __name__ == "__main__":
    main()
