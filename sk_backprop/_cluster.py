"""Data on a Dask cluster: checked, encoded and persisted once, then one map-reduce
per evaluation of the objective.

``parts`` cuts dask collections into aligned row parts; ``ChunkSet`` holds one
persisted future per part (a tuple ``(X_i, targets_i, weights_i)``) and maps a
function over them with one task per worker thread, over the chunks that worker
holds, pinned to it: no byte of ``X`` crosses the network after it is persisted.
The results come back in chunk order, whatever the placement, so sums over them
round the same however the data is spread, retried or recomputed.
``ClusterObjective`` is ``_network.Objective``'s interface on such a set (the
solvers see no difference); ``ClusterValidation`` is early stopping's score.

The functions that run on the workers (``check_part``, ``encode_part``, ...) are
pure functions of one part: arrays in, arrays out, as the numeric core's.
"""

import math
import operator

import numpy as np
from sklearn.utils.validation import check_array

from ._compat import _check_sample_weight
from ._inputs import SPARSE_FORMATS, check_targets, is_dask_collection
from ._network import objective_and_gradient, output_hessians, predict_logits

# How often (seconds) a waiting evaluation checks that the workers it is pinned to
# are alive; a task pinned to a worker that left would otherwise wait for ever.
POLL_SECONDS = 0.5


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


