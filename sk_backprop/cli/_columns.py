"""The columns a user means: dates as numbers, free text left out, wide ones named.

* A text column of dates written year first (``2012-01-31`` or ``2012/01/31``,
  with a time or not, in at least 95% of its values; day-first and month-first
  dates are ambiguous and stay text) becomes three numeric columns,
  ``<name>_year``, ``<name>_month`` and ``<name>_weekday`` (Monday 0): a date is
  different in every row, and one-hot encoding it (or dropping it as an
  identifier) loses the seasons (seattle-weather: docs/getting_started.rst).
  ``--predict`` derives the same columns from the same column.
* A text column with distinct values in more than half its rows (free text, a
  title, an identifier) is dropped with a note: one-hot encoding would add a
  column per value, each seen once, which no model can learn from, and it made
  every fit slow (movies' ``title``, 99.6% distinct, made ours take 72-124 s a
  fold against 10 s for LogisticRegression).
* A text column kept with more than ``WIDE`` distinct values is named in the
  summary with its width: it may be an identifier (``--drop`` leaves it out).
* A numeric target with more than ``MANY_CLASSES`` distinct values is trained as
  that many classes, with a hint that it may be a measurement.
"""

import re

# Year first (unambiguous): 2012-01-31 or 2012/01/31, with a time or not
YEAR_FIRST_DATE = re.compile(
    r"^\d{4}([-/])\d{1,2}\1\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
DATE_PARTS = ("year", "month", "weekday")
DATE_SHARE = 0.95
MOSTLY_DISTINCT = 0.5
WIDE = 100
MANY_CLASSES = 20


def is_text(column):
    return column.dtype.kind not in "iufb"


def is_date_column(column):
    """Text whose values are ISO dates (at least DATE_SHARE of those present)."""
    if not is_text(column):
        return False
    values = column.dropna().astype(str).str.strip()
    return (
        len(values) > 0
        and values.map(lambda v: bool(YEAR_FIRST_DATE.match(v))).mean() >= DATE_SHARE
    )


def date_columns(name):
    return [f"{name}_{part}" for part in DATE_PARTS]


def expand_date(X, name):
    """``X`` with the date column ``name`` replaced by its year, month and weekday."""
    import pandas as pd

    dates = pd.to_datetime(X[name].astype(str).str.strip(), errors="coerce")
    dates = dates.where(X[name].notna())
    parts = {
        column: getattr(dates.dt, part if part != "weekday" else "day_of_week").astype(float)
        for column, part in zip(date_columns(name), DATE_PARTS)
    }
    position = list(X.columns).index(name)
    X = X.drop(columns=name)
    for offset, (column, values) in enumerate(parts.items()):
        X.insert(position + offset, column, values)
    return X


def mostly_distinct(column, rows):
    """Free text or an identifier: distinct text in more than half the rows (over 20)."""
    return is_text(column) and rows > 20 and column.nunique() > MOSTLY_DISTINCT * rows


def derive_dates(frame, features):
    """``frame`` with the date columns that ``features`` (a model's columns) were
    derived from expanded, as training expanded them."""
    for name in list(frame.columns):
        wanted = date_columns(str(name))
        if wanted[0] in features and wanted[0] not in frame.columns:
            frame = expand_date(frame, name)
    return frame


def target_hint(target, values):
    """A note when a numeric target has many distinct values, else None."""
    if is_text(values) or values.nunique() <= MANY_CLASSES:
        return None
    return (
        f"the target {target!r} is numeric with {values.nunique()} distinct values, each "
        "trained as a class: if it is a measurement (an age, a price), this command line "
        "is not the tool (it trains classifiers); bin it into a few classes first"
    )
