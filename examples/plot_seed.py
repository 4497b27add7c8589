"""
The seed notebook, reproduced
=============================

The notebook trains one sigmoid unit, without intercept, on four points by full-batch
gradient descent on the squared error: ``delta = (y - a) * a * (1 - a)`` and
``weights += X.T @ delta``, 10,000 times. It prints 0.99993703 for the input [1, 0, 0].

``SigmoidPerceptronClassifier`` with ``loss="squared_error"``, ``solver="gd"`` and a fixed
step runs the same loop. The notebook sums the gradients of its four samples and steps
by 1; the estimator's gradient is their mean, so the same step is ``learning_rate=4.0``.
"""

import matplotlib.pyplot as plt

from sk_backprop import LossCurveDisplay, SigmoidPerceptronClassifier

X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
y = [0, 1, 1, 0]
clf = SigmoidPerceptronClassifier(
    loss="squared_error",
    solver="gd",
    learning_rate=4.0,
    max_iter=10_000,
    tol=None,
    alpha=0.0,
    fit_intercept=False,
    random_state=0,
).fit(X, y)
print(f"Predicted output for [1, 0, 0]: {clf.predict_proba([[1, 0, 0]])[0, 1]:.8f}")
print("The notebook printed:            0.99993703")

# %%
# The objective falls by four orders of magnitude over the 10,000 epochs: the first
# input column decides the label, and its weight keeps growing.
display = LossCurveDisplay.from_estimator(clf, name="seed network")
display.ax_.set_yscale("log")
display.ax_.set_title("Squared error of the seed's network, epoch by epoch")
plt.show()
