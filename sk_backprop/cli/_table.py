"""A user's table for the command line: read, cleaned, summarised, preprocessed.

``read_table`` reads a table with pandas (the ``cli`` extra; ``_read.TableFile``:
delimited text, plain or compressed, or Parquet, whatever its name) and returns
the features as a DataFrame and the target as strings, having refused a target
that is not a classification target and dropped, each with a note, what is not
data: an index or row-id column, rows without a target, columns that repeat the
target, empty columns, free text and identifiers (``_columns``, which also turns
dates into numbers). ``read_features`` reads a table to predict and checks it as
training did. ``preprocessor`` builds, from the column kinds, the
ColumnTransformer that every model of the command line's table gets: numeric
columns imputed by their median and standardised, categorical and boolean ones
imputed by their most frequent value and one-hot encoded (a category unseen in
training is ignored).
"""

import difflib
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.multiclass import type_of_target

from . import _columns
from ._read import FORMATS, SEPARATORS, TableError, TableFile
from ._read import pandas as _pandas

__all__ = ["FORMATS", "TableError"]  # (re-exported: the command line's errors and formats)

# Column names that are row identifiers, compared lower-cased ("rownames" is what
# R's write.csv and the R data sets in Python packages call it).
ROW_ID_NAMES = {
    "",
    "rownames",
    "row.names",
    "row_names",
    "id",
    "index",
    "row",
    "rowid",
    "row_id",
    "row id",
}


def _is_row_id_column(name, column):
    """An index or row-id column: named as one (``Unnamed: 0``, ``rownames``, ``id``)
    and holding distinct values, or integers counting 0, 1, 2, ... or 1, 2, 3, ...
    (unnamed: over 20 rows)"""
    label = _header(name).strip().lower()  # "rownames.1": pandas' name for a repeat
    named = label in ROW_ID_NAMES or label.startswith("unnamed: ")
    if column.dtype.kind in "iu" and (named or len(column) > 20):  # a short count may be data
        values = column.to_numpy()
        if np.array_equal(values, np.arange(len(values))) or np.array_equal(
            values, np.arange(1, len(values) + 1)
        ):
            return True
    return named and len(column) > 1 and column.notna().all() and column.nunique() == len(column)


def _repeats_target(name, column, target, target_column):
    """A column that is the target again: the same header but for the ``.1`` that
    pandas adds to a repeated one (whichever of the two is the target), or the same
    value in every row where it has one, in most rows (numbers as numbers: a repeat
    with a missing value is read as floats, 1.0 where the target has 1)."""
    if _header(name) == _header(target):
        return True
    present = column.notna()
    if present.sum() <= len(column) / 2:  # mostly missing: agreeing rows may be chance
        return False
    values, targets = column[present], target_column[present]
    if _is_numeric(values) and _is_numeric(targets):
        return bool((values.astype(float) == targets.astype(float)).all())
    return bool((values.astype(str).str.strip() == targets.astype(str).str.strip()).all())


def _header(name):
    """A column's header without the ``.N`` pandas adds to a repeated header."""
    head, dot, number = str(name).rpartition(".")
    return head if dot and head and number.isdigit() else str(name)


@dataclass
class Table:
    """Features and target of a table, and what was dropped from it on the way."""

    X: object  # DataFrame
    y: np.ndarray
    dropped: list = field(default_factory=list)  # (what, why) for the summary
    notes: list = field(default_factory=list)  # what else was done, in a sentence

    def kinds(self):
        """Feature columns by kind: numeric or categorical (strings, booleans, categories)."""
        numeric = [c for c in self.X.columns if _is_numeric(self.X[c])]
        return {"numeric": numeric, "categorical": [c for c in self.X.columns if c not in numeric]}


def _is_numeric(column):
    return column.dtype.kind in "iuf"


def _no_such_column(path, target, frame):
    columns = list(map(str, frame.columns))
    message = f"column {target!r} is not in {path}; its columns are {columns[:30]}"
    lowered = {c.lower(): c for c in columns}
    near = [lowered[c] for c in difflib.get_close_matches(str(target).lower(), lowered, n=1)]
    if near:
        message += f". Did you mean {near[0]!r}?"
    elif len(columns) == 1:
        found = [name for sep, name in SEPARATORS.items() if sep in columns[0]]
        if found:
            message += (
                f". The file was read as one column, but its header holds a {found[0]}: "
                "is that its separator?"
            )
    return TableError(message + " Name the column of class labels with --target.")


