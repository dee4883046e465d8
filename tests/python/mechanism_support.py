"""Shared helpers of the mechanism tests (test_mechanism*.py, test_reduced*.py).

Weights come from our own trainer: `neurorom-cli train` on a small synthetic
dataset written here (a leaky, saturating response of each output to a mix of
the input currents), so every cell type is exercised with really trained
parameters. Stimuli in NEURON are IClamps whose amplitude is played in steps
that change half-way between model steps, so the value the model reads at
t_k = k * dt is X[k] under any h.dt dividing dt and under CVODE alike.
"""

import json
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurorom import mechanisms, paths

MODEL_DT_MS = 0.5


@dataclass(frozen=True)
class Layout:
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def synthetic_sequence(rng: np.random.Generator, n_steps: int, n_inputs: int, n_outputs: int):
    """Inputs: piecewise-constant currents in nA (0 at step 0); outputs: a saturating leaky response in mV."""
    x = np.zeros((n_steps, n_inputs))
    for j in range(n_inputs):
        level = 0.0
        for k in range(1, n_steps):
            if rng.random() < 0.1:
                level = rng.uniform(-0.02, 0.02)
            x[k, j] = level
    mix = rng.normal(size=(n_inputs, n_outputs))
    y = np.full((n_steps, n_outputs), -60.0)
    state = np.zeros(n_outputs)
    for k in range(n_steps):
        state = 0.9 * state + 0.1 * np.tanh(50.0 * x[k] @ mix)
        y[k] = -60.0 + 20.0 * state
    return x, y


def write_dataset(directory: Path, layout: Layout, splits: dict[str, list[tuple[np.ndarray, np.ndarray]]]) -> Path:
    """A dataset directory in the format of docs/formats.md."""
    directory.mkdir(parents=True, exist_ok=True)
    sequences = []
    n_steps = None
    for split, items in splits.items():
        for i, (x, y) in enumerate(items):
            n_steps = x.shape[0]
            name = f"{split}_{i:02d}"
            t = np.arange(n_steps) * MODEL_DT_MS
            table = np.column_stack([t, x, y])
            header = ",".join(["t_ms", *layout.inputs, *layout.outputs])
            np.savetxt(directory / f"{name}.csv", table, delimiter=",", header=header, comments="", fmt="%.17g")
            sequences.append({"id": name, "file": f"{name}.csv", "split": split})
    manifest = {
        "format": "neurorom-dataset",
        "format_version": 1,
        "dt_ms": MODEL_DT_MS,
        "n_steps": n_steps,
        "duration_ms": n_steps * MODEL_DT_MS,
        "inputs": [{"name": name, "unit": "nA"} for name in layout.inputs],
        "outputs": [{"name": name, "unit": "mV"} for name in layout.outputs],
        "sequences": sequences,
        "provenance": {"generator": "tests/python/mechanism_support.py (synthetic)"},
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return directory


def run_cli(*args: str) -> str:
    result = subprocess.run([str(paths.CLI), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"neurorom-cli {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def train_weights(directory: Path, layout: Layout, cell: str, variant: str = "classic", hidden: int = 4,
                  seed: int = 3) -> Path:
    """Train a small model with our trainer on synthetic data; return the weights file."""
    rng = np.random.default_rng(seed)
    n_in, n_out = len(layout.inputs), len(layout.outputs)
    splits = {
        "train": [synthetic_sequence(rng, 60, n_in, n_out) for _ in range(6)],
        "valid": [synthetic_sequence(rng, 60, n_in, n_out) for _ in range(2)],
    }
    data = write_dataset(directory / "train_data", layout, splits)
    weights = directory / f"{cell}_{variant}_{hidden}.json"
    extra = ["--variant", variant] if cell == "gru" else []
    run_cli("train", "--data", str(data), "--out", str(weights), "--cell", cell, *extra, "--hidden", str(hidden),
            "--epochs", "15", "--batch", "3", "--standardise", "--seed", str(seed), "--threads", "1")
    return weights


def eval_predictions(directory: Path, weights: Path, layout: Layout, x: np.ndarray) -> np.ndarray:
    """`neurorom eval --predictions` on one sequence with inputs x: the model's outputs (n_steps, n_outputs)."""
    y_placeholder = np.zeros((x.shape[0], len(layout.outputs)))
    data = write_dataset(directory / "parity_data", layout, {"test": [(x, y_placeholder)]})
    predictions = directory / "parity_predictions"
    run_cli("eval", "--weights", str(weights), "--data", str(data), "--split", "test",
            "--predictions", str(predictions))
    manifest = json.loads((predictions / "manifest.json").read_text())
    table = np.loadtxt(predictions / manifest["sequences"][0]["file"], delimiter=",", skiprows=1, ndmin=2)
    return table[:, 1 + len(layout.inputs):]


class SingleCompartmentNetwork:
    """One passive soma per input (with an IClamp) and per output; the stimuli play X."""

    def __init__(self, layout: Layout, x: np.ndarray, prefix: str = ""):
        from neuron import h

        self.sections = {}
        for name in (*layout.inputs, *layout.outputs):
            section = h.Section(name=f"{prefix}{name}")
            section.L = section.diam = 10.0
            section.insert("pas")
            section.g_pas = 1e-4
            section.e_pas = -65.0
            self.sections[name] = section
        self.stimuli = {}
        self._played = []
        n_steps = x.shape[0]
        # Step k's value holds on (t_k - dt/2, t_k + dt/2]; the entry at t = 0 resets the amplitude at finitialize.
        times = h.Vector([0.0, *[(k - 0.5) * MODEL_DT_MS for k in range(1, n_steps)]])
        for j, name in enumerate(layout.inputs):
            stimulus = h.IClamp(self.sections[name](0.5))
            stimulus.delay = 0.0
            stimulus.dur = 1e9
            amplitudes = h.Vector(x[:, j].tolist())
            amplitudes.play(stimulus._ref_amp, times, 0)
            self.stimuli[name] = stimulus
            self._played.append((times, amplitudes))

    def soma(self, name: str):
        return self.sections[name](0.5)


def layout_named(n_inputs: int, n_outputs: int) -> Layout:
    return Layout(tuple(f"IN{j}" for j in range(n_inputs)), tuple(f"OUT{j}" for j in range(n_outputs)))


def neuron_with_mechanisms():
    """NEURON's h with our mechanisms and stdrun loaded."""
    mechanisms.load()
    from neuron import h

    h.load_file("stdrun.hoc")
    return h


@contextmanager
def integration(h, sim_dt: float, cvode: bool = False):
    """Fixed step at sim_dt, or CVODE (atol 1e-6 mV, rtol 0); NEURON's previous settings come back after."""
    cv = h.CVode()
    saved = (h.dt, h.steps_per_ms, cv.active(), cv.atol(), cv.rtol())
    try:
        cv.active(1 if cvode else 0)
        if cvode:
            cv.atol(1e-6)
            cv.rtol(0)
        h.dt = sim_dt
        h.steps_per_ms = 1.0 / sim_dt
        yield h
    finally:
        h.dt, h.steps_per_ms = saved[0], saved[1]
        cv.active(saved[2])
        cv.atol(saved[3])
        cv.rtol(saved[4])
