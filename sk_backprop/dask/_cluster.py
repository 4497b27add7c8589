"""Data on a Dask cluster: checked, encoded and persisted once, then one map-reduce
per evaluation of the objective.

``parts`` cuts dask collections into aligned row parts; ``ChunkSet`` holds one
persisted future per part (a tuple ``(X_i, targets_i, weights_i)``) and maps a
function over them with one task per worker thread, over the chunks that worker
holds, pinned to it: no byte of ``X`` crosses the network after it is persisted.
The results come back in chunk order, whatever the placement, so sums over them
round the same however the data is spread, retried or recomputed.
``_data.ClusterObjective`` evaluates ``J`` with them (the solvers see no
difference) and ``_data.ClusterValidation`` early stopping's score.

The functions that run on the workers (``check_part``, ``encode_part``, ...) are
pure functions of one part: arrays in, arrays out, as the numeric core's.
"""

import math
import operator
import time
from concurrent.futures import CancelledError
from functools import partial

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

from .._compat import check_part_weights
from .._core.network import data_hessians, data_term_and_gradient, predict_logits
from .._inputs import SPARSE_FORMATS, check_targets, is_dask_collection

# How often (seconds) a waiting evaluation checks that the workers it is pinned to
# are alive; a task pinned to a worker that left would otherwise wait for ever.
POLL_SECONDS = 0.5
# Times a chunk is computed again after losing its worker before the fit gives up: a
# chunk that kills every worker it lands on (memory) would otherwise loop for ever.
MAX_RECOMPUTE = 3
# Seconds a fit waits with no worker alive in the cluster before it gives up.
NO_WORKER_SECONDS = 60


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
    X, targets, weights = chunk
    theta = aligned(theta)
    with np.errstate(under="ignore"):
        return data_term_and_gradient(
            theta, X, targets, weights, layout=layout, loss=loss, weight_sum=weight_sum
        )


