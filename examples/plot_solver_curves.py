"""
Training curves of the four solvers
===================================

All four solvers minimise the same objective, so their curves can be drawn on one
axis. L-BFGS takes the fewest epochs; full-batch gradient descent with a line search
the most; the mini-batch solvers make many small steps per epoch and get close quickly
on data of this size (1,797 digits, 10 classes, one hidden layer of 32 units).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from sk_backprop import LossCurveDisplay, SigmoidPerceptronClassifier

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)

fig, ax = plt.subplots(figsize=(7, 4.5))
for solver in ["lbfgs", "gd", "sgd", "adam"]:
    # tol=None: exactly 150 epochs each, to compare the curves (no stopping test,
    # so no ConvergenceWarning)
    clf = SigmoidPerceptronClassifier((32,), solver=solver, max_iter=150, tol=None, random_state=0)
    clf.fit(X, y)
    LossCurveDisplay.from_estimator(clf, ax=ax, name=f"{solver} ({clf.n_iter_} epochs)")
    print(f"{solver:>5}: objective {clf.loss_:.4f} after {clf.n_iter_} epochs")
ax.set_yscale("log")
ax.legend()
ax.set_title("The same objective, four solvers")
plt.show()
