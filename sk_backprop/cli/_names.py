"""The compared models' names, and ``--models``' short ones, checked without
importing the model zoo (``--predict`` and argument errors stay fast); the metrics
of ``--metric``."""

OURS = "SigmoidPerceptronClassifier (tuned)"
DEFAULT = "SigmoidPerceptronClassifier (defaults)"
BASELINE = "majority class (DummyClassifier)"
MODEL_NAMES = (OURS, DEFAULT, "LogisticRegression", "MLPClassifier", BASELINE)
SHORT_NAMES = dict(zip(("ours", "default", "logistic", "mlp", "majority"), MODEL_NAMES))
# --metric: the name in the table, and whether larger is better
METRICS = {
    "accuracy": ("accuracy", True),
    "balanced_accuracy": ("balanced accuracy", True),
    "log_loss": ("log loss", False),
}
# With --metric auto: balanced accuracy when the largest class has this many times
# the rows of the smallest, or more (accuracy otherwise)
IMBALANCE = 1.5


def model_names(text):
    """The full names of a comma-separated list of short names, in the table's
    order; a ValueError names the list when a name is unknown or none is given."""
    asked = [name.strip() for name in text.split(",") if name.strip()]
    if not asked or any(name not in SHORT_NAMES for name in asked):
        raise ValueError(
            f"--models takes a comma-separated list of {', '.join(SHORT_NAMES)}; got {text!r}"
        )
    return tuple(full for short, full in SHORT_NAMES.items() if short in asked)
