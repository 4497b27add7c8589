"""Every public docstring is valid numpydoc (scikit-learn's conventions)."""

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

PUBLIC = {
    "sk_backprop.SigmoidPerceptronClassifier": [
        "fit",
        "partial_fit",
        "predict",
        "predict_proba",
        "predict_log_proba",
        "decision_function",
    ],
    "sk_backprop.LossCurveDisplay": ["plot", "from_estimator"],
    "sk_backprop.dask.DaskSigmoidPerceptronClassifier": [
        "fit",
        "partial_fit",
        "predict",
        "predict_proba",
        "predict_log_proba",
        "decision_function",
        "score",
        "to_local",
    ],
}
# As scikit-learn: an extended summary and See Also are optional, and a Returns line
# may name its value ("self : object"). Methods may leave examples to their class.
IGNORED = {"ES01", "SA01", "RT02", "GL01", "GL02"}
IGNORED_FOR_METHODS = IGNORED | {"EX01"}

FUNCTIONS = ["sk_backprop.skops_trusted_types"]

NAMES = [(name, IGNORED) for name in [*PUBLIC, *FUNCTIONS]] + [
    (f"{cls}.{method}", IGNORED_FOR_METHODS)
    for cls, methods in PUBLIC.items()
    for method in methods
]


@pytest.mark.parametrize("name, ignored", NAMES, ids=[name for name, _ in NAMES])
def test_public_docstring_is_valid_numpydoc(name, ignored):
    errors = [
        f"{code}: {message}"
        for code, message in numpydoc_validate.validate(name)["errors"]
        if code not in ignored
    ]
    assert not errors, "\n".join(errors)
