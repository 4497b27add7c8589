"""The command line's comparison: every model cross-validated behind the same
preprocessing, with its progress reported and its warnings counted per model.

Each (data set, fold, model) triple is one task: fitted and scored by
``fit_and_score``, in this process or (``--jobs N``) in N worker processes, each
task under the same BLAS thread limit and with its warnings recorded where it
ran. One progress count runs over every task of the run; the time left is the
mean wall time of a finished task times the tasks to go. The score is
``--metric``'s (``auto``: balanced accuracy where the classes are imbalanced,
accuracy otherwise), the inner search is scored by the same metric, and ours runs
twice: tuned, and with its defaults (one of the search's candidates), so that the
table says when tuning did not pay.
"""

import sys
import time
import warnings
from collections import Counter

import numpy as np
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, log_loss
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from .. import SigmoidPerceptronClassifier
from ._names import IMBALANCE, METRICS, MODEL_NAMES, OURS
from ._report import Progress
from ._signals import check as check_signals
from ._table import check_enough_rows_per_class, preprocessor

GRID = {
    "sigmoidperceptronclassifier__hidden_layer_sizes": [(), (16,)],
    "sigmoidperceptronclassifier__alpha": [1e-4, 1e-2, 1.0],
}
INNER_FOLDS = 3
# Over this many training rows the search runs on a stratified sample of them and
# only the chosen candidate is fitted on all: on diamonds (36,000 training rows a
# fold) one fold took 7.5 s against 17.3 s for the full search, which chose the same
# candidate, at the same accuracy (0.7641); MLPClassifier took 25 s.
SEARCH_ROWS = 10_000


def params_label(params):
    return (
        f"hidden={params['sigmoidperceptronclassifier__hidden_layer_sizes']}, "
        f"alpha={params['sigmoidperceptronclassifier__alpha']:g}"
    )


def models(kinds, random_state, names=MODEL_NAMES, metric="accuracy"):
    """The compared models (those of ``names``): ours as the GridSearchCV that tunes
    it (scored by ``metric``; its grid holds the default configuration) and with its
    defaults, LogisticRegression, MLPClassifier and the majority class."""
    ours = make_pipeline(
        preprocessor(kinds), SigmoidPerceptronClassifier(random_state=random_state)
    )
    inner = StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=random_state)
    scoring = "neg_log_loss" if metric == "log_loss" else metric
    zoo = dict(
        zip(
            MODEL_NAMES,
            [
                GridSearchCV(ours, GRID, cv=inner, error_score="raise", scoring=scoring),
                clone(ours),
                make_pipeline(preprocessor(kinds), LogisticRegression(max_iter=1000)),
                make_pipeline(
                    preprocessor(kinds), MLPClassifier(max_iter=1000, random_state=random_state)
                ),
                DummyClassifier(strategy="most_frequent"),
            ],
        )
    )
    return {name: model for name, model in zoo.items() if name in names}


def fit_searched(search, X, y, random_state):
    """``(pipeline, best_params)``: the search fitted, on a stratified sample of
    SEARCH_ROWS rows when X has more, and the chosen candidate refitted on all rows."""
    if len(y) <= SEARCH_ROWS:
        search.fit(X, y)
        return search.best_estimator_, search.best_params_
    sample, _ = train_test_split(
        np.arange(len(y)), train_size=SEARCH_ROWS, stratify=y, random_state=random_state
    )
    search.fit(_rows(X, sample), y[sample])
    return clone(search.estimator).set_params(**search.best_params_).fit(X, y), search.best_params_


def _rows(X, indices):
    return X.iloc[indices] if hasattr(X, "iloc") else X[indices]


def choose_metric(metric, y):
    """``--metric``'s metric for targets ``y`` (``auto``: balanced accuracy when the
    largest class has IMBALANCE times the rows of the smallest or more)."""
    if metric != "auto":
        return metric
    counts = np.unique(y, return_counts=True)[1]
    return "balanced_accuracy" if counts.max() >= IMBALANCE * counts.min() else "accuracy"


def score(model, X, y, metric):
    """``metric`` of the fitted ``model`` on ``X``, ``y``."""
    if metric == "log_loss":
        return log_loss(y, model.predict_proba(X), labels=model.classes_)
    if metric == "balanced_accuracy":
        return balanced_accuracy_score(y, model.predict(X))
    return model.score(X, y)


def fit_and_score(model, X, y, train, test, threads, random_state, metric="accuracy"):
    """One task: ``(score, fit seconds, best params or None, ConvergenceWarnings,
    other warnings)``, the warnings recorded here so that worker processes report them."""
    with warnings.catch_warnings(record=True) as caught, threadpool_limits(threads):
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.filterwarnings("ignore", "Found unknown categories", UserWarning)
        started = time.perf_counter()
        if isinstance(model, GridSearchCV):
            fitted, best = fit_searched(model, _rows(X, train), y[train], random_state)
        else:
            fitted, best = model.fit(_rows(X, train), y[train]), None
        seconds = time.perf_counter() - started
        value = score(fitted, _rows(X, test), y[test], metric)
    converged = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    others = [
        (w.category, str(w.message))
        for w in caught
        if not issubclass(w.category, ConvergenceWarning)
    ]
    return value, seconds, best, converged, others


