"""Early stopping beside MLPClassifier's: epochs, test accuracy and time.

    python benchmarks/early_stopping.py

Both use the rule "stop when the validation score has not improved by more than
tol for n_iter_no_change consecutive epochs" (tol=1e-4, n_iter_no_change=10, a
stratified tenth held out) and restore the best epoch's weights. Ours counts as
SGDClassifier does (it stops on the 10th such epoch); MLPClassifier stops on the
11th. Each data set is standardised and split 75/25 (stratified, seed 0); the
networks have one hidden layer of 32 sigmoid units (MLPClassifier:
activation="logistic", its adam solver), max_iter=2000, random_state=0.
"""

import time
import warnings

from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

COMMON = dict(early_stopping=True, max_iter=2000, random_state=0, tol=1e-4, n_iter_no_change=10)


def data_sets():
    yield "breast_cancer (569 x 30)", *load_breast_cancer(return_X_y=True)
    yield "wine (178 x 13, 3 classes)", *load_wine(return_X_y=True)
    yield "digits (1,797 x 64, 10 classes)", *load_digits(return_X_y=True)
    yield (
        "noisy 5,000 x 20 (flip_y=0.2)",
        *make_classification(
            n_samples=5000, n_features=20, n_informative=8, flip_y=0.2, random_state=0
        ),
    )


def run(model, X_train, X_test, y_train, y_test):
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    best = 1 + max(range(len(model.validation_scores_)), key=model.validation_scores_.__getitem__)
    return model.n_iter_, best, model.score(X_test, y_test), seconds, warned


def main():
    print(
        "| data set | model | epochs run | best epoch | test accuracy | seconds | "
        "ConvergenceWarning |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, X, y in data_sets():
        X = StandardScaler().fit_transform(X)
        split = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
        models = {
            f"ours, {solver}": SigmoidPerceptronClassifier((32,), solver=solver, **COMMON)
            for solver in ("lbfgs", "gd", "sgd", "adam")
        }
        models["MLPClassifier, adam"] = MLPClassifier((32,), activation="logistic", **COMMON)
        for model_name, model in models.items():
            epochs, best, accuracy, seconds, warned = run(model, *split)
            print(
                f"| {name} | {model_name} | {epochs} | {best} | {accuracy:.4f} | "
                f"{seconds:.2f} | {'yes' if warned else 'no'} |"
            )


if __name__ == "__main__":
    main()
