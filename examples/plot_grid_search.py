"""
Tuning in a Pipeline with GridSearchCV
======================================

The classifier is an ordinary scikit-learn estimator: it sits in a Pipeline behind a
StandardScaler, and GridSearchCV tunes its parameters by cross-validation. The plot
shows the mean validation accuracy of each candidate.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

X, y = load_digits(return_X_y=True)
pipeline = make_pipeline(StandardScaler(), SigmoidPerceptronClassifier(random_state=0))
hidden = [(), (16,), (32,)]
alphas = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
search = GridSearchCV(
    pipeline,
    {
        "sigmoidperceptronclassifier__hidden_layer_sizes": hidden,
        "sigmoidperceptronclassifier__alpha": alphas,
    },
    cv=3,
    n_jobs=2,
).fit(X, y)
print("best:", search.best_params_, f"accuracy {search.best_score_:.4f}")

scores = np.array(search.cv_results_["mean_test_score"]).reshape(len(alphas), len(hidden))
fig, ax = plt.subplots(figsize=(6.5, 4))
for column, sizes in enumerate(hidden):
    ax.semilogx(alphas, scores[:, column], marker="o", label=f"hidden_layer_sizes={sizes}")
ax.set_xlabel("alpha")
ax.set_ylabel("mean 3-fold validation accuracy")
ax.set_title("GridSearchCV over a Pipeline(StandardScaler, classifier)")
ax.legend()
plt.show()
