"""Running the experiments' trainings: every (row, seed) of the chosen tables once, in one or more
parallel processes, with progress on stderr."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from neurorom.experiments.datasets import DatasetCache
from neurorom.experiments.definitions import Experiment, Settings, Table
from neurorom.errors import InputError
from neurorom.experiments.training import Run, RowSummary, is_finished, run_training, trainer_fingerprint
from neurorom.progress import Progress


def table_runs(table: Table, settings: Settings, datasets: DatasetCache) -> list[list[Run]]:
    return [[Run(row, datasets.folder(row.data), datasets.content(row.data), settings.epochs, settings.first_seed + k)
             for k in range(settings.runs)] for row in table.rows]


def run_all(experiments: list[Experiment], settings: Settings, datasets: DatasetCache, cache: Path,
            threads: int, jobs: int, finished_only: bool = False) -> dict[str, list[RowSummary]]:
    """Table name -> one summary per row. Runs shared between tables are trained once. With
    `finished_only` nothing is trained: each row gets those of its runs that are in the cache."""
    planned = {table.name: table_runs(table, settings, datasets)
               for experiment in experiments for table in experiment.tables}
    trainer = trainer_fingerprint()
    # Seed-major order, cheap models first within a seed: every model's first run before any second run,
    # so that an interrupted invocation leaves every table filled (the next one resumes from the cache).
    every = [run for row_runs in planned.values() for runs in row_runs for run in runs]
    unique: dict[str, Run] = {}
    for run in sorted(every, key=lambda r: (r.seed, relative_cost(r))):
        unique.setdefault(run.key(), run)
    cached = {k for k, r in unique.items() if is_finished(r, cache)}
    if finished_only:
        unique = {k: r for k, r in unique.items() if k in cached}
    # Cached runs count as done from the start, so the time left is estimated from trained runs only.
    progress = Progress("experiments: training", len(unique), done=len(cached & unique.keys()))
    results = {}
    lock = threading.Lock()

    def train(item: tuple[str, Run]):
        key, run = item
        result = run_training(run, cache, trainer, threads)
        if key not in cached:
            with lock:
                progress.label = f"experiments: {run.row.label} seed {run.seed} done"
                progress.step()
        return key, result

    try:
        if jobs == 1:
            results = dict(map(train, unique.items()))
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results = dict(pool.map(train, unique.items()))
    finally:
        progress.close()
    summaries: dict[str, list[RowSummary]] = {}
    for name, row_runs in planned.items():
        summaries[name] = []
        for runs in row_runs:
            done = [results[k] for k in (r.key() for r in runs) if k in results]
            if not done:
                raise InputError(f"--finished-only: {runs[0].row.label} ({name}) has no finished run")
            summaries[name].append(RowSummary(runs[0].row, done))
    return summaries


def relative_cost(run: Run) -> float:
    """Work per epoch, roughly: multiply-adds per step of the gates and readout, times steps and scenarios."""
    spec = run.row.data
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[run.row.cell]
    inputs = len(run.row.inputs) or 10
    steps = spec.duration_ms / spec.dt_ms * max(1, len(spec.scenarios))
    return (gates * run.row.hidden * (run.row.hidden + inputs) + 28 * run.row.hidden) * steps
