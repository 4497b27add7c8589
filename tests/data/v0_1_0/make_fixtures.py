"""How the files of this folder were written, with sk_backprop 0.1.0 (commit cd38f67,
the flat layout), for tests/test_legacy.py:

    python make_fixtures.py OUT_DIR          # pickles, skops files, probabilities
    python -m sk_backprop --csv OUT_DIR/iris.csv --target species \
        --save OUT_DIR/pipeline.skops --folds 3
    python -m sk_backprop --model OUT_DIR/pipeline.skops --predict OUT_DIR/iris.csv \
        --output OUT_DIR/pipeline_answers.csv
"""

import pickle
import sys

import numpy as np
import pandas as pd
import skops.io as sio
from sklearn.datasets import load_iris

from sk_backprop import SigmoidPerceptronClassifier, __version__


def main(out):
    X, y = load_iris(return_X_y=True)
    for solver in ["lbfgs", "newton-cholesky", "gd", "sgd", "adam"]:
        clf = SigmoidPerceptronClassifier(solver=solver, max_iter=5, random_state=0).fit(X, y)
        with open(f"{out}/{solver}.pickle", "wb") as f:
            pickle.dump(clf, f)
        sio.dump(clf, f"{out}/{solver}.skops")
        np.save(f"{out}/{solver}.proba.npy", clf.predict_proba(X))
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[y]
    frame.to_csv(f"{out}/iris.csv", index=False)
    print(__version__)


if __name__ == "__main__":
    main(sys.argv[1])
