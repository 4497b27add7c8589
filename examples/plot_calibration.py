"""
Probability calibration
=======================

``predict_proba`` returns the sigmoid outputs. Trained on the cross-entropy
(``log_loss``), the network's outputs are calibrated probabilities: among the samples
given a probability near p, a fraction near p is positive, so the reliability curve
follows the diagonal. The squared error (the seed's loss) does not reward calibrated
probabilities and gives an S-shaped curve, too sure at both ends. LogisticRegression
is calibrated only as far as its linear model fits: on this data, whose classes a line
does not separate well, its low probabilities are far off.
"""

import matplotlib.pyplot as plt
from sklearn.calibration import CalibrationDisplay
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from sk_backprop import SigmoidPerceptronClassifier

X, y = make_classification(20_000, n_features=20, n_informative=4, n_redundant=4, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=42)
models = {
    "LogisticRegression": LogisticRegression(),
    "Sigmoid (16,), log_loss": SigmoidPerceptronClassifier((16,), max_iter=2000, random_state=0),
    "Sigmoid (16,), squared_error": SigmoidPerceptronClassifier(
        (16,), loss="squared_error", random_state=0
    ),
}
fig, ax = plt.subplots(figsize=(6, 6))
for name, model in models.items():
    model.fit(X_train, y_train)
    CalibrationDisplay.from_estimator(model, X_test, y_test, n_bins=10, name=name, ax=ax)
ax.set_title("Reliability of predict_proba on held-out data")
plt.show()
