"""The main job: ``python -m sk_backprop``.

Without data it reproduces the seed notebook, then on data sets that ship with
scikit-learn tunes a Pipeline of preprocessing and SigmoidPerceptronClassifier
with GridSearchCV, scores it by 5-fold cross-validation around the search
(nested, so the score is not the one the search was tuned on), and prints it
beside LogisticRegression and MLPClassifier, each behind the same preprocessing.
With ``--csv`` it does the same on the user's table (CSV or Parquet, read with
pandas) after a summary of it; ``--save`` keeps the tuned pipeline (skops) and
``--model ... --predict`` answers new rows with one.
"""

import argparse
import sys
import warnings
from collections import Counter

from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_info, threadpool_limits

from . import SigmoidPerceptronClassifier, __version__
from ._table import TableError, preprocessor, read_features, read_table, summary

DATASETS = {"breast_cancer": load_breast_cancer, "wine": load_wine, "digits": load_digits}
GRID = {
    "sigmoidperceptronclassifier__hidden_layer_sizes": [(), (16,)],
    "sigmoidperceptronclassifier__alpha": [1e-4, 1e-2, 1.0],
}
SEED_X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
SEED_Y = [0, 1, 1, 0]
# Saved models are skops files: loading one runs no code of the file's, only
# constructors of the types it names, and we trust exactly the types a pipeline of
# this command line is made of. (A joblib/pickle file can run anything on load.)
TRUSTED_PREFIXES = ("sklearn.", "sk_backprop.")
TRUSTED_TYPES = {"numpy.dtype"}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m sk_backprop",
        description=(
            "Tune SigmoidPerceptronClassifier in a Pipeline with GridSearchCV and compare "
            "its nested cross-validated accuracy with LogisticRegression and "
            "MLPClassifier, on scikit-learn's bundled data (after reproducing the "
            "backpropagation seed notebook) or on your table."
        ),
    )
    parser.add_argument(
        "--datasets", nargs="+", choices=sorted(DATASETS), default=list(DATASETS),
        help="bundled scikit-learn data sets to run on (default: all three)",
    )
    parser.add_argument(
        "--csv", "--table", dest="table", metavar="PATH",
        help="a table to run on instead: CSV with a header row, or Parquet (.parquet); "
        "needs pandas (the 'cli' extra)",
    )
    parser.add_argument("--target", metavar="COLUMN", help="the table's column of class labels")
    parser.add_argument("--folds", type=int, default=5, help="outer cross-validation folds (default: 5)")
    parser.add_argument("--random-state", type=int, default=0, help="seed of folds and weights (default: 0)")
    parser.add_argument(
        "--threads", type=int, metavar="N",
        help="BLAS threads of every model in the table (default: all the machine has)",
    )
    parser.add_argument("--seed", action="store_true", help="also print the seed report with --csv")
    parser.add_argument("--save", metavar="PATH", help="fit the tuned pipeline on the whole table "
                        "and save it to PATH (a skops file)")
    parser.add_argument("--model", metavar="PATH", help="a pipeline saved by --save, for --predict")
    parser.add_argument("--predict", metavar="PATH", help="a table of rows to predict with --model")
    parser.add_argument("--output", metavar="PATH", help="write --predict's answers here, not to stdout")
    parser.add_argument("--version", action="version", version=f"sk_backprop {__version__}")
    arguments = parser.parse_args(argv)
    if (arguments.model is None) != (arguments.predict is None):
        parser.error("--model and --predict go together")
    if arguments.output and not arguments.predict:
        parser.error("--output is where --predict writes; give --model and --predict")
    if arguments.model is None and (arguments.table is None) != (arguments.target is None):
        parser.error("--csv and --target go together")
    if arguments.save and not arguments.table:
        parser.error("--save needs a table (--csv PATH --target COLUMN)")
    if arguments.folds < 2:
        parser.error("--folds must be at least 2")
    if arguments.threads is not None and arguments.threads < 1:
        parser.error("--threads must be at least 1")
    return arguments


def seed_report():
    clf = SigmoidPerceptronClassifier(
        loss="squared_error", solver="gd", learning_rate=4.0, max_iter=10_000, tol=None,
        alpha=0.0, fit_intercept=False, random_state=0,
    ).fit(SEED_X, SEED_Y)
    prediction = clf.predict_proba([[1, 0, 0]])[0, 1]
    return (
        "The seed notebook, reproduced: squared error, no intercept, full-batch gradient\n"
        "descent with a fixed step (learning_rate=4.0 is the notebook's summed step of 1),\n"
        f"10,000 epochs.\nPredicted output for [1, 0, 0]: {prediction:.8f} "
        "(the notebook printed 0.99993703)\n"
    )


def tuned(kinds, random_state):
    """Our pipeline in the GridSearchCV of the table."""
    ours = make_pipeline(preprocessor(kinds), SigmoidPerceptronClassifier(random_state=random_state))
    inner = StratifiedKFold(3, shuffle=True, random_state=random_state)
    return GridSearchCV(ours, GRID, cv=inner, error_score="raise")


