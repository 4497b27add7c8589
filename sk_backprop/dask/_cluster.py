"""Data on a Dask cluster, part by part: the row parts, and what runs on the workers.

``parts`` cuts dask collections into aligned row parts. ``_chunks.ChunkSet`` holds
one persisted future per part (a tuple ``(X_i, targets_i, weights_i)``) and maps the
functions of this module over them with one task per worker thread, over the
chunks that worker holds, pinned to it: no byte of ``X`` crosses the network after
it is persisted. The results come back in chunk order, whatever the placement, so
sums over them round the same however the data is spread, retried or recomputed.
``_data.ClusterObjective`` evaluates ``J`` with them (the solvers see no
difference) and ``_data.ClusterValidation`` early stopping's score.

The functions that run on the workers (``check_part``, ``encode_part``, ...) are
pure functions of one part: arrays in, arrays out, as the numeric core's.
"""

import math

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

from .._compat import check_part_weights
from .._core.network import data_hessians, data_term_and_gradient, predict_logits
from .._inputs import SPARSE_FORMATS, check_targets, is_dask_collection


def current_client(estimator_name):
    """The ``distributed`` client of this process, or a ValueError that says how."""
    try:
        from distributed import default_client

        return default_client()
    except ValueError as error:
        raise ValueError(
            f"{estimator_name} trains on the cluster of a dask.distributed Client, and "
            "there is none in this process. Start one first, e.g. `from distributed "
            "import Client, LocalCluster; client = Client(LocalCluster())`, or connect "
            "to a running scheduler with `Client('tcp://scheduler-address:8786')`."
        ) from error


# ------------------------------------------------------------------ row parts


def parts(X, *columns, names=("y", "sample_weight")):
    """The delayed row parts of ``X`` and of each of ``columns`` (None stays None),
    one list per argument, in row order, part ``i`` of each holding the same rows.

    Dask arrays are cut by their row chunks (columns in one chunk), DataFrames
    and Series by their partitions. A NumPy array beside a dask array is cut by
    that array's row chunks; beside a collection of unknown chunk sizes it cannot
    be, and is refused.
    """
    import dask.array as da

    X_parts, row_chunks = _parts_of(X, "X")
    lists = [X_parts]
    for value, name in zip(columns, names):
        if value is None or (name.startswith("sample_weight") and np.ndim(value) == 0):
            lists.append([value] * len(X_parts))  # a scalar weight: every row's
            continue
        if not is_dask_collection(value):
            if row_chunks is None:
                raise ValueError(
                    f"{name} is not a dask collection and X has unknown chunk sizes, so "
                    f"{name} cannot be cut as X is: give {name} as a dask collection with "
                    "X's partitions (e.g. a column of the same dask DataFrame)."
                )
            value = np.asarray(value)
            if value.shape[0] != sum(row_chunks):
                _check_length(sum(row_chunks), value.shape[0], name)
            value = da.from_array(value, chunks=(row_chunks,) + value.shape[1:])
        if (
            isinstance(value, da.Array)
            and row_chunks is not None
            and not any(math.isnan(size) for size in value.chunks[0])
        ):
            if value.shape[0] != sum(row_chunks):
                _check_length(sum(row_chunks), value.shape[0], name)
            value = value.rechunk((row_chunks,) + tuple((-1,) * (value.ndim - 1)))
        value_parts, _ = _parts_of(value, name)
        if len(value_parts) != len(X_parts):
            raise ValueError(
                f"X has {len(X_parts)} row chunks (partitions) and {name} "
                f"{len(value_parts)}: a dask {name} must be partitioned as X is."
            )
        lists.append(value_parts)
    return lists


def _check_length(n_rows, n_values, name):
    """The in-memory error of a ``name`` of ``n_values`` rows beside an X of
    ``n_rows`` (raised by the same scikit-learn function, on stand-ins)."""
    X_rows, values = np.empty((n_rows, 0)), np.empty(n_values)
    if name.startswith("sample_weight"):
        check_part_weights(values, X_rows)
    check_consistent_length(X_rows, values)


