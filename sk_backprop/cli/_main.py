"""The main job: ``python -m sk_backprop``.

Without data it reproduces the seed notebook, then on data sets that ship with
scikit-learn tunes a Pipeline of preprocessing and SigmoidPerceptronClassifier
with GridSearchCV, scores it by cross-validation around the search (nested, so
the score is not the one the search was tuned on), and prints it beside
LogisticRegression, MLPClassifier and the majority class, each behind the same
preprocessing. With ``--csv`` it does the same on the user's table (CSV or
Parquet, read with pandas) after a summary of it; ``--save`` keeps the tuned
pipeline (skops) and ``--model ... --predict`` answers new rows with one.

The modules a run needs are imported when it needs them, so that ``--predict``
answers without loading the model zoo.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from .. import __version__
from ._files import atomic_path, check_output, load_model, skops
from ._read import FORMATS, TableError
from ._signals import Stopped, stopping_on_signals

SEED_X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
SEED_Y = [0, 1, 1, 0]
TRUST = (
    "Model files: --save writes a skops file, and --model loads one only if every "
    "object in it is of a type a saved pipeline is made of (the pipeline, its "
    "imputers, scaler and one-hot encoder, SigmoidPerceptronClassifier, and plain "
    "numpy and Python values), named in full; anything else (a function, any other "
    "class, a pickle) is refused before any object is built, since loading it could "
    "run code. No output is written over an input or an existing file unless "
    "--overwrite is given, and outputs are written whole or not at all."
)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m sk_backprop",
        description=(
            "Tune SigmoidPerceptronClassifier in a Pipeline with GridSearchCV and compare "
            "its nested cross-validated accuracy with LogisticRegression, MLPClassifier "
            "and the majority class, on scikit-learn's bundled data (after reproducing "
            "the backpropagation seed notebook) or on your table."
        ),
        epilog=f"Tables: {FORMATS}. {TRUST}",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=["breast_cancer", "wine", "digits"],
        default=["breast_cancer", "wine", "digits"],
        help="bundled scikit-learn data sets to run on (default: all three)",
    )
    parser.add_argument(
        "--csv",
        "--table",
        dest="table",
        metavar="PATH",
        help="a table to run on instead, with a header row: CSV (comma, semicolon, tab or "
        "'|' separated, found from the file) or Parquet (.parquet); needs pandas (the 'cli' "
        "extra)",
    )
    parser.add_argument("--target", metavar="COLUMN", help="the table's column of class labels")
    parser.add_argument(
        "--drop",
        metavar="COLUMN",
        action="append",
        default=[],
        help="leave this column of the table out (repeat for several)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        help="outer cross-validation folds (default: 5; 3 on tables over 20,000 rows)",
    )
    parser.add_argument(
        "--random-state", type=int, default=0, help="seed of folds and weights (default: 0)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="BLAS threads of each model (default: 1, which measured fastest with other work "
        "running beside it, and as fast on a quiet machine for these sizes)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="cross-validation folds fitted in parallel processes (default: 1)",
    )
    parser.add_argument("--seed", action="store_true", help="also print the seed report with --csv")
    parser.add_argument(
        "--models",
        metavar="LIST",
        default="ours,default,logistic,mlp,majority",
        help="the models compared, comma-separated, from: ours (SigmoidPerceptronClassifier, "
        "tuned), default (ours with its defaults), logistic (LogisticRegression), mlp "
        "(MLPClassifier), majority (the majority class); default: all five",
    )
    parser.add_argument(
        "--metric",
        choices=["auto", "accuracy", "balanced_accuracy", "log_loss"],
        default="auto",
        help="the score of the table and of the search (default: auto, balanced accuracy "
        "where the classes are imbalanced, accuracy otherwise)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print the table and what was written, no summary, plan or progress",
    )
    parser.add_argument(
        "--save",
        metavar="PATH",
        help="fit the tuned pipeline on the whole table and save it to PATH (a skops file)",
    )
    parser.add_argument(
        "--onnx",
        metavar="PATH",
        help="fit the tuned pipeline on the whole table and write it as ONNX to PATH "
        "(needs the onnx extra; inputs: one per column, missing text as '')",
    )
    parser.add_argument("--model", metavar="PATH", help="a pipeline saved by --save, for --predict")
    parser.add_argument("--predict", metavar="PATH", help="a table of rows to predict with --model")
    parser.add_argument(
        "--output", metavar="PATH", help="write --predict's answers here (CSV), not to stdout"
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="let --save, --onnx and --output replace an existing file (never an input)",
    )
    parser.add_argument("--version", action="version", version=f"sk_backprop {__version__}")
    arguments = parser.parse_args(argv)
    if (arguments.model is None) != (arguments.predict is None):
        parser.error("--model and --predict go together")
    if arguments.output and not arguments.predict:
        parser.error("--output is where --predict writes; give --model and --predict")
    if arguments.model is None and (arguments.table is None) != (arguments.target is None):
        parser.error("--csv and --target go together")
    for option in ("save", "onnx"):
        if getattr(arguments, option) and not arguments.table:
            parser.error(f"--{option} needs a table (--csv PATH --target COLUMN)")
    if arguments.folds is not None and arguments.folds < 2:
        parser.error("--folds must be at least 2")
    if arguments.threads is not None and arguments.threads < 1:
        parser.error("--threads must be at least 1")
    if arguments.jobs < 1:
        parser.error("--jobs must be at least 1")
    from ._names import model_names

    try:
        arguments.models = model_names(arguments.models)
    except ValueError as error:
        parser.error(str(error))
    if not 0 <= arguments.random_state < 2**32:  # numpy's seeds
        parser.error(f"--random-state must be from 0 to 2**32 - 1, got {arguments.random_state}")
    return arguments


def seed_report():
    from .. import SigmoidPerceptronClassifier

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


def predict(arguments):
    from ._table import read_features

    model = load_model(arguments.model)
    names, numeric, n_features = _fitted_columns(model)
    X, row_ids, notes = read_features(arguments.predict, names, numeric, n_features)
    if names is None:  # fitted on an array: answer an array, as it was fitted
        X = X.to_numpy(dtype=float)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    answers = row_ids.to_frame().reset_index(drop=True)
    answers["prediction"] = model.predict(X)
    for label, column in zip(model.classes_, model.predict_proba(X).T):
        answers[f"proba_{label}"] = column
    if not arguments.output:
        answers.to_csv(sys.stdout, index=False, float_format="%.6g")
        return
    with atomic_path(arguments.output, overwrite=arguments.overwrite) as temporary:
        answers.to_csv(temporary, index=False, float_format="%.6g")
    print(f"Wrote {len(answers)} predictions to {arguments.output}")


def _fitted_columns(model):
    """``(names, numeric, n_features)``: the columns a saved pipeline was fitted on
    and those its preprocessing treats as numbers (None for one fitted on an array).
    The first step that is not ``"passthrough"`` has the names; a ColumnTransformer's
    columns that reach a OneHotEncoder are text, the others numbers."""
    from sklearn.preprocessing import OneHotEncoder

    first = next((step for _, step in model.steps if step not in ("passthrough", None)), None)
    names = getattr(first, "feature_names_in_", None)
    if names is None:
        return None, None, first.n_features_in_
    text = set()
    for _, transformer, columns in getattr(first, "transformers_", []):
        steps = getattr(transformer, "steps", [(None, transformer)])
        if any(isinstance(step, OneHotEncoder) for _, step in steps):
            text.update(columns)
    return list(names), [c for c in names if c not in text], len(names)


def load_data(arguments):
    """{name: (X, y, kinds)}, and the summary lines of a table."""
    if arguments.table:
        import warnings

        from ._table import read_table, summary

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the summary says what was dropped
            table = read_table(arguments.table, arguments.target, arguments.drop)
        short = Path(arguments.table).name if arguments.table != "-" else "stdin"
        return {short: (table.X, table.y, table.kinds())}, summary(
            table, arguments.table, arguments.target
        )
    from sklearn import datasets

    data = {}
    for name in arguments.datasets:
        X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
        data[name] = (X, y, {"numeric": list(range(X.shape[1])), "categorical": []})
    return data, []


def check_outputs(arguments):
    """Every output path checked before any work starts."""
    inputs = {"--csv": arguments.table, "--predict": arguments.predict, "--model": arguments.model}
    for option in ("--save", "--onnx", "--output"):
        path = getattr(arguments, option[2:])
        if path is not None:
            check_output(path, option, inputs, arguments.overwrite)


def run(arguments):
    from ._compare import Comparison
    from ._report import format_table, tuning_sentences

    started, cpu_started = time.perf_counter(), time.process_time()
    data, lines = load_data(arguments)
    rows = max(len(y) for _, y, _ in data.values())
    folds = arguments.folds or (3 if rows > 20_000 else 5)
    comparison = Comparison(
        folds, arguments.random_state, arguments.threads or 1, arguments.jobs,
        names=arguments.models, metric=arguments.metric, quiet=arguments.quiet,
    )  # fmt: skip
    for _, y, _ in data.values():
        comparison.check(y, arguments.target if arguments.table else None)
    skops_io = skops() if arguments.save else None
    if arguments.onnx:
        onnx_extra()
    if (arguments.seed or not arguments.table) and not arguments.quiet:
        print(seed_report())
    if not arguments.quiet:
        print("\n".join(lines + [""]) if lines else "", end="")
        print(comparison.describe(rows, arguments.folds is None, len(data)) + "\n", flush=True)
    results = comparison.run(data)
    print(format_table(results, folds))
    for sentence in tuning_sentences(results) + comparison.warning_sentences():
        print(sentence)
    if arguments.save or arguments.onnx:
        save_tuned(arguments, comparison, *next(iter(data.values())), skops_io)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time of this process (--jobs' worker processes add theirs): beside the wall
    # time, it tells a busy machine (wall well above CPU) from a slow run
    if not arguments.quiet:
        print(f"\nDone in {wall:.1f} s ({cpu:.1f} s of CPU in this process).")


def save_tuned(arguments, comparison, X, y, kinds, skops_io):
    """``--save`` and ``--onnx``: the tuned pipeline fitted on all rows, written."""
    wanted = " and ".join(o for o in ("--save", "--onnx") if getattr(arguments, o[2:]))
    if not arguments.quiet:
        print(f"\nFitting the tuned pipeline on all rows for {wanted} ...", flush=True)
    pipeline, chosen = comparison.fit_tuned(X, y, kinds)
    if arguments.save:
        with atomic_path(arguments.save, overwrite=arguments.overwrite) as temporary:
            skops_io.dump(pipeline, temporary)
        print(
            f"Saved the pipeline tuned on all {len(y)} rows ({chosen}) to {arguments.save} (skops)."
        )
    if arguments.onnx:
        from ._onnx import onnx_model

        model = onnx_model(pipeline)
        with atomic_path(arguments.onnx, overwrite=arguments.overwrite) as temporary:
            Path(temporary).write_bytes(model.SerializeToString())
        print(
            f"Wrote the pipeline tuned on all {len(y)} rows ({chosen}) to {arguments.onnx} "
            "(ONNX: one input per column, a missing text value as '')."
        )


def onnx_extra():
    """Refuse ``--onnx`` before any work where skl2onnx is not installed."""
    try:
        import skl2onnx  # noqa: F401
    except ImportError:
        raise TableError(
            "--onnx needs skl2onnx and onnxruntime: from a clone of sk_backprop, "
            'pip install ".[onnx]"'
        ) from None


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        with stopping_on_signals():
            check_outputs(arguments)
            if arguments.model:
                predict(arguments)
            else:
                run(arguments)
    except BrokenPipeError:  # `... | head` closed the pipe: stop quietly, as shell tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 128 + 13  # SIGPIPE's code
    except (OSError, TableError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        print("\ninterrupted: stopped, and nothing was written", file=sys.stderr)
        return interrupt.exit_code if isinstance(interrupt, Stopped) else 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