class Comparison:
    """Cross-validates the models of ``models`` on every data set, as one run."""

    def __init__(
        self, folds, random_state, threads, jobs, stream=None, names=MODEL_NAMES, metric="auto",
        quiet=False,
    ):  # fmt: skip
        self.folds, self.random_state, self.threads, self.jobs = folds, random_state, threads, jobs
        self.names = tuple(names)  # the models compared, in MODEL_NAMES' order
        self.metric, self.quiet = metric, quiet
        self.stream = stream or sys.stderr
        self.short = {}  # model -> [(data set, fold)] of fits that ended with a ConvergenceWarning

    def check(self, y, target):
        if target is not None:
            check_enough_rows_per_class(y, target, self.folds, INNER_FOLDS)

    def describe(self, rows, folds_by_default, n_data=1):
        fits = (
            INNER_FOLDS
            * len(GRID["sigmoidperceptronclassifier__hidden_layer_sizes"])
            * len(GRID["sigmoidperceptronclassifier__alpha"])
        )
        candidates = fits // INNER_FOLDS
        others = len(self.names) - (OURS in self.names)
        ours = fits + 1 if OURS in self.names else 0
        sets = f" x {n_data} data sets" if n_data > 1 else ""
        lines = [
            "Each model is a Pipeline of the same preprocessing (numeric columns: median",
            "imputation and StandardScaler; categorical ones: most frequent value and",
            "OneHotEncoder) and the classifier. Ours is tuned by GridSearchCV "
            f"({INNER_FOLDS}-fold) over",
            f"{GRID} inside each outer fold (its fit time is the whole search), and run with",
            "its defaults (hidden_layer_sizes=(), alpha=0.0001: one of the candidates).",
            f"Plan: {len(self.names)} models x {self.folds} "
            f"folds{' (3 over 20,000 rows)' if folds_by_default and rows > 20_000 else ''}"
            f"{sets}; "
            + (
                f"ours searches {candidates} candidates x {INNER_FOLDS} folds and refits the "
                "best in each: "
                if ours
                else ""
            )
            + f"{self.folds * n_data * (ours + others)} fits in all. "
            f"BLAS threads: {self.threads}, folds in parallel: {self.jobs}. "
            + (
                "Score: balanced accuracy where classes are imbalanced (the largest "
                f"{IMBALANCE:g}x the smallest or more), accuracy otherwise."
                if self.metric == "auto"
                else f"Score: {METRICS[self.metric][0]}."
            ),
        ]
        if rows > SEARCH_ROWS:
            lines.append(
                f"Tables over {SEARCH_ROWS:,} rows: the search runs on a stratified "
                f"sample of {SEARCH_ROWS:,} training rows, the chosen candidate on all."
            )
        return "\n".join(lines)

    def run(self, data):
        """Rows of (data set, model, metric, scores per fold, fit seconds per fold,
        chosen) for ``data``, ``{name: (X, y, kinds)}``, with one progress count."""
        plans = []
        for name, (X, y, kinds) in data.items():
            metric = choose_metric(self.metric, y)
            outer = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
            zoo = models(kinds, self.random_state, self.names, metric)
            tasks = [
                (fold, model_name, train, test)
                for fold, (train, test) in enumerate(outer.split(X, y))
                for model_name in zoo
            ]
            plans.append((name, X, y, metric, zoo, tasks))
        total = sum(len(tasks) for *_, tasks in plans)
        progress = Progress(total, self.folds, None if self.quiet else self.stream)
        rows = []
        try:
            for name, X, y, metric, zoo, tasks in plans:
                rows += self._run_one(name, X, y, metric, zoo, tasks, progress)
        finally:
            progress.close()
        return rows

    def _run_one(self, name, X, y, metric, zoo, tasks, progress):
        results = {model_name: [] for model_name in zoo}
        outcomes = self._results(zoo, X, y, tasks, metric)
        for (fold, model_name, _, _), result in zip(tasks, outcomes):
            check_signals()  # a fit may have swallowed an interrupt (MLPClassifier does)
            results[model_name].append(result)
            if result[3]:
                self.short.setdefault(model_name, []).append((name, fold))
            for category, message in result[4]:
                warnings.warn(message, category, stacklevel=2)
            progress.done(name, model_name, fold, METRICS[metric][0], result[0], result[1])
        rows = []
        for model_name, fold_results in results.items():
            scores, seconds, best, _, _ = zip(*fold_results)
            chosen = _most_chosen(best) if best[0] is not None else ""
            rows.append((name, model_name, metric, np.array(scores), np.array(seconds), chosen))
        return rows

    def _results(self, zoo, X, y, tasks, metric):
        arguments = [
            (clone(zoo[model_name]), X, y, train, test, self.threads, self.random_state, metric)
            for _, model_name, train, test in tasks
        ]
        if self.jobs == 1:
            return (fit_and_score(*task) for task in arguments)
        from joblib import Parallel, delayed

        return Parallel(n_jobs=self.jobs, return_as="generator")(
            delayed(fit_and_score)(*task) for task in arguments
        )

    def fit_tuned(self, X, y, kinds):
        """The tuned pipeline fitted on all rows, and a label of what was chosen."""
        metric = choose_metric(self.metric, y)
        search = models(kinds, self.random_state, metric=metric)[OURS]
        with warnings.catch_warnings(), threadpool_limits(self.threads):
            warnings.simplefilter("ignore", ConvergenceWarning)  # counted in the table's fits
            pipeline, best = fit_searched(search, X, y, self.random_state)
        check_signals()
        return pipeline, params_label(best)

    def warning_sentences(self):
        sentences = []
        for model_name, where in self.short.items():
            places = ", ".join(f"{name} fold {fold + 1}" for name, fold in where[:10])
            more = ", ..." if len(where) > 10 else ""
            sentences.append(
                f"\n{model_name}: {len(where)} of its fits ended with a ConvergenceWarning "
                f"(it stopped short of its tolerance): {places}{more}."
            )
        return sentences


def _most_chosen(best_params):
    labels = [params_label(params) for params in best_params]
    most, count = Counter(labels).most_common(1)[0]  # ties: the first fold's choice
    return f"{most} ({count}/{len(labels)} folds)"
