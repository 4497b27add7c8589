"""The chunks of a data set on a Dask cluster, seen from the client.

``ChunkSet`` holds one persisted future per chunk and maps functions of
``_cluster`` over them, one pinned task per worker thread; it computes a chunk again
from its lineage when its worker leaves, and stops a fit that cannot go on (data
that cannot be computed again, a chunk that keeps losing its worker, no worker
alive) with an error that says why. No fit waits without an end.
"""

import operator
import time
from concurrent.futures import CancelledError
from functools import partial

import numpy as np

from ._cluster import _apply, _delayed_call, _delayed_chunk

# How often (seconds) a waiting evaluation checks that the workers it is pinned to
# are alive; a task pinned to a worker that left would otherwise wait for ever.
POLL_SECONDS = 0.5
# Times a chunk is computed again after losing its worker before the fit gives up: a
# chunk that kills every worker it lands on (memory) would otherwise loop for ever.
MAX_RECOMPUTE = 3
# Seconds a fit waits with no worker alive in the cluster before it gives up.
NO_WORKER_SECONDS = 60


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
