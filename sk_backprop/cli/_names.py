"""The compared models' names, and ``--models``' short ones, checked without
importing the model zoo (``--predict`` and argument errors stay fast)."""

OURS = "SigmoidPerceptronClassifier (tuned)"
BASELINE = "majority class (DummyClassifier)"
MODEL_NAMES = (OURS, "LogisticRegression", "MLPClassifier", BASELINE)
SHORT_NAMES = dict(zip(("ours", "logistic", "mlp", "majority"), MODEL_NAMES))


def model_names(text):
    """The full names of a comma-separated list of short names, in the table's
    order; a ValueError names the list when a name is unknown or none is given."""
    asked = [name.strip() for name in text.split(",") if name.strip()]
    if not asked or any(name not in SHORT_NAMES for name in asked):
        raise ValueError(
            f"--models takes a comma-separated list of {', '.join(SHORT_NAMES)}; got {text!r}"
        )
    return tuple(full for short, full in SHORT_NAMES.items() if short in asked)