def _parts_of(value, name):
    """``(delayed parts, row chunk sizes or None when unknown)`` of one collection."""
    import dask.array as da

    if isinstance(value, da.Array):
        if value.ndim not in (1, 2):
            raise ValueError(f"Expected a 1-D or 2-D dask array for {name}, got {value.ndim}-D.")
        if value.ndim == 2 and len(value.chunks[1]) > 1:
            value = value.rechunk({1: -1})
        row_chunks = value.chunks[0]
        known = not any(math.isnan(size) for size in row_chunks)
        return list(value.to_delayed().ravel()), row_chunks if known else None
    if hasattr(value, "npartitions") and hasattr(value, "to_delayed"):  # DataFrame, Series
        return list(value.to_delayed()), None  # a frame's metadata has no lengths
    raise TypeError(
        f"{name} must be a dask array, DataFrame or Series here, got {type(value).__name__}."
    )


# ------------------------------------------------------------ on the workers


def check_part(X, y, sample_weight, *, dtype, estimator_name):
    """One part checked as ``validate_data`` checks all of ``X`` and ``y`` (the
    in-memory estimator's errors): ``(X, y, weights)``, weights float64 or None."""
    X = check_array(
        X,
        accept_sparse=SPARSE_FORMATS,
        dtype=dtype,
        ensure_min_samples=0,
        estimator=estimator_name,
        input_name="X",
    )
    y = check_array(
        y,
        accept_sparse=False,
        ensure_2d=False,
        dtype=None,
        ensure_min_samples=0,
        estimator=estimator_name,
        input_name="y",
    )
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y are not aligned: a part of X has {X.shape[0]} rows and the same part "
            f"of y {y.shape[0]}. Partition y as X."
        )
    if y.size:
        y = check_targets(y)
    weights = None
    if sample_weight is not None:
        scalar = np.ndim(sample_weight) == 0  # scikit-learn's check takes a number as it is
        weights = check_part_weights(sample_weight if scalar else np.asarray(sample_weight), X)
        if not np.isfinite(weights).all():
            raise ValueError("sample_weight must be finite; it contains NaN or infinity.")
    return X, y, weights


def part_summary(chunk):
    """What the client learns of a checked part: its rows, its labels and their
    counts (1-D ``y``) or its number of labels (2-D), and the largest weight of
    each label."""
    X, y, weights = chunk
    return {"rows": X.shape[0], "features": X.shape[1], **_label_summary(y, weights)}


def _label_summary(y, weights):
    if y.ndim == 2:
        return {
            "labels": None,
            "n_labels": y.shape[1],
            "weight_max": [
                float(weights.max())
                if weights is not None and weights.size
                else 1.0
                if y.shape[0]
                else 0.0
            ],
        }
    labels, index, counts = np.unique(y, return_inverse=True, return_counts=True)
    if weights is None:
        weight_max = np.ones(labels.size)
    else:
        weight_max = np.zeros(labels.size)
        np.maximum.at(weight_max, index.ravel(), weights)
    return {"labels": labels, "counts": counts, "n_labels": None, "weight_max": weight_max}


def encode_part(checked, index, *, classes, multilabel, class_weights, exponents, dtype):
    """The part's ``(X, targets, weights)`` as the in-memory fit encodes them:
    class indices (or the indicator matrix), and ``s_i`` = sample_weight x
    class_weight, rescaled by the powers of two of the whole set (``exponents``,
    as ``_inputs.rescaled``), in ``X``'s dtype."""
    X, y, weights = checked
    X = aligned(X)
    first, second = exponents
    if multilabel:
        targets = np.asarray(y, dtype=dtype)
    else:
        targets = np.searchsorted(classes, y)
    weights = np.ones(X.shape[0]) if weights is None else weights
    weights = np.ldexp(weights, -first)
    if class_weights is not None:
        weights = np.ldexp(weights * class_weights[targets], -second)
    return X, targets, weights.astype(dtype)


