"""A user's table for the command line: read, cleaned, summarised, preprocessed.

``read_table`` reads a CSV or Parquet file with pandas (the ``cli`` extra) and
returns the features as a DataFrame and the target as strings, having warned about
and dropped what is not data: an unnamed index column written by
``DataFrame.to_csv`` and rows without a target. ``preprocessor`` builds, from the
column kinds, the ColumnTransformer that every model of the command line's table
gets: numeric columns imputed by their median and standardised, categorical and
boolean ones imputed by their most frequent value and one-hot encoded (a category
unseen in training is ignored).
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# pandas reads an empty cell and "nan", "NaN", "NA", "null", "None", ... as missing.
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}


class TableError(ValueError):
    """A table the command line cannot use; the message names the column and the fix."""


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise TableError(
            "reading a table needs pandas, an optional dependency: from a clone of "
            'sk_backprop, pip install ".[cli]"'
        ) from None
    return pd


def read_frame(path):
    """The file at ``path`` as a DataFrame, by its suffix (CSV by default)."""
    pd = _pandas()
    kind = next((v for k, v in SUFFIXES.items() if str(path).lower().endswith(k)), "csv")
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, sep="\t" if kind == "tsv" else ",")
    except FileNotFoundError:
        raise TableError(f"{path}: no such file") from None
    except ImportError as error:  # Parquet without pyarrow or fastparquet
        raise TableError(f"{path}: {error}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise TableError(f"{path} is not a readable table: {error}") from None


def _is_index_column(name, column):
    """A column ``DataFrame.to_csv`` wrote for the index: unnamed, 0, 1, 2, ..."""
    if not (str(name).startswith("Unnamed: ") or str(name).strip() == ""):
        return False
    values = column.to_numpy()
    return column.dtype.kind in "iu" and np.array_equal(values, np.arange(len(values)))


@dataclass
class Table:
    """Features and target of a table, and what was dropped from it on the way."""

    X: object  # DataFrame
    y: np.ndarray
    dropped: list = field(default_factory=list)  # (what, why) for the summary

    def kinds(self):
        """Feature columns by kind: numeric or categorical (strings, booleans, categories)."""
        numeric = [c for c in self.X.columns if _is_numeric(self.X[c])]
        return {"numeric": numeric, "categorical": [c for c in self.X.columns if c not in numeric]}


def _is_numeric(column):
    return column.dtype.kind in "iuf"


def read_table(path, target):
    """The features and the target of the table at ``path``.

    Unnamed index columns, rows without a target and columns with no value at
    all are dropped, each with a warning; a column of distinct strings (an
    identifier, which no model can learn from) is dropped the same way.
    """
    frame = read_frame(path)
    if target not in frame.columns:
        raise TableError(
            f"column {target!r} is not in {path}; its columns are {list(map(str, frame.columns))}. "
            "Name the column of class labels with --target."
        )
    dropped = []
    for name in list(frame.columns):
        if name != target and _is_index_column(name, frame[name]):
            dropped.append((f"column {name!r}", "a row number written with the index"))
            frame = frame.drop(columns=name)
    missing_target = frame[target].isna()
    if missing_target.any():
        dropped.append((f"{int(missing_target.sum())} rows", f"no value in {target!r}"))
        frame = frame.loc[~missing_target]
    if len(frame) == 0:
        raise TableError(f"{path} has no row with a value in {target!r}")
    X = frame.drop(columns=target)
    for name in X.columns:
        _check_not_mostly_numbers(name, X[name])
    for name in list(X.columns):
        column = X[name]
        if column.isna().all():
            dropped.append((f"column {name!r}", "no value in any row"))
        elif not _is_numeric(column) and column.dtype.kind != "b" and len(X) > 20 \
                and column.nunique() == len(X):
            dropped.append((f"column {name!r}", "a different string in every row (an identifier)"))
        else:
            continue
        X = X.drop(columns=name)
    if X.shape[1] == 0:
        raise TableError(f"{path} has no feature column besides {target!r}")
    X = X.rename(columns=str)
    y = frame[target].astype(str).to_numpy()
    if np.unique(y).size < 2:
        raise TableError(f"column {target!r} holds one class ({y[0]!r}); a classifier needs two")
    for what, why in dropped:
        warnings.warn(f"{path}: dropped {what}: {why}", UserWarning, stacklevel=2)
    return Table(_as_features(X), y, dropped)


def _check_not_mostly_numbers(name, column):
    """A column of numbers with a few words in it is a typo, not a category."""
    if _is_numeric(column) or column.dtype.kind == "b":
        return
    values = column.dropna().astype(str)
    numbers = _pandas().to_numeric(values, errors="coerce")
    words = values[numbers.isna()]
    if len(values) and 0 < len(words) <= 0.1 * len(values):
        raise TableError(
            f"column {name!r} holds numbers and {len(words)} value(s) that are not: "
            f"{sorted(set(words))[:5]}. Write a missing value as an empty cell or nan, "
            "or fix the value."
        )


def _as_features(X):
    """Categorical columns as Python objects with NaN for missing (what SimpleImputer
    and OneHotEncoder take); booleans as categories, not numbers."""
    X = X.copy()
    for name in X.columns:
        if not _is_numeric(X[name]):
            column = X[name].astype(object)
            X[name] = column.where(column.notna(), np.nan).map(
                lambda value: value if isinstance(value, float) else str(value)
            )
    return X


def read_features(path, columns):
    """The rows of a table to predict: the columns a model was fitted on, by name."""
    frame = read_frame(path)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise TableError(
            f"{path} lacks the column(s) {absent} that the model was fitted on; "
            f"its columns are {list(map(str, frame.columns))}"
        )
    return _as_features(frame[list(columns)])


def summary(table, path, target):
    """Lines describing the table: rows, columns by kind, classes, missing values."""
    kinds = table.kinds()
    classes, counts = np.unique(table.y, return_counts=True)
    lines = [f"Table {path}: {len(table.y)} rows, target {target!r}"]
    for what, why in table.dropped:
        lines.append(f"  dropped {what}: {why}")
    for kind, columns in kinds.items():
        lines.append(f"  {kind} features ({len(columns)}): {', '.join(columns) or '-'}")
    lines.append(
        f"  classes ({classes.size}): "
        + ", ".join(f"{c} {n}" for c, n in zip(classes, counts))
    )
    missing = table.X.isna().sum()
    missing = missing[missing > 0]
    lines.append(
        "  missing values: "
        + (", ".join(f"{c} {n}" for c, n in missing.items()) if len(missing) else "none")
    )
    return lines


def preprocessor(kinds):
    """The ColumnTransformer for columns of these kinds (see the module docstring)."""
    parts = []
    if kinds["numeric"]:
        parts.append(
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
             kinds["numeric"])
        )
    if kinds["categorical"]:
        parts.append(
            ("categorical",
             make_pipeline(SimpleImputer(strategy="most_frequent"),
                           OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
             kinds["categorical"])
        )
    return ColumnTransformer(parts, remainder="drop")
