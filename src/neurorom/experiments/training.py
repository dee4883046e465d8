"""Training runs through neurorom-cli, one process per run, each cached under a key of what decides its
result (dataset content, model, input subset, standardisation, epochs, seed). A second invocation,
or another experiment asking for the same model on the same data, reuses the finished runs.

Per run the cache folder holds weights.json (the epoch best on validation), history.csv (RMSE per epoch)
and result.json (written last: its presence marks the run finished).
"""

from __future__ import annotations

import json
import math
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from neurorom import dataset, paths
from neurorom.errors import InputError
from neurorom.experiments.datasets import cache_key, sha256_of_files
from neurorom.experiments.definitions import Row
from neurorom.git_state import git_state

def trainer_fingerprint() -> str:
    """The trainer build that makes new runs: sha256 of the neurorom-cli binary. It is recorded in each
    run's result (not in its key, so that rebuilding for unrelated changes keeps the finished runs; the
    report lists the builds its runs came from)."""
    return sha256_of_files([paths.CLI])


@dataclass(frozen=True)
class Run:
    """One training: a table row's model on its dataset with one seed."""
    row: Row
    data: Path
    data_key: str  # content key of the dataset (datasets.content_key)
    epochs: int
    seed: int

    def key(self) -> str:
        return cache_key({"data": self.data_key, "cell": self.row.cell, "hidden": self.row.hidden,
                          "inputs": list(self.row.inputs),
                          "standardise": self.row.standardise, "epochs": self.epochs, "seed": self.seed})


@dataclass(frozen=True)
class RunResult:
    seed: int
    best_epoch: int
    train_rmse: float
    valid_rmse: float
    test_rmse: float  # NaN without a test split
    seconds: float
    parameters: int
    unit: str
    eval_split: str  # the split of per_output: test, or valid without a test split
    per_output: dict  # output name -> RMSE on eval_split
    data: Path
    folder: Path
    trainer: str  # sha256 of the neurorom-cli that trained it

    @property
    def weights(self) -> Path:
        return self.folder / "weights.json"

    @property
    def history(self) -> Path:
        return self.folder / "history.csv"


def _cli(arguments: list[str]) -> str:
    done = subprocess.run([str(paths.CLI), *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise InputError(f"neurorom-cli {arguments[0]} failed: {message}")
    return done.stdout


def _number(value) -> float:
    return math.nan if value is None else float(value)


def has_split(data: Path, split: str) -> bool:
    return any(s["split"] == split for s in dataset.read_manifest(data)["sequences"])


def run_folder(run: Run, cache: Path) -> Path:
    return cache / "runs" / f"{run.row.cell}{run.row.hidden}-s{run.seed}-{run.key()}"


def is_finished(run: Run, cache: Path) -> bool:
    return (run_folder(run, cache) / "result.json").is_file()


def run_training(run: Run, cache: Path, trainer: str, threads: int) -> RunResult:
    """The run's result, from the cache or by training now."""
    folder = run_folder(run, cache)
    result_file = folder / "result.json"
    if not result_file.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        arguments = ["train", "--data", str(run.data), "--out", str(folder / "weights.json"),
                     "--cell", run.row.cell, "--hidden", str(run.row.hidden), "--epochs", str(run.epochs),
                     "--runs", "1", "--seed", str(run.seed), "--threads", str(threads),
                     "--history", str(folder / "history.csv"), "--json"]
        if run.row.standardise:
            arguments.append("--standardise")
        if run.row.inputs:
            arguments += ["--inputs", ",".join(run.row.inputs)]
        stdout = _cli(arguments)
        report = json.loads(stdout.strip().splitlines()[-1])
        parameters = int(re.search(r"(\d+) parameters", stdout).group(1))
        split = "test" if has_split(run.data, "test") else "valid"
        evaluation = json.loads(_cli(["eval", "--weights", str(folder / "weights.json"), "--data", str(run.data),
                                      "--split", split, "--json"]).strip().splitlines()[-1])
        best = report["best_run"]
        record = {"row": run.row.label, "data": str(run.data), "seed": run.seed, "best_epoch": best["best_epoch"],
                  "train_rmse": best["train_rmse"], "valid_rmse": best["valid_rmse"], "test_rmse": best["test_rmse"],
                  "seconds": _seconds(stdout), "parameters": parameters, "unit": report["unit"],
                  "eval_split": split,
                  "per_output": {name: v["rmse"] for name, v in evaluation["per_output"].items()},
                  "trainer_sha256": trainer, "git": git_state()["commit"], "arguments": arguments}
        dataset.write_text_atomic(result_file, json.dumps(record, indent=1) + "\n")
    record = json.loads(result_file.read_text(encoding="utf-8"))
    return RunResult(record["seed"], record["best_epoch"], _number(record["train_rmse"]),
                     _number(record["valid_rmse"]), _number(record["test_rmse"]), record["seconds"],
                     record["parameters"], record["unit"], record["eval_split"], record["per_output"],
                     Path(record["data"]), folder, record["trainer_sha256"])


def _seconds(stdout: str) -> float:
    """The run's training time from train's per-run table line (last column)."""
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) == 7 and fields[0] == "1" and fields[1].isdigit():
            return float(fields[6])
    return math.nan


@dataclass(frozen=True)
class Stat:
    mean: float
    std: float  # sample standard deviation (n - 1); 0 for one run
    min: float


def stat(values: list[float]) -> Stat:
    if any(math.isnan(v) for v in values):
        return Stat(math.nan, math.nan, math.nan)
    return Stat(statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0, min(values))


@dataclass
class RowSummary:
    """One table cell: the R runs of a row."""
    row: Row
    runs: list[RunResult]

    @property
    def parameters(self) -> int:
        return self.runs[0].parameters

    @property
    def unit(self) -> str:
        return self.runs[0].unit

    @property
    def best(self) -> RunResult:
        """The run best on validation (ties: the earlier seed)."""
        return min(self.runs, key=lambda r: (r.valid_rmse, r.seed))

    def stat(self, split: str) -> Stat:
        return stat([getattr(r, f"{split}_rmse") for r in self.runs])

    def per_output(self) -> dict[str, Stat]:
        names = list(self.runs[0].per_output)
        return {n: stat([r.per_output[n] for r in self.runs]) for n in names}

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)
