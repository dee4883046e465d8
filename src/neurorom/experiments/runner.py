"""Running the experiments' trainings: every (row, seed) of the chosen tables once, in one or more
parallel processes, with progress on stderr."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from neurorom.experiments.datasets import DatasetCache
from neurorom.experiments.definitions import Experiment, Settings, Table
from neurorom.experiments.training import Run, RowSummary, run_training, trainer_fingerprint
from neurorom.progress import Progress


def table_runs(table: Table, settings: Settings, datasets: DatasetCache) -> list[list[Run]]:
    return [[Run(row, datasets.folder(row.data), settings.epochs, settings.first_seed + k)
             for k in range(settings.runs)] for row in table.rows]


def run_all(experiments: list[Experiment], settings: Settings, datasets: DatasetCache, cache: Path,
            threads: int, jobs: int) -> dict[str, list[RowSummary]]:
    """Table name -> one summary per row. Runs shared between tables are trained once."""
    planned = {table.name: table_runs(table, settings, datasets)
               for experiment in experiments for table in experiment.tables}
    trainer = trainer_fingerprint()
    # Seed-major order: every model's first run before any second run, so that an interrupted run
    # leaves complete tables with fewer runs (the next invocation resumes from the cache).
    every = [run for row_runs in planned.values() for runs in row_runs for run in runs]
    unique: dict[str, Run] = {}
    for run in sorted(every, key=lambda r: r.seed):
        unique.setdefault(f"{run.data.name}/{run.key()}", run)
    progress = Progress("experiments: training", len(unique))
    results = {}
    lock = threading.Lock()

    def train(item: tuple[str, Run]):
        key, run = item
        result = run_training(run, cache, trainer, threads)
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
        summaries[name] = [RowSummary(runs[0].row, [results[f"{r.data.name}/{r.key()}"] for r in runs])
                           for runs in row_runs]
    return summaries
