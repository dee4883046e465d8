"""`./neurorom generate`: a dataset from the high-fidelity model, over MPI ranks with --np.

usage: ./neurorom generate --scenario fcm --out DIR [--dt 0.5] [--duration 500] [--sequences 40] [--np N]
                           [--seed S] [--split 20/10/10] [--ablate NAMES] [--params SET] [--table c302]

The dataset is docs/formats.md's: DIR/manifest.json plus one CSV per sequence, inputs the injected
currents (nA), outputs the soma voltages (mV), sampled every dt ms. Sequence k's stimuli are sequence k
of the seeded stimulus library (stimuli.py), stored in full in the manifest. The manifest is written
first, with every sequence planned; the CSVs follow, each written atomically. Re-running the same command
keeps the finished sequences whose content matches their plan and simulates the rest. The bytes written
depend only on the request (never on the number of ranks or on interruptions).

An ablated input neuron keeps its column with zero current (nothing can be injected into it), so that a
dataset of the ablated network lines up with one of the intact network.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurorom import dataset, parallel, run_options, stimuli
from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.git_state import git_state
from neurorom.progress import Progress
from neurorom.scenarios import Scenario, load_scenario

GENERATOR = "neurorom generate"


@dataclass(frozen=True)
class Request:
    scenario: Scenario
    dt_ms: float
    duration_ms: float
    n_steps: int
    sim_dt_ms: float | None
    count: int
    seed: int
    split: tuple[int, int, int]
    ablate: tuple[str, ...]
    params: str
    table: str
    out: Path
    ranks: int
    timing_json: Path | None


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandParser(prog="./neurorom generate", description=__doc__.split("\n\n")[0])
    run_options.add_arguments(parser)
    parser.add_argument("--sequences", type=int, default=40, help="number of sequences (default 40)")
    parser.add_argument("--out", required=True, type=Path, help="dataset folder (created; resumed if it exists)")
    parser.add_argument("--np", type=int, default=1, metavar="N", help="MPI ranks (default 1)")
    parser.add_argument("--split", default=None, metavar="T/V/X",
                        help="train/valid/test counts (default: half, a quarter, a quarter; 20/10/10 for 40)")
    parser.add_argument("--timing-json", type=Path, default=None, metavar="FILE",
                        help="write the run's timing (for ./neurorom bench hf)")
    return parser.parse_args(argv)


def make_request(args: argparse.Namespace) -> Request:
    scenario = load_scenario(args.scenario)
    n_steps = run_options.sample_count(args.dt, args.duration, args.sim_dt)
    if args.sequences < 1:
        raise InputError(f"--sequences must be at least 1, got {args.sequences}")
    if args.np < 1:
        raise InputError(f"--np must be at least 1, got {args.np}")
    split = (dataset.parse_split(args.split, args.sequences) if args.split
             else dataset.default_split_counts(args.sequences))
    ablate = run_options.ablated_neurons(args.ablate)
    ablated_outputs = [name for name in scenario.outputs if name in ablate]
    if ablated_outputs:
        raise InputError(f"output neuron {ablated_outputs[0]} of scenario {scenario.name} is ablated: "
                         "it cannot be recorded")
    return Request(scenario, args.dt, args.duration, n_steps, args.sim_dt, args.sequences, args.seed, split,
                   ablate, args.params, args.table, args.out, args.np, args.timing_json)


def check_output_folder(folder: Path) -> None:
    """Create the folder and prove it writable, so that a bad --out fails before any simulation."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create output folder {folder}: {error.strerror or error}") from None
    probe = folder / ".write-probe"
    try:
        dataset.write_text_atomic(probe, "")
    except InputError:
        raise InputError(f"output folder {folder} is not writable") from None
    probe.unlink()
    if not (folder / "manifest.json").exists():
        others = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        if others:
            raise InputError(f"--out {folder} is not empty ({others[0]}, ...) and holds no dataset manifest")


# ---- the plan: manifest with every sequence's stimulus -------------------------------------------

def planned_sequences(req: Request) -> list[dict]:
    splits = dataset.assign_splits(req.split)
    entries = []
    for k in range(1, req.count + 1):
        stimulus = stimuli.sequence_stimuli(req.seed, k, req.scenario.inputs, req.scenario.amplitudes_nA,
                                            req.duration_ms)
        for name in req.ablate:
            if name in stimulus:
                stimulus[name] = {"shape": "none", "ablated": True, "t_ms": [0.0], "amp_nA": [0.0]}
        seq_id = dataset.sequence_id(k, req.count)
        entries.append({"id": seq_id, "file": f"{seq_id}.csv", "split": splits[k - 1], "stimulus": stimulus})
    return entries


def output_channels(req: Request) -> list[str]:
    return dataset.output_channel_names(req.scenario.inputs, req.scenario.outputs)