def parts(X, *aligned, names=("y", "sample_weight")):
    """The delayed row parts of ``X`` and of each of ``aligned`` (None stays None),
    one list per argument, in row order, part ``i`` of each holding the same rows.

    Dask arrays are cut by their row chunks (columns in one chunk), DataFrames
    and Series by their partitions. A NumPy array beside a dask array is cut by
    that array's row chunks; beside a collection of unknown chunk sizes it cannot
    be, and is refused.
    """
    import dask.array as da

    X_parts, row_chunks = _parts_of(X, "X")
    lists = [X_parts]
    for value, name in zip(aligned, names):
        if value is None:
            lists.append([None] * len(X_parts))
            continue
        if not is_dask_collection(value):
            if row_chunks is None:
                raise ValueError(
                    f"{name} is not a dask collection and X has unknown chunk sizes, so "
                    f"{name} cannot be cut as X is: give {name} as a dask collection with "
                    "X's partitions (e.g. a column of the same dask DataFrame)."
                )
            value = np.asarray(value)
            value = da.from_array(value, chunks=(row_chunks,) + value.shape[1:])
        if isinstance(value, da.Array) and row_chunks is not None and not any(
                math.isnan(size) for size in value.chunks[0]):
            if value.shape[0] != sum(row_chunks):
                raise ValueError(
                    "Found input variables with inconsistent numbers of samples: "
                    f"[{sum(row_chunks)}, {value.shape[0]}]"
                )
            value = value.rechunk((row_chunks,) + tuple((-1,) * (value.ndim - 1)))
        value_parts, _ = _parts_of(value, name)
        if len(value_parts) != len(X_parts):
            raise ValueError(
                f"X has {len(X_parts)} row chunks (partitions) and {name} "
                f"{len(value_parts)}: a dask {name} must be partitioned as X is."
            )
        lists.append(value_parts)
    return lists


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
    """One part checked as ``validate_data`` checks all of ``X`` and ``y``
    (the in-memory estimator's errors), plus its summary.

    Returns ``(X, y, weights)`` and a dict: rows, the labels and their counts (1-D
    ``y``), the number of labels (2-D), and the largest weight of each label.
    """
    X = check_array(
        X, accept_sparse=SPARSE_FORMATS, dtype=dtype, ensure_min_samples=0,
        estimator=estimator_name, input_name="X",
    )
    y = check_array(
        y, accept_sparse=False, ensure_2d=False, dtype=None, ensure_min_samples=0,
        estimator=estimator_name, input_name="y",
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
        weights = _check_sample_weight(
            np.asarray(sample_weight), X, dtype=np.float64, ensure_non_negative=True
        )
        if not np.isfinite(weights).all():
            raise ValueError("sample_weight must be finite; it contains NaN or infinity.")
    summary = {"rows": X.shape[0], "features": X.shape[1], **_label_summary(y, weights)}
    return (X, y, weights), summary


def _label_summary(y, weights):
    if y.ndim == 2:
        return {"labels": None, "n_labels": y.shape[1],
                "weight_max": [float(weights.max()) if weights is not None and weights.size
                               else 1.0 if y.shape[0] else 0.0]}
    labels, index, counts = np.unique(y, return_inverse=True, return_counts=True)
    if weights is None:
        weight_max = np.ones(labels.size)
    else:
        weight_max = np.zeros(labels.size)
        np.maximum.at(weight_max, index.ravel(), weights)
    return {"labels": labels, "counts": counts, "n_labels": None, "weight_max": weight_max}


def encode_part(checked, *, classes, multilabel, class_weights, exponents, dtype):
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
        parts = (array.data, array.indices, array.indptr)
        return array if all(part.flags.aligned for part in parts) else array.copy()
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
    groups = [order] if not stratify else [
        order[targets[order] == label] for label in np.unique(targets)
    ]
    held = np.concatenate(
        [rows[: int(math.floor(fraction * rows.size + rng.random()))] for rows in groups]
        or [np.zeros(0, dtype=int)]
    )
    keep = np.ones(X.shape[0], dtype=bool)
    keep[held] = False
    training, validation = np.flatnonzero(keep), np.sort(held)
    return tuple(
        (X[rows], targets[rows], weights[rows]) for rows in (training, validation)
    )


def part_counts(chunk, n_outputs, multilabel):
    """Rows, weight sum (float64) and, for class targets, the rows of each class."""
    _, targets, weights = chunk
    counts = None if multilabel else np.bincount(targets, minlength=max(n_outputs, 2))
    return targets.shape[0], float(np.add.reduce(weights, dtype=np.float64)), counts


def part_objective(chunk, theta, layout, loss, weight_sum):
    """The part's share of ``J``'s data term and of its gradient (no penalty)."""
    X, targets, weights = chunk
    theta = aligned(theta)
    with np.errstate(under="ignore"):
        return objective_and_gradient(theta, X, targets, weights, layout=layout, loss=loss,
                                      alpha=0.0, weight_sum=weight_sum)


def part_hessians(chunk, theta, layout, loss, weight_sum):
    X, targets, weights = chunk
    theta = aligned(theta)
    with np.errstate(under="ignore"):
        return output_hessians(theta, X, targets, weights, layout=layout, loss=loss,
                               alpha=0.0, weight_sum=weight_sum)


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
    return (float(np.add.reduce(weights * correct, dtype=np.float64)),
            float(np.add.reduce(weights, dtype=np.float64)))


def _apply(function, indices, args, *chunks):
    """What one pinned task runs: ``function`` on each of its chunks."""
    return [(index, function(chunk, *args)) for index, chunk in zip(indices, chunks)]


# ------------------------------------------------------------- on the client


class ChunkSet:
    """One persisted future per part, and map-reduces over them.

    Parameters
    ----------
    client : distributed.Client
    futures : list of Future
        In chunk order; each holds one part's tuple.
    """

    def __init__(self, client, futures):
        self.client = client
        self.futures = list(futures)

    def __len__(self):
        return len(self.futures)

    def map(self, function, *args):
        """``[function(chunk, *args) for each chunk]``, in chunk order.

        One task per worker thread, over a run of the chunks that worker holds,
        pinned to it (``allow_other_workers=False``: work stealing would move the
        chunks instead). If a worker leaves while the tasks wait, they are
        cancelled and submitted again once the scheduler has recomputed its chunks
        from their lineage; the results are the same numbers.
        """
        while True:
            tasks, workers = self._submit(function, args)
            pairs = self._wait(tasks, workers)
            if pairs is not None:
                return [value for _, value in pairs]

    def _submit(self, function, args):
        from distributed import wait

        while True:
            wait(self.futures)  # a chunk lost with a worker is recomputed first
            who_has = self.client.who_has(self.futures)
            holders = [sorted(who_has.get(future.key, ())) for future in self.futures]
            if all(holders):
                break
        nthreads = self.client.nthreads()
        by_worker = {}
        for index, held_by in enumerate(holders):
            by_worker.setdefault(held_by[0], []).append(index)
        tasks = []
        for worker, indices in by_worker.items():
            n_tasks = max(1, min(nthreads.get(worker, 1), len(indices)))
            for group in np.array_split(np.asarray(indices), n_tasks):
                group = group.tolist()
                tasks.append(self.client.submit(
                    _apply, function, group, args, *(self.futures[i] for i in group),
                    workers=[worker], allow_other_workers=False, pure=False,
                ))
        return tasks, set(by_worker)

    def _wait(self, tasks, workers):
        """The ``(index, result)`` pairs in chunk order, or None when a worker they are pinned
        to has left (they are then cancelled)."""
        from distributed import wait

        while True:
            try:
                wait(tasks, timeout=POLL_SECONDS)
            except TimeoutError:
                if workers <= set(self.client.nthreads()):
                    continue
                self.client.cancel(tasks)
                return None
            pairs = [pair for batch in self.client.gather(tasks) for pair in batch]
            return sorted(pairs, key=operator.itemgetter(0))

    def release(self):
        """Let the cluster forget every chunk (idempotent)."""
        futures, self.futures = self.futures, []
        for future in futures:
            future.release()


class ClusterObjective:
    """``J`` and its gradient over a ``ChunkSet`` of training parts, with the
    interface of ``_network.Objective`` (the full batch only).

    Each part returns its data term and gradient, normalised by the whole set's
    weight sum; the client adds them in chunk order in float64, then the penalty,
    as ``objective_and_gradient`` does.
    """

    def __init__(self, chunks, *, n_samples, weight_sum, layout, loss, alpha):
        self.chunks, self.n_samples, self.weight_sum = chunks, n_samples, weight_sum
        self.layout, self.loss, self.alpha = layout, loss, alpha

    @property
    def work(self):
        return self.n_samples * self.layout.n_coefs

    def __call__(self, theta, rows=None):
        if rows is not None:
            raise NotImplementedError(
                "A ClusterObjective evaluates all rows: mini-batches are "
                "dask_ml.wrappers.Incremental's."
            )
        shares = self.chunks.map(part_objective, theta, self.layout, self.loss, self.weight_sum)
        data_term = 0.0
        gradient = np.zeros(theta.shape, dtype=np.float64)
        for value, part_gradient in shares:
            data_term += value
            gradient += part_gradient
        penalised = theta[: self.layout.n_coefs]
        objective = data_term + 0.5 * self.alpha * float(np.vdot(penalised, penalised))
        gradient[: self.layout.n_coefs] += self.alpha * penalised
        return objective, gradient.astype(theta.dtype, copy=False)

    def hessians(self, theta):
        """``output_hessians`` summed over the parts, in chunk order."""
        shares = self.chunks.map(part_hessians, theta, self.layout, self.loss, self.weight_sum)
        hessians = [np.zeros_like(hessian) for hessian in shares[0]]
        for share in shares:
            for total, part in zip(hessians, share):
                total += part
        n_features = self.layout.shapes[0][0]
        for hessian in hessians:
            hessian[np.arange(n_features), np.arange(n_features)] += self.alpha
        return hessians

    def to_device(self, theta, copy=False):
        return theta.copy() if copy else theta


class ClusterValidation:
    """Early stopping's score on held-out parts on the cluster: the weighted
    accuracy, a map-reduce of the weight of the rows predicted right."""

    def __init__(self, chunks, layout, multilabel):
        self.chunks, self.layout, self.multilabel = chunks, layout, multilabel

    def score(self, theta):
        pairs = self.chunks.map(part_correct, theta, self.layout, self.multilabel)
        correct = sum(pair[0] for pair in pairs)
        total = sum(pair[1] for pair in pairs)
        return correct / total
