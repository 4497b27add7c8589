"""The command line's comparison: every model cross-validated behind the same
preprocessing, with its progress reported and its warnings counted per model.

Each (fold, model) pair is one task: fitted and scored by ``fit_and_score``,
in this process or (``--jobs N``) in N worker processes, each task under the
same BLAS thread limit and with its warnings recorded where it ran. Tasks run
fold by fold, so once the first fold is done the estimate of the time left is
the mean time of a fold times the folds to go.
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
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from .. import SigmoidPerceptronClassifier
from ._names import MODEL_NAMES, OURS
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


def models(kinds, random_state, names=MODEL_NAMES):
    """The compared models (those of ``names``), ours as the GridSearchCV that tunes it."""
    ours = make_pipeline(
        preprocessor(kinds), SigmoidPerceptronClassifier(random_state=random_state)
    )
    inner = StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=random_state)
    zoo = dict(
        zip(
            MODEL_NAMES,
            [
                GridSearchCV(ours, GRID, cv=inner, error_score="raise"),
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


def fit_and_score(model, X, y, train, test, threads, random_state):
    """One task: ``(accuracy, fit seconds, best params or None, ConvergenceWarnings,
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
        score = fitted.score(_rows(X, test), y[test])
    converged = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    others = [
        (w.category, str(w.message))
        for w in caught
        if not issubclass(w.category, ConvergenceWarning)
    ]
    return score, seconds, best, converged, others


class Comparison:
    """Cross-validates the models of ``models`` on one data set after another."""

    def __init__(self, folds, random_state, threads, jobs, stream=None, names=MODEL_NAMES):
        self.folds, self.random_state, self.threads, self.jobs = folds, random_state, threads, jobs
        self.names = tuple(names)  # the models compared, in MODEL_NAMES' order
        self.stream = stream or sys.stderr
        self.short = Counter()  # model -> fits that ended with a ConvergenceWarning

    def check(self, y, target):
        if target is not None:
            check_enough_rows_per_class(y, target, self.folds, INNER_FOLDS)

    def describe(self, rows, folds_by_default):
        fits = (
            INNER_FOLDS
            * len(GRID["sigmoidperceptronclassifier__hidden_layer_sizes"])
            * len(GRID["sigmoidperceptronclassifier__alpha"])
        )
        candidates = fits // INNER_FOLDS
        others = len(self.names) - (OURS in self.names)
        ours = fits + 1 if OURS in self.names else 0
        lines = [
            "Each model is a Pipeline of the same preprocessing (numeric columns: median",
            "imputation and StandardScaler; categorical ones: most frequent value and",
            "OneHotEncoder) and the classifier. Ours is tuned by GridSearchCV "
            f"({INNER_FOLDS}-fold) over",
            f"{GRID} inside each outer fold;\nits fit time is the whole search.",
            f"Plan: {len(self.names)} models x {self.folds} "
            f"folds{' (3 over 20,000 rows)' if folds_by_default and rows > 20_000 else ''}; "
            + (
                f"ours searches {candidates} candidates x {INNER_FOLDS} folds and refits the "
                "best in each: "
                if ours
                else ""
            )
            + f"{self.folds * (ours + others)} fits in all. "
            f"BLAS threads: {self.threads}, folds in parallel: {self.jobs}.",
        ]
        if rows > SEARCH_ROWS:
            lines.append(
                f"Tables over {SEARCH_ROWS:,} rows: the search runs on a stratified "
                f"sample of {SEARCH_ROWS:,} training rows, the chosen candidate on all."
            )
        return "\n".join(lines)

    def run(self, name, X, y, kinds):
        """Rows of (data set, model, accuracies per fold, fit seconds per fold, chosen)."""
        outer = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
        zoo = models(kinds, self.random_state, self.names)
        tasks = [
            (fold, model_name, train, test)
            for fold, (train, test) in enumerate(outer.split(X, y))
            for model_name in zoo
        ]
        progress = Progress(name, len(tasks), self.folds, self.stream)
        results = {model_name: [] for model_name in zoo}
        for (fold, model_name, _, _), result in zip(tasks, self._results(zoo, X, y, tasks)):
            check_signals()  # a fit may have swallowed an interrupt (MLPClassifier does)
            results[model_name].append(result)
            self.short[model_name] += result[3]
            for category, message in result[4]:
                warnings.warn(message, category, stacklevel=2)
            progress.done(model_name, fold, result[0], result[1])
        progress.close()
        rows = []
        for model_name, fold_results in results.items():
            scores, seconds, best, _, _ = zip(*fold_results)
            chosen = _most_chosen(best) if best[0] is not None else ""
            rows.append((name, model_name, np.array(scores), np.array(seconds), chosen))
        return rows

    def _results(self, zoo, X, y, tasks):
        arguments = [
            (clone(zoo[model_name]), X, y, train, test, self.threads, self.random_state)
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
        search = models(kinds, self.random_state)[OURS]
        with warnings.catch_warnings(), threadpool_limits(self.threads):
            warnings.simplefilter("ignore", ConvergenceWarning)  # counted in the table's fits
            pipeline, best = fit_searched(search, X, y, self.random_state)
        check_signals()
        return pipeline, params_label(best)

    def warning_sentences(self):
        return [
            f"\n{model_name}: {count} of its fits ended with a ConvergenceWarning "
            "(it stopped short of its tolerance)."
            for model_name, count in self.short.items()
            if count
        ]


def _most_chosen(best_params):
    labels = [params_label(params) for params in best_params]
    most, count = Counter(labels).most_common(1)[0]  # ties: the first fold's choice
    return f"{most} ({count}/{len(labels)} folds)"


class Progress:
    """A rich progress bar on a terminal; elsewhere one line per finished task."""

    def __init__(self, name, total, folds, stream):
        self.name, self.total, self.folds, self.stream = name, total, folds, stream
        self.started, self.finished = time.perf_counter(), 0
        self.seconds = {}  # model -> fit seconds of its finished folds
        self.bar = None
        if getattr(stream, "isatty", lambda: False)():
            try:
                from rich.progress import Progress as RichProgress
            except ImportError:
                pass
            else:
                from rich.console import Console

                self.bar = RichProgress(
                    *RichProgress.get_default_columns(),
                    console=Console(file=stream),
                    transient=True,
                )
                self.bar.start()
                self.task = self.bar.add_task(f"{name}: {total} fits", total=total)

    def done(self, model_name, fold, score, seconds):
        self.finished += 1
        elapsed = time.perf_counter() - self.started
        if self.bar is not None:
            self.bar.update(
                self.task,
                advance=1,
                description=f"{name_of(model_name)} fold {fold + 1}/{self.folds}",
            )
            return
        self.seconds.setdefault(model_name, []).append(seconds)
        left = self.left()
        print(
            f"[{self.finished:{len(str(self.total))}}/{self.total}] {self.name}: {model_name}, "
            f"fold {fold + 1}/{self.folds}: accuracy {score:.4f} in {seconds:.1f} s; elapsed "
            f"{elapsed:.0f} s, about {left:.0f} s left",
            file=self.stream,
            flush=True,
        )

    def left(self):
        """Seconds to go: each model's mean fit time so far times its folds to go."""
        folds_done = {model: len(times) for model, times in self.seconds.items()}
        per_fold = self.total // self.folds
        mean_task = sum(map(sum, self.seconds.values())) / self.finished
        left = sum(
            np.mean(times) * (self.folds - folds_done[model])
            for model, times in self.seconds.items()
        )
        unseen = per_fold - len(self.seconds)  # models not yet run once
        return left + unseen * mean_task * self.folds

    def close(self):
        if self.bar is not None:
            self.bar.stop()


def name_of(model_name):
    return model_name.split(" ")[0]


def format_table(rows, folds):
    lines = [
        f"| data set | model | accuracy ({folds}-fold CV, mean ± std) | worst-best fold "
        "| fit time per fold (s) | chosen by the search |",
        "|---|---|---|---|---|---|",
    ]
    for data, model, scores, seconds, chosen in rows:
        lines.append(
            f"| {data} | {model} | {scores.mean():.4f} ± {scores.std():.4f} | "
            f"{scores.min():.4f}-{scores.max():.4f} | {seconds.mean():.3f} | {chosen} |"
        )
    return "\n".join(lines)