def models(kinds, random_state):
    return {
        "SigmoidPerceptronClassifier (tuned)": tuned(kinds, random_state),
        "LogisticRegression": make_pipeline(preprocessor(kinds), LogisticRegression(max_iter=1000)),
        "MLPClassifier": make_pipeline(
            preprocessor(kinds), MLPClassifier(max_iter=1000, random_state=random_state)
        ),
    }


def compare(name, X, y, kinds, folds, random_state):
    """Rows of (data set, model, mean accuracy, its std, mean fit seconds, chosen params)."""
    outer = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    rows = []
    for model_name, model in models(kinds, random_state).items():
        result = cross_validate(model, X, y, cv=outer, return_estimator=True, error_score="raise")
        chosen = ""
        if isinstance(model, GridSearchCV):
            chosen = _most_chosen([search.best_params_ for search in result["estimator"]])
        scores = result["test_score"]
        rows.append((name, model_name, scores.mean(), scores.std(), result["fit_time"].mean(), chosen))
    return rows


def _params_label(params):
    return (
        f"hidden={params['sigmoidperceptronclassifier__hidden_layer_sizes']}, "
        f"alpha={params['sigmoidperceptronclassifier__alpha']:g}"
    )


def _most_chosen(best_params):
    labels = [_params_label(params) for params in best_params]
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


def blas_threads(requested):
    """The BLAS threads the models run with: ``requested``, or all there are."""
    if requested is not None:
        return requested
    return max((pool["num_threads"] for pool in threadpool_info()), default=1)


def load_model(path):
    """A pipeline saved by ``--save``; refuses files naming other types."""
    skops_io = _skops_io()
    try:
        untrusted = skops_io.get_untrusted_types(file=path)
    except FileNotFoundError:
        raise TableError(f"{path}: no such file") from None
    except Exception as error:  # a file skops cannot read: zip or schema errors
        raise TableError(f"{path} is not a model saved by --save ({error})") from None
    unexpected = [
        name for name in untrusted
        if not (name.startswith(TRUSTED_PREFIXES) or name in TRUSTED_TYPES)
    ]
    if unexpected:
        raise TableError(
            f"{path} holds types this command line does not save, so it will not load "
            f"them: {unexpected}. Load it yourself with skops.io.load if you trust it."
        )
    return skops_io.load(path, trusted=untrusted)


def _skops_io():
    try:
        import skops.io
    except ImportError:
        raise TableError(
            'saving and loading models needs skops: from a clone of sk_backprop, pip install ".[cli]"'
        ) from None
    return skops.io


def predict(arguments):
    model = load_model(arguments.model)
    X = read_features(arguments.predict, model.feature_names_in_)
    answers = X.iloc[:, :0].copy()
    answers["prediction"] = model.predict(X)
    for label, column in zip(model.classes_, model.predict_proba(X).T):
        answers[f"proba_{label}"] = column
    answers.to_csv(arguments.output or sys.stdout, index=False, float_format="%.6g")
    if arguments.output:
        print(f"Wrote {len(answers)} predictions to {arguments.output}")


def load_data(arguments):
    """{name: (X, y, kinds)}, and the summary lines of a table."""
    if arguments.table:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the summary says what was dropped
            table = read_table(arguments.table, arguments.target)
        return {arguments.table: (table.X, table.y, table.kinds())}, summary(
            table, arguments.table, arguments.target
        )
    data = {}
    for name in arguments.datasets:
        X, y = DATASETS[name](return_X_y=True)
        data[name] = (X, y, {"numeric": list(range(X.shape[1])), "categorical": []})
    return data, []


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        if arguments.model:
            predict(arguments)
            return 0
        data, lines = load_data(arguments)
        skops_io = _skops_io() if arguments.save else None
    except (OSError, TableError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if arguments.seed or not arguments.table:
        print(seed_report())
    print("\n".join(lines + [""]) if lines else "", end="")
    threads = blas_threads(arguments.threads)
    print(
        "Each model is a Pipeline of the same preprocessing (numeric columns: median\n"
        "imputation and StandardScaler; categorical ones: most frequent value and\n"
        "OneHotEncoder) and the classifier. Ours is tuned by GridSearchCV (3-fold) over\n"
        f"{GRID} inside each outer fold;\nits fit time is the whole search "
        f"(6 candidates x 3 folds, then the refit). BLAS threads: {threads}.\n"
    )
    rows = []
    with warnings.catch_warnings(record=True) as caught, threadpool_limits(threads):
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.filterwarnings("ignore", "Found unknown categories", UserWarning)
        for name, (X, y, kinds) in data.items():
            rows += compare(name, X, y, kinds, arguments.folds, arguments.random_state)
        if arguments.save:
            search = tuned(data[arguments.table][2], arguments.random_state)
            search.fit(*data[arguments.table][:2])
    for warning in caught:  # the others are the user's to see
        if not issubclass(warning.category, ConvergenceWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    print(format_table(rows, arguments.folds))
    stopped_short = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    if stopped_short:
        print(f"\n{stopped_short} fits ended with a ConvergenceWarning (max_iter reached).")
    if arguments.save:
        skops_io.dump(search.best_estimator_, arguments.save)
        print(f"\nSaved the pipeline tuned on all {len(data[arguments.table][1])} rows "
              f"({_params_label(search.best_params_)}) to {arguments.save} (skops).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
