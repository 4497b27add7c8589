"""The main job: ``python -m sk_backprop``.

Reproduces the seed notebook, then on data sets that ship with scikit-learn (or
a CSV file of the user's) tunes a Pipeline of StandardScaler and
SigmoidPerceptronClassifier with GridSearchCV, scores it by 5-fold
cross-validation around the search (nested, so the score is not the one the
search was tuned on), and prints it beside LogisticRegression and MLPClassifier.
"""

import argparse
import csv
from collections import Counter
import sys
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import SigmoidPerceptronClassifier, __version__

DATASETS = {"breast_cancer": load_breast_cancer, "wine": load_wine, "digits": load_digits}
GRID = {
    "sigmoidperceptronclassifier__hidden_layer_sizes": [(), (16,)],
    "sigmoidperceptronclassifier__alpha": [1e-4, 1e-2, 1.0],
}
SEED_X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
SEED_Y = [0, 1, 1, 0]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m sk_backprop",
        description=(
            "Reproduce the backpropagation seed notebook, then tune "
            "SigmoidPerceptronClassifier in a Pipeline with GridSearchCV and compare "
            "its nested 5-fold cross-validated accuracy with LogisticRegression and "
            "MLPClassifier."
        ),
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=sorted(DATASETS),
        default=list(DATASETS),
        help="bundled scikit-learn data sets to run on (default: all three)",
    )
    parser.add_argument("--csv", metavar="PATH", help="a CSV file with a header row to run on instead")
    parser.add_argument("--target", metavar="COLUMN", help="the CSV column holding the class labels")
    parser.add_argument("--folds", type=int, default=5, help="outer cross-validation folds (default: 5)")
    parser.add_argument("--random-state", type=int, default=0, help="seed of folds and weights (default: 0)")
    parser.add_argument("--version", action="version", version=f"sk_backprop {__version__}")
    arguments = parser.parse_args(argv)
    if (arguments.csv is None) != (arguments.target is None):
        parser.error("--csv and --target go together")
    if arguments.folds < 2:
        parser.error("--folds must be at least 2")
    return arguments


def load_csv(path, target):
    """Features as floats and labels as strings from a CSV file with a header row."""
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    if not rows:
        raise ValueError(f"{path} is empty")
    header, body = rows[0], [row for row in rows[1:] if row]
    if target not in header:
        raise ValueError(f"column {target!r} is not in {path}; its columns are {header}")
    column = header.index(target)
    labels = np.array([row[column] for row in body])
    try:
        features = np.array(
            [[float(value) for i, value in enumerate(row) if i != column] for row in body]
        )
    except ValueError as error:
        raise ValueError(f"{path}: every column but {target!r} must be numeric ({error})") from None
    return features, labels


def seed_report():
    clf = SigmoidPerceptronClassifier(
        loss="squared_error",
        solver="gd",
        learning_rate=4.0,
        max_iter=10_000,
        tol=None,
        alpha=0.0,
        fit_intercept=False,
        random_state=0,
    ).fit(SEED_X, SEED_Y)
    prediction = clf.predict_proba([[1, 0, 0]])[0, 1]
    return (
        "The seed notebook, reproduced: squared error, no intercept, full-batch gradient\n"
        "descent with a fixed step (learning_rate=4.0 is the notebook's summed step of 1),\n"
        f"10,000 epochs.\nPredicted output for [1, 0, 0]: {prediction:.8f} "
        "(the notebook printed 0.99993703)\n"
    )


def models(random_state):
    ours = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=random_state))
    inner = StratifiedKFold(3, shuffle=True, random_state=random_state)
    return {
        "SigmoidPerceptronClassifier (tuned)": GridSearchCV(ours, GRID, cv=inner),
        "LogisticRegression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "MLPClassifier": make_pipeline(
            StandardScaler(), MLPClassifier(max_iter=1000, random_state=random_state)
        ),
    }


def compare(name, X, y, folds, random_state):
    """Rows of (data set, model, mean accuracy, its std, mean fit seconds, chosen params)."""
    outer = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    rows = []
    for model_name, model in models(random_state).items():
        result = cross_validate(model, X, y, cv=outer, return_estimator=True)
        chosen = ""
        if isinstance(model, GridSearchCV):
            chosen = _most_chosen([search.best_params_ for search in result["estimator"]])
        scores = result["test_score"]
        rows.append((name, model_name, scores.mean(), scores.std(), result["fit_time"].mean(), chosen))
    return rows


def _most_chosen(best_params):
    labels = [
        f"hidden={p['sigmoidperceptronclassifier__hidden_layer_sizes']}, "
        f"alpha={p['sigmoidperceptronclassifier__alpha']:g}"
        for p in best_params
    ]
    most, count = Counter(labels).most_common(1)[0]  # ties: the first fold's choice
    return f"{most} ({count}/{len(labels)} folds)"


def format_table(rows, folds):
    lines = [
        f"| data set | model | accuracy ({folds}-fold CV) | fit time per fold (s) "
        "| chosen by the search |",
        "|---|---|---|---|---|",
    ]
    for data, model, mean, std, seconds, chosen in rows:
        lines.append(f"| {data} | {model} | {mean:.4f} ± {std:.4f} | {seconds:.3f} | {chosen} |")
    return "\n".join(lines)


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    print(seed_report())
    if arguments.csv:
        try:
            data = {arguments.csv: load_csv(arguments.csv, arguments.target)}
        except (OSError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    else:
        data = {name: DATASETS[name](return_X_y=True) for name in arguments.datasets}
    print(
        "Each model is a Pipeline of StandardScaler and the classifier. Ours is tuned by\n"
        f"GridSearchCV (3-fold) over {GRID} inside each outer fold;\n"
        "its fit time is the whole search (6 candidates x 3 folds, then the refit).\n"
    )
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, (X, y) in data.items():
            rows += compare(name, X, y, arguments.folds, arguments.random_state)
    print(format_table(rows, arguments.folds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
