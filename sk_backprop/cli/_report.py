"""What the command line's comparison prints: its progress, the table, and the
sentences that say where tuning did not pay."""

import time

from ._names import DEFAULT, METRICS, OURS


def tuning_sentences(rows):
    """Where the tuned model did not beat ours with its defaults, a sentence each."""
    by_key = {(data, model): (metric, scores) for data, model, metric, scores, _, _ in rows}
    sentences = []
    for (data, model), (metric, scores) in by_key.items():
        if model != OURS or (data, DEFAULT) not in by_key:
            continue
        tuned, default = scores.mean(), by_key[data, DEFAULT][1].mean()
        higher_is_better = METRICS[metric][1]
        if (tuned <= default) if higher_is_better else (tuned >= default):
            sentences.append(
                f"\nOn {data}, tuning did not beat the defaults: {METRICS[metric][0]} "
                f"{tuned:.4f} tuned against {default:.4f} with the defaults (the defaults are "
                "one of the search's candidates; the search chose another on its inner folds)."
            )
    return sentences


class Progress:
    """One count over every task of a run: a rich progress bar on a terminal,
    elsewhere one line per finished task; nothing without a stream (``--quiet``)."""

    def __init__(self, total, folds, stream):
        self.total, self.folds, self.stream = total, folds, stream
        self.started, self.finished = time.perf_counter(), 0
        self.bar = None
        if stream is not None and getattr(stream, "isatty", lambda: False)():
            try:
                from rich.progress import Progress as RichProgress
            except ImportError:
                pass
            else:
                from rich.console import Console

                self.bar = RichProgress(
                    *RichProgress.get_default_columns(),
                    console=Console(file=stream),
                    transient=True,
                )
                self.bar.start()
                self.task = self.bar.add_task(f"{total} fits", total=total)

    def done(self, data, model_name, fold, metric, score, seconds):
        self.finished += 1
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.started
        if self.bar is not None:
            self.bar.update(
                self.task,
                advance=1,
                description=f"{data}: {name_of(model_name)} fold {fold + 1}/{self.folds}",
            )
            return
        left = elapsed / self.finished * (self.total - self.finished)
        print(
            f"[{self.finished:{len(str(self.total))}}/{self.total}] {data}: {model_name}, "
            f"fold {fold + 1}/{self.folds}: {metric} {score:.4f} in {seconds:.1f} s; elapsed "
            f"{elapsed:.0f} s, about {left:.0f} s left",
            file=self.stream,
            flush=True,
        )

    def close(self):
        if self.bar is not None:
            self.bar.stop()


def name_of(model_name):
    return model_name.split(" ")[0]


def format_table(rows, folds):
    lines = [
        f"| data set | model | score ({folds}-fold CV, mean ± std) | worst-best fold "
        "| fit time per fold (s) | chosen by the search |",
        "|---|---|---|---|---|---|",
    ]
    for data, model, metric, scores, seconds, chosen in rows:
        worst, best = (
            (scores.min(), scores.max()) if METRICS[metric][1] else (scores.max(), scores.min())
        )
        lines.append(
            f"| {data} | {model} | {METRICS[metric][0]} {scores.mean():.4f} ± {scores.std():.4f} "
            f"| {worst:.4f}-{best:.4f} | {seconds.mean():.3f} | {chosen} |"
        )
    return "\n".join(lines)