def planned_manifest(req: Request, model_provenance: dict) -> dict:
    return {
        "format": dataset.FORMAT,
        "format_version": dataset.FORMAT_VERSION,
        "dt_ms": req.dt_ms,
        "n_steps": req.n_steps,
        "duration_ms": req.duration_ms,
        "inputs": [{"name": name, "unit": "nA"} for name in req.scenario.inputs],
        "outputs": [{"name": name, "unit": "mV"} for name in output_channels(req)],
        "sequences": planned_sequences(req),
        "provenance": {
            "generator": GENERATOR,
            "units": {"time": "ms", "inputs": "nA (injected current)", "outputs": "mV (soma voltage)"},
            "scenario": req.scenario.provenance(),
            "seed": req.seed,
            "sequences": req.count,
            "split": dict(zip(dataset.SPLITS, req.split)),
            "integration_dt_ms": req.sim_dt_ms if req.sim_dt_ms is not None else req.dt_ms,
            "stimulus_library": {
                "version": stimuli.LIBRARY_VERSION,
                "families": list(stimuli.FAMILIES),
                "reference_duration_ms": stimuli.REFERENCE_DURATION_MS,
                "numpy_version": np.__version__,
            },
            "model": model_provenance,
            "git": git_state(),
        },
    }


def first_difference(old: object, new: object, where: str = "") -> str | None:
    """The path of the first value that differs between two JSON documents, or None."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            found = first_difference(old.get(key), new.get(key), f"{where}.{key}" if where else key)
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if old == new else f"{where or 'manifest'} ({json.dumps(old)[:60]} -> {json.dumps(new)[:60]})"


def prepare_folder(req: Request, manifest: dict) -> list[int]:
    """Write or check the manifest; the 0-based indices of the sequences still to simulate."""
    folder = req.out
    dataset.remove_stale_temporaries(folder)
    path = folder / "manifest.json"
    if path.exists():
        existing = dataset.read_manifest(folder)
        # Provenance first: a different seed or model is a clearer message than the first stimulus it moves.
        difference = (first_difference(existing.get("provenance"), manifest["provenance"], "provenance")
                      or first_difference(existing, manifest))
        if difference:
            raise InputError(f"{folder} holds a different dataset (differs at {difference}); "
                             "use another --out or remove it")
    else:
        dataset.write_manifest(folder, manifest)
    todo = []
    for index, entry in enumerate(manifest["sequences"]):
        csv = folder / entry["file"]
        if not csv.exists():
            todo.append(index)
            continue
        problem = csv_problem(req, entry, csv)
        if problem:
            print(f"neurorom generate: {csv.name} {problem}; simulating it again", file=sys.stderr, flush=True)
            todo.append(index)
    return todo


def csv_problem(req: Request, entry: dict, path: Path) -> str | None:
    """Why a finished sequence's CSV does not match its plan (None if it does)."""
    try:
        header, values = dataset.read_sequence_csv(path)
    except InputError as error:
        return f"is unreadable ({error})"
    expected = ["t_ms", *req.scenario.inputs, *output_channels(req)]
    if header != expected:
        return f"has the header {','.join(header)}, expected {','.join(expected)}"
    if values.shape[0] != req.n_steps:
        return f"has {values.shape[0]} rows, expected {req.n_steps}"
    t = dataset.sample_times(req.dt_ms, req.n_steps)
    if not np.array_equal(values[:, 0], t):
        return "has other sample times than dt"
    for j, name in enumerate(req.scenario.inputs, start=1):
        spec = entry["stimulus"][name]
        planned = stimuli.sample(spec, t)
        tolerance = 1e-12 + 1e-9 * float(np.max(np.abs(spec["amp_nA"])))  # interpolation rounding only
        if np.max(np.abs(values[:, j] - planned)) > tolerance:
            return f"holds another stimulus of {name} than planned"
    if not np.all(np.isfinite(values)):
        return "holds non-finite values"
    return None


# ---- simulation ----------------------------------------------------------------------------------

def simulate_sequence(model, req: Request, stimulus: dict) -> str:
    """One sequence's CSV text (the model gives an ablated input a zero column)."""
    inputs, outputs = list(req.scenario.inputs), list(req.scenario.outputs)
    drive = {name: stimuli.breakpoints(stimulus[name]) for name in inputs}
    X, Y = model.run(drive, inputs, outputs, req.dt_ms, req.duration_ms, req.sim_dt_ms)
    return dataset.sequence_csv_text(req.dt_ms, inputs, output_channels(req), X, Y)


def prepare_model(req: Request):
    model = run_options.build_model(req.params, req.table, req.ablate)
    run_options.check_scenario_on(model, req.scenario, req.dt_ms, req.sim_dt_ms)
    return model


