"""`./neurorom demo`: (interim) train a small GRU on a generated problem and show what it learnt.

The problem is a leaky integrator followed by a sigmoid, the kind of map a neuron's soma performs:
two injected currents I1, I2 [nA] (pulses and ramps) charge a membrane u with time constant 10 ms,
    du/dt = (-u + 20 MOhm * (I1 - 0.5 I2)) / 10 ms,
and the recorded voltage is V = -65 mV + 30 mV * sigmoid((u - 8 mV) / 3 mV).
The data is written in our dataset format (docs/formats.md) by the Python writer, the C++ trainer
learns it (`neurorom train`, GRU-4 classic, standardised channels), `neurorom eval` scores it on held-out sequences, and the
demo prints the error next to a do-nothing baseline and a few samples of truth vs. prediction.
(The mechanism issue replaces this with the full-vs-reduced comparison inside NEURON.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from neurorom import paths
from neurorom.dataset import sequence_csv_text, write_manifest, write_text_atomic
from neurorom.errors import InputError

DT_MS = 0.5
STEPS = 400
TAU_MS = 10.0
R_MOHM = 20.0
SPLITS = ["train"] * 12 + ["valid"] * 4 + ["test"] * 4


def stimulus(rng: np.random.Generator) -> np.ndarray:
    """A pulse or a ramp of random onset, length and height [nA]."""
    current = np.zeros(STEPS)
    onset = int(rng.integers(0, STEPS // 2))
    length = int(rng.integers(20, STEPS // 2))
    height = rng.uniform(0.3, 1.2)
    ramp = np.linspace(height / length, height, length) if rng.random() < 0.5 else np.full(length, height)
    current[onset:onset + length] = ramp[:STEPS - onset]
    return current


def soma(currents: np.ndarray) -> np.ndarray:
    """Leaky integrator then sigmoid: the true system [mV]."""
    u = 0.0
    voltage = np.empty(STEPS)
    for k in range(STEPS):
        drive = R_MOHM * (currents[k, 0] - 0.5 * currents[k, 1])
        u += DT_MS / TAU_MS * (drive - u)
        voltage[k] = -65.0 + 30.0 / (1.0 + np.exp(-(u - 8.0) / 3.0))
    return voltage


def write_problem(folder: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sequences = []
    for index, split in enumerate(SPLITS, start=1):
        currents = np.column_stack([stimulus(rng), stimulus(rng)])
        voltage = soma(currents)[:, None]
        name = f"seq_{index:02d}"
        write_text_atomic(folder / f"{name}.csv",
                          sequence_csv_text(DT_MS, ["I1", "I2"], ["V"], currents, voltage))
        sequences.append({"id": name, "file": f"{name}.csv", "split": split})
    write_manifest(folder, {
        "format": "neurorom-dataset", "format_version": 1, "dt_ms": DT_MS, "n_steps": STEPS,
        "duration_ms": STEPS * DT_MS,
        "inputs": [{"name": "I1", "unit": "nA"}, {"name": "I2", "unit": "nA"}],
        "outputs": [{"name": "V", "unit": "mV"}],
        "sequences": sequences,
        "provenance": {"generator": "neurorom demo", "seed": seed, "tau_ms": TAU_MS, "r_mohm": R_MOHM,
                       "system": "V = -65 + 30 sigmoid((u - 8) / 3), du/dt = (-u + R (I1 - 0.5 I2)) / tau"},
    })


def run_cli(*args: str) -> str:
    if not paths.CLI.exists():
        raise InputError(f"{paths.CLI}: not built (run ./neurorom setup)")
    done = subprocess.run([str(paths.CLI), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise InputError(done.stderr.strip() or f"neurorom-cli {args[0]} failed")
    return done.stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="./neurorom demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=300, help="training epochs (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the data and the training (default 1)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="neurorom-demo-") as work:
        data, weights, predictions = Path(work) / "data", Path(work) / "gru4.json", Path(work) / "predicted"
        write_problem(data, args.seed)
        print(f"problem: 2 currents [nA] -> leaky integrator (tau {TAU_MS:g} ms) -> sigmoid -> V [mV]; "
              f"{SPLITS.count('train')} train, {SPLITS.count('valid')} valid, {SPLITS.count('test')} test "
              f"sequences of {STEPS} steps at dt {DT_MS:g} ms")
        trained = json.loads(run_cli("train", "--data", str(data), "--out", str(weights), "--cell", "gru",
                                     "--hidden", "4", "--standardise", "--epochs", str(args.epochs),
                                     "--seed", str(args.seed), "--json").strip().splitlines()[-1])
        print(f"trained: GRU-4 (classic), standardised channels, {args.epochs} epochs, "
              f"best epoch {trained['best_run']['best_epoch']}")
        report = json.loads(run_cli("eval", "--weights", str(weights), "--data", str(data), "--split", "test",
                                    "--predictions", str(predictions), "--json").strip().splitlines()[-1])

        truth = [np.loadtxt(data / f"seq_{i:02d}.csv", delimiter=",", skiprows=1)[:, 3]
                 for i, split in enumerate(SPLITS, start=1) if split == "test"]
        baseline = float(np.sqrt(np.mean((np.concatenate(truth) - np.mean(np.concatenate(truth))) ** 2)))
        print(f"test RMSE {report['rmse']:.3f} mV (NRMSE {100 * report['nrmse']:.1f} % of the range "
              f"{report['per_output']['V']['range']:.1f} mV); predicting the mean would give {baseline:.3f} mV")

        first_test = SPLITS.index("test") + 1
        true_table = np.loadtxt(data / f"seq_{first_test:02d}.csv", delimiter=",", skiprows=1)
        predicted = np.loadtxt(predictions / f"seq_{first_test:02d}.csv", delimiter=",", skiprows=1)
        print(f"seq_{first_test:02d} (test):   t [ms]   I1 [nA]   I2 [nA]   V true [mV]   V model [mV]")
        for k in range(0, STEPS, STEPS // 10):
            print(f"                {true_table[k, 0]:8.1f} {true_table[k, 1]:9.3f} {true_table[k, 2]:9.3f} "
                  f"{true_table[k, 3]:13.3f} {predicted[k, 3]:14.3f}")
    return 0