def aligned(array):
    """``array``, or an aligned copy if its data are not aligned to their itemsize.

    Arrays deserialized from a message (a chunk scattered or recomputed from a
    graph) may start at any byte, and OpenBLAS rounds misaligned data differently:
    the same chunk gave gradients differing in the last bits on two workers. Aligned,
    a chunk's sums are the same numbers wherever and whenever it is evaluated.
    """
    if hasattr(array, "format"):  # sparse: its three arrays
        arrays = (array.data, array.indices, array.indptr)
        return array if all(each.flags.aligned for each in arrays) else array.copy()
    return array if array.flags.aligned else np.array(array, order="K")


def hold_out_part(chunk, index, *, fraction, seed, stratify):
    """Early stopping's split of one part: ``(training, held_out)`` tuples.

    Each part holds out, of each class (without stratification, of its rows), a
    random ``fraction`` of its rows: ``floor(fraction * m + u)`` of ``m`` rows, ``u``
    uniform in [0, 1), so the expected share is exact however small the parts. The
    generator is seeded by the fit's seed and the part's index, never by where the
    part is.
    """
    X, targets, weights = chunk
    rng = np.random.default_rng([seed, index])
    order = rng.permutation(X.shape[0])
    groups = (
        [order]
        if not stratify
        else [order[targets[order] == label] for label in np.unique(targets)]
    )
    held = np.concatenate(
        [rows[: int(math.floor(fraction * rows.size + rng.random()))] for rows in groups]
        or [np.zeros(0, dtype=int)]
    )
    keep = np.ones(X.shape[0], dtype=bool)
    keep[held] = False
    training, validation = np.flatnonzero(keep), np.sort(held)
    return tuple((X[rows], targets[rows], weights[rows]) for rows in (training, validation))


def part_of(value, index, *, part):
    """``value[part]``: one of the tuples a chunk's task returned."""
    return value[part]


def part_counts(chunk, n_outputs, multilabel):
    """Rows, weight sum (float64) and, for class targets, the rows of each class."""
    _, targets, weights = chunk
    counts = None if multilabel else np.bincount(targets, minlength=max(n_outputs, 2))
    return targets.shape[0], float(np.add.reduce(weights, dtype=np.float64)), counts


def part_objective(chunk, theta, layout, loss, weight_sum):
    """The part's share of ``J``'s data term and of its gradient (no penalty)."""
    return _of_part(data_term_and_gradient, chunk, theta, layout, loss, weight_sum)


def part_hessians(chunk, theta, layout, loss, weight_sum):
    """The part's share of the data term's Hessians (no penalty)."""
    return _of_part(data_hessians, chunk, theta, layout, loss, weight_sum)


def _of_part(function, chunk, theta, layout, loss, weight_sum):
    X, targets, weights = chunk
    with np.errstate(under="ignore"):
        return function(
            aligned(theta), X, targets, weights, layout=layout, loss=loss, weight_sum=weight_sum
        )


def part_correct(chunk, theta, layout, multilabel):
    """The weight of the part's rows the network predicts right, and of all."""
    X, targets, weights = chunk
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        logits = predict_logits(X, aligned(theta), layout)
    if multilabel:
        correct = ((logits > 0) == (targets > 0.5)).all(axis=1)
    elif logits.shape[1] == 1:
        correct = (logits[:, 0] > 0) == (targets == 1)
    else:
        correct = np.argmax(logits, axis=1) == targets
    return (
        float(np.add.reduce(weights * correct, dtype=np.float64)),
        float(np.add.reduce(weights, dtype=np.float64)),
    )


def _delayed_call(function, args, kwargs):
    """A new delayed ``function(*args, **kwargs)`` (a new key each call)."""
    import dask

    return dask.delayed(function, pure=False)(*args, **kwargs)


def _delayed_chunk(function, parent, index, kwargs):
    """A new delayed ``function(chunk, index, **kwargs)`` of the chunk ``parent()``
    builds (new keys all the way down to the user's collection)."""
    import dask

    return dask.delayed(function, pure=False)(parent(), index, **kwargs)


def _apply(function, indices, args, *chunks):
    """What one pinned task runs: ``function`` on each of its chunks."""
    return [(index, function(chunk, *args)) for index, chunk in zip(indices, chunks)]