def report(req: Request, manifest: dict, simulated: int, build_seconds: float, simulate_seconds: float,
           run_seconds: float, ranks: int) -> None:
    kept = len(manifest["sequences"]) - simulated
    rate = simulated / simulate_seconds if simulate_seconds > 0 else float("nan")
    print(f"wrote {req.out}: {req.count} sequences of {req.n_steps} samples at dt {req.dt_ms:g} ms "
          f"({simulated} simulated, {kept} kept) on {ranks} rank(s): build {build_seconds:.2f} s, "
          f"simulation {simulate_seconds:.2f} s ({rate:.2f} sequences/s)", flush=True)
    if req.timing_json:
        timing = {"ranks": ranks, "sequences_simulated": simulated, "build_seconds": build_seconds,
                  "simulate_seconds": simulate_seconds, "sequences_per_second": rate,
                  "integration_seconds_sum": run_seconds}
        dataset.write_text_atomic(req.timing_json, json.dumps(timing, indent=2) + "\n")


def run_serial(req: Request) -> int:
    model = prepare_model(req)
    manifest = planned_manifest(req, model.provenance())
    todo = prepare_folder(req, manifest)
    progress = Progress("generate", len(manifest["sequences"]), len(manifest["sequences"]) - len(todo))
    start = time.perf_counter()
    run_seconds = 0.0
    try:
        for index in todo:
            entry = manifest["sequences"][index]
            text = simulate_sequence(model, req, entry["stimulus"])
            run_seconds += model.last_run_seconds
            dataset.write_text_atomic(req.out / entry["file"], text)
            progress.step()
    except KeyboardInterrupt:
        progress.close()
        print(f"neurorom generate: interrupted; {progress.done} of {progress.total} sequences are in "
              f"{req.out}; the same command completes the rest")
        return 130
    progress.close()
    report(req, manifest, len(todo), model.build_seconds, time.perf_counter() - start, run_seconds, 1)
    return 0


# Every rank's model and request, for the jobs the bulletin board hands it.
_rank_state: dict = {}


def _simulate_job(index: float, stimulus: dict) -> tuple:
    """A bulletin-board job: (index, CSV text, error, integration seconds)."""
    if _rank_state.get("error"):
        return int(index), None, _rank_state["error"], 0.0
    model, req = _rank_state["model"], _rank_state["request"]
    try:
        text = simulate_sequence(model, req, stimulus)
    except Exception as error:  # reported by rank 0, which owns the terminal
        return int(index), None, f"{type(error).__name__}: {error}", 0.0
    return int(index), text, None, model.last_run_seconds


def run_mpi(req: Request) -> int:
    farm = parallel.Farm()
    _rank_state["request"] = req
    try:
        _rank_state["model"] = prepare_model(req)
    except InputError as error:
        _rank_state["error"] = str(error)
    except Exception as error:
        _rank_state["error"] = f"{type(error).__name__}: {error}"
    farm.start_workers()  # ranks > 0 stay there until rank 0 calls farm.finish

    status = 0
    try:
        status = _mpi_rank0(req, farm)
    except InputError as error:
        print(f"neurorom generate: error: {error}", file=sys.stderr, flush=True)
        status = 2
    except KeyboardInterrupt:
        status = 130
    except BaseException:
        traceback.print_exc()
        status = 1
    farm.finish(status)
    return status  # not reached: finish ends the process


def _mpi_rank0(req: Request, farm: parallel.Farm) -> int:
    if _rank_state.get("error"):
        raise InputError(_rank_state["error"])
    model = _rank_state["model"]
    check_output_folder(req.out)  # again: a cluster launcher may have started the ranks directly
    manifest = planned_manifest(req, model.provenance())
    todo = prepare_folder(req, manifest)
    sequences = manifest["sequences"]
    progress = Progress("generate", len(sequences), len(sequences) - len(todo))
    start = time.perf_counter()
    for index in todo:
        farm.submit(_simulate_job, index, sequences[index]["stimulus"])
    errors = []
    run_seconds = 0.0
    for index, text, error, seconds in farm.results():
        if error:
            errors.append(f"{sequences[index]['id']}: {error}")
            continue
        dataset.write_text_atomic(req.out / sequences[index]["file"], text)
        run_seconds += seconds
        progress.step()
    progress.close()
    if errors:
        raise InputError(f"{len(errors)} sequence(s) failed, first {errors[0]}")
    report(req, manifest, len(todo), model.build_seconds, time.perf_counter() - start, run_seconds, farm.ranks)
    return 0


def main(argv: list[str]) -> int:
    req = make_request(parse_arguments(argv))
    if parallel.under_mpi():
        return run_mpi(req)
    check_output_folder(req.out)
    if req.timing_json is not None:
        dataset.prepare_output_file(req.timing_json, "--timing-json")
    if req.ranks > 1:
        return parallel.relaunch(req.ranks, ["generate", *argv])
    return run_serial(req)
