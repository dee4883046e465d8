"""Input saliency of trained models (neurorom-cli saliency) and how it compares with Experiment 4's ablations.

For output o and input i, neurorom-cli reports per sequence
  gain     = (1/T) sum_t d(sum_s y_o(s))/d x_i(t)   (mean output shift per constant input offset, mV/nA)
  strength = (1/T) sum_t |d(sum_s y_o(s))/d x_i(t)|
averaged over the test sequences. Inputs differ in amplitude (AVB gets ~5x PLM's current), so the
importance compared with the ablations is strength x the input's peak current over the split (mV).
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurorom import dataset, paths
from neurorom.errors import InputError


@dataclass
class SaliencyResult:
    inputs: list[str]
    outputs: list[str]
    input_unit: str
    output_unit: str
    gain: np.ndarray  # outputs x inputs
    strength: np.ndarray
    input_peak: np.ndarray  # max |x_i| over the split's sequences
    split: str

    @property
    def importance(self) -> np.ndarray:
        """strength scaled by each input's peak: output unit (mV)."""
        return self.strength * self.input_peak[np.newaxis, :]


def input_peaks(data: Path, split: str, names: list[str]) -> np.ndarray:
    manifest = dataset.read_manifest(data)
    all_inputs = [c["name"] for c in manifest["inputs"]]
    peak = np.zeros(len(names))
    for entry in manifest["sequences"]:
        if entry["split"] != split:
            continue
        _, values = dataset.read_sequence_csv(data / entry["file"])
        for k, name in enumerate(names):
            peak[k] = max(peak[k], float(np.max(np.abs(values[:, 1 + all_inputs.index(name)]))))
    return peak


def compute(weights: Path, data: Path, split: str) -> SaliencyResult:
    done = subprocess.run([str(paths.CLI), "saliency", "--weights", str(weights), "--data", str(data),
                           "--split", split, "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise InputError((done.stderr.strip().splitlines() or ["neurorom-cli saliency failed"])[-1])
    report = json.loads(done.stdout.strip().splitlines()[-1])
    inputs = [c["name"] for c in report["inputs"]]
    return SaliencyResult(inputs, [c["name"] for c in report["outputs"]], report["inputs"][0]["unit"],
                          report["outputs"][0]["unit"], np.array(report["gain"]), np.array(report["strength"]),
                          input_peaks(data, split, inputs), split)


def group_share(result: SaliencyResult, group: tuple[str, ...], other: tuple[str, ...]) -> np.ndarray:
    """Per output, the fraction of the importance of group + other that comes from group."""
    columns = lambda names: [result.inputs.index(n) for n in names]  # noqa: E731
    a = result.importance[:, columns(group)].sum(axis=1)
    b = result.importance[:, columns(other)].sum(axis=1)
    total = a + b
    return np.where(total > 0, a / np.where(total > 0, total, 1.0), math.nan)
