"""
The effect of ``alpha`` and of ``class_weight``
===============================================

``alpha`` is the strength of the L2 penalty on the weights: larger values give
smoother decision boundaries. It multiplies a *mean* loss, the same for any number of
samples (MLPClassifier divides its ``alpha`` by the number of samples instead), so
useful values are small: at ``alpha=0.1`` the penalty already outweighs the data and
the network is nearly a constant. ``class_weight="balanced"`` weighs each class by the
inverse of its frequency, so that a rare class is no longer drowned by the common one.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import make_classification, make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.metrics import recall_score

from sk_backprop import SigmoidPerceptronClassifier

X, y = make_moons(300, noise=0.3, random_state=0)
alphas = [1e-5, 1e-3, 1e-2, 1e-1]
fig, axes = plt.subplots(1, len(alphas), figsize=(13, 3.4))
for ax, alpha in zip(axes, alphas):
    clf = SigmoidPerceptronClassifier((32,), alpha=alpha, max_iter=3000, random_state=0)
    clf.fit(X, y)
    DecisionBoundaryDisplay.from_estimator(
        clf, X, response_method="predict_proba", cmap="RdBu", alpha=0.7, ax=ax
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolor="k", s=12)
    ax.set_title(f"alpha={alpha:g}, accuracy {clf.score(X, y):.2f}")
fig.suptitle("A larger alpha smooths the boundary of a (32,) network")
fig.tight_layout()

# %%
# On imbalanced data (5% positives), the unweighted fit rarely predicts the rare
# class; balanced class weights trade some precision for much more recall.
X, y = make_classification(
    2000, n_features=2, n_redundant=0, weights=[0.95], class_sep=0.8, random_state=1
)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)
for ax, class_weight in zip(axes, [None, "balanced"]):
    clf = SigmoidPerceptronClassifier((8,), class_weight=class_weight, random_state=0).fit(X, y)
    DecisionBoundaryDisplay.from_estimator(
        clf, X, response_method="predict", cmap="coolwarm", alpha=0.25, ax=ax
    )
    ax.scatter(*X[y == 0].T, s=6, color="tab:blue", label="common class")
    ax.scatter(*X[y == 1].T, s=14, color="tab:red", edgecolor="k", label="rare class (5%)")
    recall = recall_score(y, clf.predict(X))
    ax.set_title(f"class_weight={class_weight!r}\nrecall of the rare class: {recall:.2f}")
axes[0].legend(loc="lower right")
fig.tight_layout()
plt.show()
