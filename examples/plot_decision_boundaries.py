"""
Decision boundaries: what hidden layers add
===========================================

Without hidden layers the network is a logistic model for each output, so its
decision boundary is a line, like LogisticRegression's. A hidden layer of sigmoid units
bends it: XOR, moons and circles become separable.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_circles, make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

rng = np.random.RandomState(0)
X_xor = rng.uniform(-1, 1, size=(200, 2))
y_xor = (X_xor[:, 0] * X_xor[:, 1] > 0).astype(int)
datasets = {
    "XOR": (X_xor, y_xor),
    "moons": make_moons(200, noise=0.2, random_state=0),
    "circles": make_circles(200, noise=0.1, factor=0.5, random_state=0),
}
models = {
    "LogisticRegression": LogisticRegression(),
    "hidden_layer_sizes=()": SigmoidPerceptronClassifier(),
    "(4,)": SigmoidPerceptronClassifier((4,), max_iter=2000, random_state=0),
    "(16, 8)": SigmoidPerceptronClassifier((16, 8), max_iter=2000, random_state=0),
}

fig, axes = plt.subplots(len(datasets), len(models), figsize=(12, 9), sharex="row", sharey="row")
for row, (data_name, (X, y)) in zip(axes, datasets.items()):
    for ax, (model_name, model) in zip(row, models.items()):
        pipeline = make_pipeline(StandardScaler(), model).fit(X, y)
        DecisionBoundaryDisplay.from_estimator(
            pipeline, X, response_method="predict_proba", cmap="RdBu", alpha=0.7, ax=ax
        )
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolor="k", s=15)
        ax.set_title(f"{data_name}: {model_name}\naccuracy {pipeline.score(X, y):.2f}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
fig.tight_layout()
plt.show()