def check_classification_target(path, target, values):
    """Refuse a target that is not one of classes, in scikit-learn's words."""
    kind = type_of_target(values.to_numpy())
    if kind == "continuous":
        examples = ", ".join(f"{v:g}" for v in values.drop_duplicates().iloc[:5])
        raise TableError(
            f"column {target!r} of {path} is a continuous target (type_of_target: 'continuous', "
            f"{values.nunique()} distinct float values such as {examples}): this command "
            "line trains classifiers. Choose a column of class labels, or bin the values first."
        )


def check_enough_rows_per_class(y, target, folds, inner_folds):
    """Every class needs a row in each outer fold and in each inner fold of the search."""
    classes, counts = np.unique(y, return_counts=True)
    needed = max(folds, -(-inner_folds * folds // (folds - 1)))
    rare = counts < needed
    if rare.any():
        shown = ", ".join(f"{c!r} ({n})" for c, n in list(zip(classes[rare], counts[rare]))[:5])
        raise TableError(
            f"column {target!r}: {int(rare.sum())} of its {classes.size} classes have fewer than "
            f"{needed} rows ({shown}{', ...' if rare.sum() > 5 else ''}), the least that "
            f"{folds}-fold cross-validation around the {inner_folds}-fold search can score. "
            "Merge or drop the rare classes, or lower --folds."
        )


def read_table(path, target, drop=()):
    """The features and the target of the table at ``path``, without the columns
    ``drop`` (``--drop``).

    A continuous target is refused. Index and row-id columns, columns that repeat
    the target, rows without a target and columns with no value at all are
    dropped, each with a warning; so is a text column with distinct values in most
    rows (free text or an identifier, which no model can learn from). Dates become
    numbers (``_columns``).
    """
    table_file = TableFile(path)
    frame = table_file.frame()
    if target not in frame.columns:
        raise _no_such_column(path, target, frame)
    dropped, notes = [], []
    absent = [name for name in drop if name not in frame.columns or name == target]
    if absent:
        raise TableError(
            f"--drop {absent[0]!r}: "
            + ("that is the target" if absent[0] == target else f"no such column in {path}")
        )
    frame = frame.drop(columns=list(drop))
    dropped.extend((f"column {name!r}", "--drop") for name in drop)
    frame, kept = _missing_labels_kept(table_file, frame, target)
    if kept:
        notes.append(kept)
    for name in list(frame.columns):  # before any row goes, so a row count is still one
        if name != target and _is_row_id_column(name, frame[name]):
            dropped.append(
                (f"column {name!r}", "a row number or identifier, not a property of the row")
            )
            frame = frame.drop(columns=name)
    missing_target = frame[target].isna()
    if missing_target.any():
        dropped.append((f"{int(missing_target.sum())} rows", f"no value in {target!r}"))
        frame = frame.loc[~missing_target]
    if len(frame) == 0:
        raise TableError(f"{path} has no row with a value in {target!r}")
    check_classification_target(path, target, frame[target])
    hint = _columns.target_hint(target, frame[target])
    if hint:
        notes.append(hint)
    X = frame.drop(columns=target)
    for name in list(X.columns):
        column = X[name]
        if _repeats_target(name, column, target, frame[target]):
            why = f"it repeats the target {target!r} (a model would only copy it)"
        elif column.isna().all():
            why = "no value in any row"
        else:
            _check_not_mostly_numbers(name, column)
            if _columns.is_date_column(column):
                X = _columns.expand_date(X, name)
                notes.append(
                    f"dates in {name!r} became the numbers "
                    f"{', '.join(_columns.date_columns(str(name)))} (Monday is 0)"
                )
                continue
            distinct = column.nunique()
            if not _columns.mostly_distinct(column, len(X)):
                if _columns.is_text(column) and distinct > _columns.WIDE:
                    notes.append(
                        f"{name!r} has {distinct} distinct values: one-hot encoding adds "
                        f"{distinct} columns, and fits are slower; if it is an identifier, "
                        f"leave it out with --drop {name}"
                    )
                continue
            why = (
                "a different string in every row (an identifier)"
                if distinct == len(X)
                else f"text with {distinct} distinct values in {len(X)} rows (free text or "
                "an identifier: one-hot encoding would add a column per value)"
            )
        dropped.append((f"column {name!r}", why))
        X = X.drop(columns=name)
    if X.shape[1] == 0:
        raise TableError(f"{path} has no feature column besides {target!r}")
    X = X.rename(columns=str)
    y = frame[target].astype(str).to_numpy()
    if np.unique(y).size < 2:
        raise TableError(f"column {target!r} holds one class ({y[0]!r}); a classifier needs two")
    for what, why in dropped:
        warnings.warn(f"{path}: dropped {what}: {why}", UserWarning, stacklevel=2)
    for note in notes:
        warnings.warn(f"{path}: {note}", UserWarning, stacklevel=2)
    return Table(_as_features(X), y, dropped, notes)


# Words pandas reads as missing that can be class labels of a text target (a region
# "NA", an answer "None"); "nan", "NaN", "#N/A", "<NA>" and empty cells are what
# programs write for a missing value, and stay missing.
WORDS_KEPT_AS_LABELS = {"NA", "N/A", "n/a", "None", "NULL", "null"}


def _missing_labels_kept(table_file, frame, target):
    """The frame with the target's ``NA``, ``None``, ``null``... kept as labels when
    the target is text (pandas reads them as missing), and a note saying so; a
    numeric target keeps them missing. Parquet has real missing values: unchanged."""
    if table_file.parquet or not frame[target].isna().any():
        return frame, None
    text = table_file.column_as_text(list(frame.columns).index(target))
    words = frame[target].isna() & text.isin(WORDS_KEPT_AS_LABELS)
    if not words.any() or _is_numeric(frame[target]):
        return frame, None
    frame = frame.assign(**{target: frame[target].where(~words, text)})
    values = sorted(set(text[words]))
    return frame, (
        f"kept {', '.join(map(repr, values[:5]))} in {target!r} ({int(words.sum())} rows) as "
        "class labels, since the target is text (pandas would read them as missing; "
        "if they mean a missing label, remove those rows)"
    )


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


def read_features(path, columns, numeric, n_features=None):
    """The rows of a table to predict, checked as training checked its table.

    Returns ``(X, row_ids, notes)``: the columns the model was fitted on, by name;
    the input's row identifiers (its row-id column, or the row number from 0); and
    notes about extra columns. A column fitted as numeric must hold numbers (or
    be empty), never a word or an infinity. A model fitted on an array
    (``columns`` None) takes the table's ``n_features`` columns in their order
    (a row-id column aside), all numbers.
    """
    pd = _pandas()
    frame = TableFile(path).frame()
    if len(frame) == 0:
        raise TableError(f"{path} has a header but no row to predict")
    if columns is None:
        columns = [c for c in frame.columns if not _is_row_id_column(c, frame[c])]
        if len(columns) != n_features:
            raise TableError(
                f"{path} has {len(columns)} feature columns and the model was fitted on "
                f"{n_features} (an array, without column names: they are taken in order)"
            )
        numeric = columns
    frame = _columns.derive_dates(frame, set(columns))
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise TableError(
            f"{path} lacks the column(s) {absent} that the model was fitted on; "
            f"its columns are {list(map(str, frame.columns))[:30]}"
        )
    extra = [c for c in frame.columns if c not in set(columns)]
    ids = next((c for c in extra if _is_row_id_column(c, frame[c])), None)
    notes = []
    if [c for c in extra if c != ids]:
        notes.append(
            f"{path}: ignored the column(s) {[str(c) for c in extra if c != ids][:10]}, "
            "which the model was not fitted on"
        )
    X = frame[list(columns)]
    for name in numeric:
        column = X[name]
        if not _is_numeric(column):
            values = column.dropna().astype(str)
            words = values[pd.to_numeric(values, errors="coerce").isna()]
            if len(words):
                raise TableError(
                    f"column {name!r} of {path} was numeric in training but holds "
                    f"{sorted(set(words))[:5]}; write a missing value as an empty cell"
                )
            column = pd.to_numeric(column)
            X = X.assign(**{name: column})
        infinite = np.isinf(column.to_numpy(dtype=float))
        if infinite.any():
            raise TableError(
                f"column {name!r} of {path} holds an infinite value in {int(infinite.sum())} "
                f"row(s) (first: row {int(np.flatnonzero(infinite)[0])}); a model can only "
                "answer finite numbers or empty cells"
            )
    row_ids = frame[ids] if ids is not None else pd.Series(np.arange(len(frame)), name="row")
    return _as_features(X), row_ids, notes


def summary(table, path, target):
    """Lines describing the table: rows, columns by kind, classes, missing values."""
    kinds = table.kinds()
    classes, counts = np.unique(table.y, return_counts=True)
    lines = [f"Table {path}: {len(table.y)} rows, target {target!r}"]
    for what, why in table.dropped:
        lines.append(f"  dropped {what}: {why}")
    lines.extend(f"  {note}" for note in table.notes)
    for kind, columns in kinds.items():
        lines.append(f"  {kind} features ({len(columns)}): {', '.join(columns) or '-'}")
    shown = ", ".join(f"{c} {n}" for c, n in zip(classes[:20], counts[:20]))
    lines.append(f"  classes ({classes.size}): {shown}{', ...' if classes.size > 20 else ''}")
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
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                kinds["numeric"],
            )
        )
    if kinds["categorical"]:
        parts.append(
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                kinds["categorical"],
            )
        )
    return ColumnTransformer(parts, remainder="drop")
