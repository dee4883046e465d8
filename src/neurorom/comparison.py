"""Full high-fidelity connectome vs. reduced network on the same stimuli, in one NEURON process.

The full model (ConnectomeModel) is built and run on every stimulus first, then removed from NEURON;
then the reduced network (ReducedNetwork) is built and run on the same stimuli sampled at the model
dt. Neither run integrates the other's sections. Both use the same NEURON settings: fixed step
h.dt = model dt, cache_efficient on, one thread, ParallelContext.psolve from finitialize.

Accuracy: per output, RMSE (mV) between the full model's soma voltage and the reduced network's
output-soma voltage at t_k = k * dt, over all steps of all sequences, and NRMSE = that RMSE divided
by the range (max - min) of the full model's trace over the same steps. Pooled: the RMSE over all
outputs, steps and sequences, and the mean of the per-output NRMSEs (as `neurorom eval` reports).
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from neurorom import dataset, figures, stimuli
from neurorom.errors import InputError
from neurorom.scenarios import Scenario

SETTINGS = ("fixed step h.dt = model dt, cache_efficient on, 1 thread, ParallelContext.psolve; stimuli: "
            "IClamp + Vector.play (full), RomStim electrodes playing the samples at the model dt (reduced)")


@dataclass
class StimulusSet:
    """The stimuli of a comparison: one {input: stimulus spec} per sequence, with their ids."""

    ids: list[str]
    stimuli: list[dict[str, dict]]
    dt_ms: float
    duration_ms: float
    source: dict  # where they come from (dataset + split, or the seeded library)
    recorded: list[np.ndarray] | None = None  # the dataset's output columns, when from a dataset


def from_dataset(folder: Path, split: str, inputs: tuple[str, ...], outputs: tuple[str, ...]) -> StimulusSet:
    """The stimuli of one split of a generated dataset (each sequence must carry its specification)."""
    manifest = dataset.read_manifest(folder)
    if split not in (*dataset.SPLITS, "all"):
        raise InputError(f"--split {split!r}: expected one of {', '.join(dataset.SPLITS)}, all")
    data_inputs = [item["name"] for item in manifest.get("inputs", [])]
    data_outputs = [item["name"] for item in manifest.get("outputs", [])]
    for kind, want, have in (("input", inputs, data_inputs), ("output", outputs, data_outputs)):
        missing = [name for name in want if name not in have]
        if missing:
            raise InputError(f"{folder}/manifest.json has no {kind} {missing[0]} (the weights need it; "
                             f"{kind}s: {', '.join(have)})")
    chosen = [entry for entry in manifest.get("sequences", []) if split == "all" or entry.get("split") == split]
    if not chosen:
        raise InputError(f"{folder}/manifest.json has no sequence in split {split!r}")
    ids, specs, recorded = [], [], []
    for entry in chosen:
        if "stimulus" not in entry:
            raise InputError(f"{folder}/manifest.json: sequence {entry.get('id')} has no stimulus specification "
                             "(only generated datasets can be compared)")
        missing = [name for name in inputs if name not in entry["stimulus"]]
        if missing:
            raise InputError(f"{folder}/manifest.json: sequence {entry.get('id')} has no stimulus for {missing[0]}")
        header, table = dataset.read_sequence_csv(folder / entry["file"])
        recorded.append(table[:, [header.index(name) for name in outputs]])
        ids.append(str(entry["id"]))
        specs.append(entry["stimulus"])
    raw = (folder / "manifest.json").read_bytes()
    source = {"dataset": str(folder), "manifest_sha256": hashlib.sha256(raw).hexdigest(), "split": split}
    return StimulusSet(ids, specs, float(manifest["dt_ms"]), float(manifest["duration_ms"]), source, recorded)


def from_library(scenario: Scenario, seed: int, sequence: int, dt_ms: float, duration_ms: float) -> StimulusSet:
    """Sequence N of the seeded stimulus library (what `generate` with that seed makes as sequence N)."""
    spec = stimuli.sequence_stimuli(seed, sequence, scenario.inputs, scenario.amplitudes_nA, duration_ms)
    source = {"library_seed": seed, "sequence": sequence, "library_version": stimuli.LIBRARY_VERSION}
    return StimulusSet([f"library_{sequence}"], [spec], dt_ms, duration_ms, source)


def from_library_split(scenario: Scenario, generated: dict, split: str, dt_ms: float,
                       duration_ms: float) -> StimulusSet:
    """The stimuli of one split of a dataset that `generate` made, rebuilt from the seeded library.

    generated: the dataset's provenance ("seed", "sequences", "split" counts), e.g. as a weights file
    records it; the sequences and their ids are those `generate` wrote, without the dataset itself.
    """
    try:
        seed, count = int(generated["seed"]), int(generated["sequences"])
        counts = tuple(int(generated["split"][name]) for name in dataset.SPLITS)
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"dataset provenance lacks the library seed, sequence count or split counts ({error})") \
            from None
    splits = dataset.assign_splits(counts)  # type: ignore[arg-type]
    chosen = [k for k in range(1, count + 1) if splits[k - 1] == split]
    if not chosen:
        raise InputError(f"the generated dataset had no sequence in split {split!r}")
    specs = [stimuli.sequence_stimuli(seed, k, scenario.inputs, scenario.amplitudes_nA, duration_ms) for k in chosen]
    source = {"library_seed": seed, "sequences": count, "split": split, "split_counts": list(counts),
              "library_version": stimuli.LIBRARY_VERSION}
    return StimulusSet([dataset.sequence_id(k, count) for k in chosen], specs, dt_ms, duration_ms, source)


def describe_source(source: dict) -> str:
    if "dataset" in source:
        return f"{source['dataset']} split {source['split']}"
    if "split" in source:
        return (f"split {source['split']} of {source['sequences']} sequences of stimulus library seed "
                f"{source['library_seed']} (as generated)")
    return f"stimulus library seed {source['library_seed']} sequence {source['sequence']}"


@dataclass
class ModelRuns:
    """What one model produced on a stimulus set, with its wall times (seconds)."""

    outputs: list[np.ndarray]  # per sequence (n_steps, n_outputs), mV
    build_s: float
    run_s: list[float]  # per sequence, wall time of finitialize + psolve
    run_cpu_s: list[float]  # the same in the process thread's CPU time (no time spent descheduled)
    summary: dict
    predictions: list[np.ndarray] = field(default_factory=list)  # reduced only: the model's y_k

    @property
    def total_run_s(self) -> float:
        return float(sum(self.run_s))

    @property
    def total_run_cpu_s(self) -> float:
        return float(sum(self.run_cpu_s))


def run_full(stimulus_set: StimulusSet, inputs: tuple[str, ...], outputs: tuple[str, ...],
             params: str = "default") -> ModelRuns:
    """Build the 302-neuron network, run every sequence, then remove the network from NEURON."""
    from neurorom.connectome_model import ConnectomeModel

    model = ConnectomeModel(params=params, cache_efficient=True)
    results, times, cpu_times = [], [], []
    for spec in stimulus_set.stimuli:
        drive = {name: stimuli.breakpoints(spec[name]) for name in inputs}
        _, y = model.run(drive, list(inputs), list(outputs), stimulus_set.dt_ms, stimulus_set.duration_ms)
        results.append(y)
        times.append(model.last_run_seconds)
        cpu_times.append(model.last_run_cpu_seconds)
    runs = ModelRuns(results, model.build_seconds, times, cpu_times, model.summary())
    runs.summary["provenance"] = model.provenance()
    model.close()
    return runs


def run_reduced(stimulus_set: StimulusSet, weights: Path, morphology: bool, params: str = "default") -> ModelRuns:
    """Build the reduced network, run every sequence (inputs sampled at the model dt), then remove it."""
    from neurorom.reduced_network import ReducedNetwork, sample_stimuli

    network = ReducedNetwork(weights, params=params, morphology=morphology, cache_efficient=True)
    n_steps = int(round(stimulus_set.duration_ms / stimulus_set.dt_ms))
    results, predictions, times, cpu_times = [], [], [], []
    for spec in stimulus_set.stimuli:
        x = sample_stimuli(spec, network.model.inputs, network.dt_ms, n_steps)
        y_soma, y_model = network.run(x)
        results.append(y_soma)
        predictions.append(y_model)
        times.append(network.last_run_seconds)
        cpu_times.append(network.last_run_cpu_seconds)
    runs = ModelRuns(results, network.build_seconds, times, cpu_times, network.summary(), predictions)
    network.close()
    return runs


@dataclass
class Accuracy:
    outputs: tuple[str, ...]
    rmse_mv: np.ndarray  # per output
    range_mv: np.ndarray  # per output, of the full model's trace
    pooled_rmse_mv: float

    @property
    def nrmse(self) -> np.ndarray:
        return self.rmse_mv / self.range_mv

    @property
    def pooled_nrmse(self) -> float:
        return float(np.mean(self.nrmse))


def accuracy(full: list[np.ndarray], reduced: list[np.ndarray], outputs: tuple[str, ...]) -> Accuracy:
    """RMSE and NRMSE of reduced against full over all sequences (see the module docstring)."""
    a, b = np.concatenate(full), np.concatenate(reduced)
    if a.shape != b.shape:
        raise ValueError(f"full {a.shape} and reduced {b.shape} traces differ in shape")
    error = b - a
    span = np.ptp(a, axis=0)
    flat = np.where(span > 0, span, np.nan)  # a constant trace has no meaningful NRMSE
    return Accuracy(outputs, np.sqrt(np.mean(error**2, axis=0)), flat, float(np.sqrt(np.mean(error**2))))


def weights_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_weights_fit(info, scenario: Scenario, dt_ms: float) -> None:
    """The weights must speak the scenario's channels at the comparison's dt."""
    for kind, have, want in (("input", info.inputs, scenario.inputs), ("output", info.outputs, scenario.outputs)):
        unknown = [name for name in have if name not in want]
        if unknown:
            raise InputError(f"{info.path}: {kind} {unknown[0]} is not one of the {kind}s of scenario "
                             f"{scenario.name} ({', '.join(want)})")
    if abs(info.dt_ms - dt_ms) > 1e-12 * dt_ms:
        raise InputError(f"{info.path} was trained at dt {info.dt_ms:g} ms, the comparison runs at dt {dt_ms:g} ms")


def format_table(acc: Accuracy, full: ModelRuns, reduced: ModelRuns, n_sequences: int) -> str:
    """The human-readable report: accuracy per output and pooled, then times and speed-up."""
    lines = [f"{'output':8s} {'RMSE (mV)':>10s} {'range (mV)':>11s} {'NRMSE':>8s}"]
    for name, rmse, span, nrmse in zip(acc.outputs, acc.rmse_mv, acc.range_mv, acc.nrmse):
        lines.append(f"{name:8s} {rmse:10.4f} {span:11.3f} {100 * nrmse:7.2f}%")
    lines.append(f"{'pooled':8s} {acc.pooled_rmse_mv:10.4f} {'':11s} {100 * acc.pooled_nrmse:7.2f}%"
                 "   (NRMSE: mean over outputs)")
    lines.append("")
    lines.append(f"{'model':10s} {'build (s)':>10s} {'run wall (s)':>13s} {'run CPU (s)':>12s} "
                 f"{'fastest run (ms)':>17s}")
    for label, runs in (("full", full), ("reduced", reduced)):
        lines.append(f"{label:10s} {runs.build_s:10.3f} {runs.total_run_s:13.4f} {runs.total_run_cpu_s:12.4f} "
                     f"{1e3 * min(runs.run_s):17.3f}")
    ratios = speedups(full, reduced)
    lines.append(f"run-time speed-up (full / reduced) over {n_sequences} run(s): {ratios['speedup']:.1f}x wall, "
                 f"{ratios['speedup_cpu']:.1f}x CPU, {ratios['speedup_best_run']:.1f}x between the fastest runs")
    return "\n".join(lines)


def speedups(full: ModelRuns, reduced: ModelRuns) -> dict[str, float]:
    """Run-time ratios: total wall time (what a user waits), total CPU time, and fastest runs (on a
    shared machine, time descheduled and interference only ever add to a run)."""
    def ratio(a: float, b: float) -> float:
        return a / b if b > 0 else float("inf")

    return {"speedup": ratio(full.total_run_s, reduced.total_run_s),
            "speedup_cpu": ratio(full.total_run_cpu_s, reduced.total_run_cpu_s),
            "speedup_best_run": ratio(min(full.run_s), min(reduced.run_s))}


def result_record(acc: Accuracy, full: ModelRuns, reduced: ModelRuns, extra: dict) -> dict:
    """The machine-readable result (the --json line)."""
    record = {
        "rmse_mv": acc.pooled_rmse_mv,
        "nrmse": acc.pooled_nrmse,
        "full_run_s": full.total_run_s,
        "reduced_run_s": reduced.total_run_s,
        "full_run_cpu_s": full.total_run_cpu_s,
        "reduced_run_cpu_s": reduced.total_run_cpu_s,
        **speedups(full, reduced),
        "full_build_s": full.build_s,
        "reduced_build_s": reduced.build_s,
        "per_output": {name: {"rmse_mv": float(r), "range_mv": float(s), "nrmse": float(n)}
                       for name, r, s, n in zip(acc.outputs, acc.rmse_mv, acc.range_mv, acc.nrmse)},
        "settings": SETTINGS,
    }
    record.update(extra)
    return record


def plot(path: Path, dt_ms: float, outputs: tuple[str, ...], full: np.ndarray, reduced: np.ndarray,
         title: str) -> None:
    """PNG overlay of one sequence: full (solid) and reduced (dashed) soma voltage of each output."""
    plt = figures.pyplot()
    t = np.arange(full.shape[0]) * dt_ms
    rows = len(outputs)
    figure, axes = plt.subplots(rows, 1, sharex=True, figsize=(8, 1.8 * rows + 0.8), squeeze=False)
    for j, (name, axis) in enumerate(zip(outputs, axes[:, 0])):
        axis.plot(t, full[:, j], color="black", linewidth=1.2, label="full connectome")
        axis.plot(t, reduced[:, j], color="tab:red", linewidth=1.0, linestyle="--", label="reduced")
        axis.set_ylabel(f"{name} (mV)")
    axes[0, 0].legend(loc="upper right", fontsize="small")
    axes[0, 0].set_title(title, fontsize="medium")
    axes[-1, 0].set_xlabel("t (ms)")
    figure.tight_layout()
    figures.save_figure(figure, path)


def json_line(record: dict) -> str:
    """One line of strict JSON (a NaN, e.g. the NRMSE of a constant trace, becomes null)."""
    def clean(value):
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(item) for item in value]
        if isinstance(value, (float, np.floating)):
            return float(value) if np.isfinite(value) else None
        if isinstance(value, np.integer):
            return int(value)
        return value

    return json.dumps(clean(record), sort_keys=True, allow_nan=False)
