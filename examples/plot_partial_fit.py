"""
Streaming with ``partial_fit``
==============================

When the data does not fit in memory, ``partial_fit`` trains on one chunk at a time:
one pass of mini-batches over each chunk, continuing from the current weights and the
optimizer's state. ``classes`` names every class of the stream on the first call.
Here 40,000 rows arrive in chunks of 2,000, and the stream is replayed ten times (as
one would re-read a file from disk); the test accuracy after each chunk climbs towards
that of ``fit`` on all the rows in memory (0.918 after ten passes, against 0.957 for
``fit`` with early stopping, 298 epochs whose step decays when the validation
accuracy stalls).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

X, y = make_classification(50_000, n_features=20, n_informative=10, n_classes=3, random_state=0)
X = StandardScaler().fit_transform(X)
X_stream, X_test, y_stream, y_test = train_test_split(X, y, test_size=10_000, random_state=0)

streamed = SigmoidPerceptronClassifier((16,), solver="adam", random_state=0)
seen, accuracy = [], []
for replay in range(10):
    for start in range(0, len(y_stream), 2_000):
        chunk = slice(start, start + 2_000)
        streamed.partial_fit(X_stream[chunk], y_stream[chunk], classes=[0, 1, 2])
        seen.append(replay * len(y_stream) + start + 2_000)
        accuracy.append(streamed.score(X_test, y_test))

# fit on all rows, stopped by early stopping (on a tenth of them held out)
in_memory = SigmoidPerceptronClassifier(
    (16,), solver="adam", early_stopping=True, max_iter=1000, random_state=0
)
in_memory.fit(X_stream, y_stream)
print(f"partial_fit, 10 passes: {accuracy[-1]:.4f}")
print(f"fit, {in_memory.n_iter_} epochs:     {in_memory.score(X_test, y_test):.4f}")

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(seen, accuracy, label="partial_fit, chunk by chunk")
ax.axhline(
    in_memory.score(X_test, y_test),
    color="k",
    linestyle="--",
    label=f"fit on all rows in memory ({in_memory.n_iter_} epochs)",
)
for replay in range(1, 10):
    ax.axvline(replay * len(y_stream), color="0.85", linewidth=0.8, zorder=0)
ax.set_xlabel("rows seen (grey lines: the stream starts again)")
ax.set_ylabel("test accuracy")
ax.legend(loc="lower right")
plt.show()