def part_hessians(chunk, theta, layout, loss, weight_sum):
    X, targets, weights = chunk
    theta = aligned(theta)
    with np.errstate(under="ignore"):
        return data_hessians(
            theta, X, targets, weights, layout=layout, loss=loss, weight_sum=weight_sum
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


def _persisted(parts, collection):
    """The future holding each delayed part of a persisted ``collection`` (a dask
    array's parts name its futures by key; a frame's hold them), or None."""
    from distributed import futures_of

    by_key = {future.key: future for future in futures_of(collection)}
    held = []
    for part in parts:
        own = futures_of(part)
        held.append(
            by_key.get(part.key)
            or next((future for future in own if future.key == part.key), own[0] if own else None)
        )
    return held


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


# ------------------------------------------------------------- on the client


class ChunkSet:
    """One persisted future per part, in chunk order, and map-reduces over them.

    Every task that reads a chunk runs on the worker that holds it, pinned there
    (``allow_other_workers=False``: the scheduler would otherwise move the chunk to
    an idle worker, and work stealing would too). A pinned task whose worker dies
    would wait for that worker for ever, so each chunk also keeps its lineage, a
    function that builds a ``dask.delayed`` expression of it from the user's
    collections, with new keys each time: a chunk stuck on (or lost with) a worker
    that left is computed again from it, unpinned, wherever the scheduler likes. New
    keys, because the scheduler keeps a pinned task that lost its worker under its
    old key, waiting for that worker; a recomputation under the same key would wait
    with it. The chunk is the same numbers wherever it is computed (``aligned``).
    Where the user's data cannot be computed again (scattered, not computed from a
    graph), the fit stops with an error that names the worker that left.

    Parameters
    ----------
    client : distributed.Client
    futures : list of Future
        In chunk order; each holds one part's tuple.
    lineage : list of callable
        ``lineage[i]()`` is a new ``dask.delayed`` expression of chunk ``i``.
    pinned : list of str or None
        The worker each future's task is restricted to (None: unrestricted).
    """

    def __init__(self, client, futures, lineage, pinned):
        self.client, self.futures = client, list(futures)
        self.lineage, self.pinned = list(lineage), list(pinned)
        self._placement = None  # (holder of each chunk, threads of each worker)
        self._recomputed = [0] * len(self.futures)
        self._lost_workers = set()  # the workers that left with chunks of this set
        self._no_worker_since = None

    @classmethod
    def compute(cls, client, function, parts, collection, **kwargs):
        """The chunks ``function(*parts[i], **kwargs)``, where ``parts[i]`` are the
        delayed row parts ``i`` of X (of ``collection``), y and the weights. Where X is
        persisted, chunk ``i`` is computed on the worker that holds X's part ``i``,
        pinned there (that one task: the user's own keys are never restricted, so the
        cluster can compute them again anywhere when a worker leaves); elsewhere where
        the scheduler likes."""
        lineage = [partial(_delayed_call, function, args, kwargs) for args in parts]
        held = _persisted([args[0] for args in parts], collection)
        who_has = client.who_has([future for future in held if future is not None])
        holders = [
            None if future is None else min(who_has.get(future.key, ()), default=None)
            for future in held
        ]
        futures = []
        for args, X_part, holder, build in zip(parts, held, holders, lineage):
            if holder is None:
                futures.append(client.compute(build()))
                continue
            # the part itself, or what it is computed from (a column selection of a
            # persisted frame, say): then computed where that is
            X_arg = X_part if X_part.key == args[0].key else client.compute(args[0])
            others = [None if part is None else client.compute(part) for part in args[1:]]
            futures.append(
                client.submit(
                    function,
                    X_arg,
                    *others,
                    **kwargs,
                    workers=[holder],
                    allow_other_workers=False,
                    pure=False,
                )
            )
        return cls(client, futures, lineage, holders)

    def __len__(self):
        return len(self.futures)

    def transform(self, function, **kwargs):
        """A new ChunkSet of ``function(chunk, index, **kwargs)`` of each chunk, each
        computed where its chunk is."""
        holders = self._holders()
        futures = [
            self.client.submit(
                function,
                future,
                index,
                **kwargs,
                workers=[holder],
                allow_other_workers=False,
                pure=False,
            )
            for index, (future, holder) in enumerate(zip(self.futures, holders))
        ]
        lineage = [
            partial(_delayed_chunk, function, part, index, kwargs)
            for index, part in enumerate(self.lineage)
        ]
        return ChunkSet(self.client, futures, lineage, holders)

    def keep(self, indices):
        """Keep only the chunks ``indices`` (in their order), releasing the others."""
        indices = list(indices)
        dropped = set(range(len(self))) - set(indices)
        for i in dropped:
            self.futures[i].release()
        self.futures = [self.futures[i] for i in indices]
        self.lineage = [self.lineage[i] for i in indices]
        self.pinned = [self.pinned[i] for i in indices]
        self._recomputed = [self._recomputed[i] for i in indices]
        self._placement = None

    def map(self, function, *args):
        """``[function(chunk, *args) for each chunk]``, in chunk order: one task per
        worker thread, over a run of the chunks that worker holds, pinned to it. If a
        worker leaves while the tasks wait, they are cancelled and submitted again
        once its chunks are computed elsewhere; the results are the same numbers."""
        while True:
            if self._placement is None:  # asked of the scheduler once, not per evaluation
                self._placement = self._holders(), self.client.nthreads()
            holders, nthreads = self._placement
            tasks = self._submit(function, args, holders, nthreads)
            if self._finished(tasks, set(holders)):
                pairs = [pair for batch in self.gathered(tasks) for pair in batch]
                return [value for _, value in sorted(pairs, key=operator.itemgetter(0))]
            self._placement = None  # a worker left: where are its chunks now?

    def _submit(self, function, args, holders, nthreads):
        by_worker = {}
        for index, holder in enumerate(holders):
            by_worker.setdefault(holder, []).append(index)
        tasks = []
        for worker, indices in by_worker.items():
            n_tasks = max(1, min(nthreads.get(worker, 1), len(indices)))
            for group in np.array_split(np.asarray(indices), n_tasks):
                group = group.tolist()
                tasks.append(
                    self.client.submit(
                        _apply,
                        function,
                        group,
                        args,
                        *(self.futures[i] for i in group),
                        workers=[worker],
                        allow_other_workers=False,
                        pure=False,
                    )
                )
        return tasks

    def _holders(self):
        """The worker holding each chunk, once every chunk is in memory; chunks stuck
        on, or lost with, a worker that left are computed again from their lineage."""
        while True:
            if not self._finished(self.futures, None):
                continue
            who_has = self.client.who_has(self.futures)
            holders = [min(who_has.get(future.key, ()), default=None) for future in self.futures]
            if all(holders):
                return holders
            # finished, but held by no worker: lost with one that just left
            self._recompute_lost(self._alive(), [i for i, h in enumerate(holders) if not h])

    def _alive(self):
        """The workers alive now; an error once none has been for NO_WORKER_SECONDS."""
        alive = set(self.client.nthreads())
        if alive:
            self._no_worker_since = None
        elif self._no_worker_since is None:
            self._no_worker_since = time.monotonic()
        elif time.monotonic() - self._no_worker_since > NO_WORKER_SECONDS:
            raise RuntimeError(
                f"No worker has been alive in the cluster for {NO_WORKER_SECONDS} s: the "
                "fit cannot go on. Start workers (or a cluster that restarts them) and "
                "fit again."
            )
        return alive

    def _finished(self, futures, workers):
        """Wait for ``futures``; False when a worker in ``workers`` left first (the
        futures are then cancelled). With ``workers`` None (the chunks themselves),
        a chunk pinned to a worker that left, or lost with it, is replaced from its
        lineage. A task that failed raises its exception here."""
        from distributed import wait

        while True:
            try:
                wait(futures, timeout=POLL_SECONDS)
            except TimeoutError:
                alive = self._alive()
                if workers is None:
                    self._recompute_lost(alive)
                    return False
                if workers <= alive:
                    continue
                self._lost_workers |= workers - alive
                self.client.cancel(futures)
                return False
            except CancelledError as error:
                self._refuse_unrecoverable(error)
            for future in futures:
                if future.status in ("error", "cancelled"):
                    self.gathered([future])  # raises the task's exception
            return True

    def gathered(self, futures):
        """``client.gather(futures)``; a chunk that a lost worker took with it and
        that cannot be computed again stops the fit with an error that says so."""
        try:
            return self.client.gather(futures)
        except CancelledError as error:
            self._refuse_unrecoverable(error)

    def _refuse_unrecoverable(self, error):
        """A chunk cancelled because a worker left with what it was computed from."""
        reason = str(error).lower()
        if not self._lost_workers and "lost" not in reason and "forgotten" not in reason:
            raise error
        deadline = time.monotonic() + 10 * POLL_SECONDS  # the scheduler may not know yet
        while not self._lost_workers and time.monotonic() < deadline:
            alive = set(self.client.nthreads())
            self._lost_workers |= {w for w in self.pinned if w and w not in alive}
            time.sleep(POLL_SECONDS / 5)
        lost = ", ".join(sorted(self._lost_workers))
        raise RuntimeError(
            f"{f'Worker {lost}' if lost else 'A worker'} left the cluster with chunks "
            "of the data that cannot be computed again: X, y or sample_weight was "
            "scattered to the workers (or its futures released), so the cluster has no "
            "lineage to compute them from. Give the fit dask collections built from a "
            "graph (dask.array.from_array, read_parquet, ..., persisted or not), which "
            "the cluster can compute again when a worker leaves, and fit again."
        ) from error

    def _recompute_lost(self, alive, lost=()):
        """Compute again, from its lineage and unpinned, each chunk pinned to a worker
        that left before it was done, or lost with one (``lost``: their indices)."""
        for i, (future, worker) in enumerate(zip(self.futures, self.pinned)):
            stuck = future.status != "finished" and worker is not None and worker not in alive
            if not (stuck or i in lost or future.status == "lost"):
                continue
            if worker is not None and worker not in alive:
                self._lost_workers.add(worker)
            self._recomputed[i] += 1
            if self._recomputed[i] > MAX_RECOMPUTE:
                raise RuntimeError(
                    f"Chunk {i} of the training data lost its worker "
                    f"{self._recomputed[i]} times; the workers keep dying (their "
                    "logs say why: often the memory limit). Give the workers more "
                    "memory, or cut X into smaller chunks."
                )
            self.futures[i] = self.client.compute(self.lineage[i]())
            self.pinned[i] = None
            future.release()

    def release(self):
        """Let the cluster forget every chunk (idempotent)."""
        futures, self.futures = self.futures, []
        for future in futures:
            future.release()
