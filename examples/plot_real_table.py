"""
A real table: strings, gaps, a model to keep
============================================

The Palmer penguins (344 birds, 3 species) as a user meets them: a pandas DataFrame
with numeric and string columns and missing values in both. A ColumnTransformer
prepares each kind of column, GridSearchCV tunes the classifier behind it, permutation
importance says which columns the model uses, and skops saves the tuned pipeline and
loads it back to answer new rows. The command line does the same with
``python -m sk_backprop --csv penguins.csv --target species --save model.skops``.
"""

# %%
# The table
# ---------
# ``palmerpenguins.load_penguins()`` returns the DataFrame (``pip install
# palmerpenguins``). Two columns are strings, and five have missing values.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from palmerpenguins import load_penguins

penguins = load_penguins()
print(penguins.dtypes.to_string())
print("missing values:", penguins.isna().sum()[lambda n: n > 0].to_dict())

X = penguins.drop(columns="species")
y = penguins["species"]

# %%
# Preprocessing by column kind, tuned with the classifier
# -------------------------------------------------------
# Numeric columns: the median for a missing value, then standardised. String
# columns: the most frequent value, then one-hot encoded; a category never seen in
# training (a new island) encodes as all zeros instead of raising.
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sk_backprop import SigmoidPerceptronClassifier

numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]
categorical = ["island", "sex"]
preprocess = ColumnTransformer(
    [
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (
            "categorical",
            make_pipeline(
                SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
            ),
            categorical,
        ),
    ]
)
pipeline = make_pipeline(preprocess, SigmoidPerceptronClassifier(max_iter=1000, random_state=0))

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
search = GridSearchCV(
    pipeline,
    {
        "sigmoidperceptronclassifier__hidden_layer_sizes": [(), (8,)],
        "sigmoidperceptronclassifier__alpha": [1e-4, 1e-2, 1.0],
    },
    cv=5,
).fit(X_train, y_train)
print("chosen:", search.best_params_)
print(f"test accuracy: {search.score(X_test, y_test):.3f}")

# %%
# Which columns does it use?
# --------------------------
# Permutation importance shuffles one column of the test set at a time, through
# the whole pipeline, and measures the accuracy lost.
from sklearn.inspection import permutation_importance

importance = permutation_importance(
    search.best_estimator_, X_test, y_test, n_repeats=20, random_state=0
)
order = np.argsort(importance.importances_mean)
fig, ax = plt.subplots(figsize=(6.5, 3.5), layout="constrained")
ax.barh(
    X.columns[order],
    importance.importances_mean[order],
    xerr=importance.importances_std[order],
    color="tab:blue",
)
ax.set_xlabel("accuracy lost when the column is shuffled")
ax.set_title("Permutation importance on the test set")
plt.show()

# %%
# Save, load, predict
# -------------------
# skops writes the fitted pipeline without pickle. Loading it runs no code from the
# file: it rebuilds only the types you trust. ``get_untrusted_types`` lists the
# types the file names that skops does not trust by default; read the list, and
# pass it as ``trusted`` only if you expect every entry (here: our classifier and
# its solver, and a NumPy dtype).
import tempfile
from pathlib import Path

import skops.io

with tempfile.TemporaryDirectory() as directory:
    path = Path(directory) / "penguins.skops"
    skops.io.dump(search.best_estimator_, path)
    untrusted = skops.io.get_untrusted_types(file=path)
    print("types to trust:", untrusted)
    loaded = skops.io.load(path, trusted=untrusted)

new_birds = pd.DataFrame(
    {
        "island": ["Biscoe", "Dream", "Atlantis"],  # Atlantis: never seen in training
        "bill_length_mm": [48.0, 39.5, np.nan],
        "bill_depth_mm": [15.0, 18.5, 17.0],
        "flipper_length_mm": [220.0, 190.0, 200.0],
        "body_mass_g": [5200.0, 3700.0, np.nan],
        "sex": ["male", np.nan, "female"],
        "year": [2009, 2008, 2009],
    }
)
answers = pd.DataFrame(loaded.predict_proba(new_birds), columns=loaded.classes_).round(3)
answers.insert(0, "predicted", loaded.predict(new_birds))
print(answers.to_string())
