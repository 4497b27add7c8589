"""
Streaming with ``partial_fit``
==============================

When the data does not fit in memory, ``partial_fit`` trains on one chunk at a time:
one pass of mini-batches over each chunk, continuing from the current weights and the
optimizer's state. ``classes`` names every class of the stream on the first call.
Here 40,000 rows arrive in chunks of 2,000; the test accuracy after each chunk
approaches that of ``fit`` on all the data at once.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

X, y = make_classification(
    50_000, n_features=20, n_informative=10, n_classes=3, random_state=0
)
X = StandardScaler().fit_transform(X)
X_stream, X_test, y_stream, y_test = train_test_split(X, y, test_size=10_000, random_state=0)

streamed = SigmoidPerceptronClassifier((16,), solver="adam", random_state=0)
seen, accuracy = [], []
for start in range(0, len(y_stream), 2_000):
    chunk = slice(start, start + 2_000)
    streamed.partial_fit(X_stream[chunk], y_stream[chunk], classes=[0, 1, 2])
    seen.append(start + 2_000)
    accuracy.append(streamed.score(X_test, y_test))

in_memory = SigmoidPerceptronClassifier((16,), solver="adam", random_state=0).fit(X_stream, y_stream)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(seen, accuracy, marker=".", label="partial_fit, chunk by chunk (one pass)")
ax.axhline(in_memory.score(X_test, y_test), color="k", linestyle="--",
           label=f"fit on all rows ({in_memory.n_iter_} epochs)")
ax.set_xlabel("rows seen")
ax.set_ylabel("test accuracy")
ax.legend(loc="lower right")
plt.show()
