"""`./neurorom simulate`: one run of the high-fidelity model; traces to a CSV, optionally a PNG.

usage: ./neurorom simulate --scenario fcm [--stimulus-seq N | --stimulus FILE] [--seed S] [--dt 0.5]
                           [--duration 500] [--ablate NAMES] [--params SET] [--table c302]
                           [--out traces.csv] [--plot traces.png]

Stimuli: sequence N (default 1) of the seeded stimulus library, the same as sequence N of a dataset that
`generate` made with the same seed, scenario and duration. --stimulus FILE takes them from a JSON file:
either a dataset manifest (sequence --stimulus-seq N of it, and its dt and duration unless given) or an
object {input neuron: stimulus} in stimuli.py's form (breakpoints t_ms/amp_nA, or a shape with its
parameters). The CSV has docs/formats.md's sequence layout (t in ms, inputs in nA, outputs in mV); a JSON
file beside it (<out>.json) records units, stimuli and provenance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from neurorom import dataset, figures, run_options, stimuli
from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.git_state import git_state
from neurorom.paths import ROOT
from neurorom.scenarios import Scenario, load_scenario


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandParser(prog="./neurorom simulate", description=__doc__.split("\n\n")[0])
    run_options.add_arguments(parser, dt_default=None, duration_default=None)
    parser.add_argument("--stimulus-seq", type=int, default=None, metavar="N",
                        help="sequence N of the stimulus library or of the --stimulus manifest (default 1)")
    parser.add_argument("--stimulus", type=Path, default=None, metavar="FILE",
                        help="stimuli from a JSON file: a dataset manifest or {input: stimulus}")
    parser.add_argument("--out", type=Path, default=None,
                        help="CSV of the traces (default out/simulate-<scenario>.csv)")
    parser.add_argument("--plot", type=Path, default=None, metavar="PNG", help="also plot inputs and outputs")
    parser.set_defaults(seed=None)  # to tell whether --seed was given
    args = parser.parse_args(argv)
    if args.stimulus is not None and args.seed is not None:
        parser.error("--seed picks library stimuli; with --stimulus they come from the file")
    if args.seed is None:
        args.seed = run_options.DEFAULT_SEED
    return args


def read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read --stimulus {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"--stimulus {path}: invalid JSON at line {error.lineno}: {error.msg}") from None


def stimuli_from_file(path: Path, seq: int | None, scenario: Scenario) -> tuple[dict, dict]:
    """({input: stimulus}, {"dt_ms", "duration_ms"} of a manifest or empty) from a --stimulus file."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"--stimulus {path}: expected a JSON object")
    timing: dict = {}
    if data.get("format") == dataset.FORMAT:
        sequences = data.get("sequences", [])
        number = 1 if seq is None else seq
        if not 1 <= number <= len(sequences):
            raise InputError(f"--stimulus-seq {number}: {path} has sequences 1..{len(sequences)}")
        entry = sequences[number - 1]
        if "stimulus" not in entry:
            raise InputError(f"{path}: sequence {entry.get('id', number)} has no stimulus specification")
        timing = {"dt_ms": data.get("dt_ms"), "duration_ms": data.get("duration_ms")}
        data = entry["stimulus"]
    elif seq is not None:
        raise InputError(f"--stimulus-seq picks a sequence of a dataset manifest; {path} is not one")
    check_stimulus_names(data, scenario, str(path))
    return data, timing


def check_stimulus_names(data: dict, scenario: Scenario, where: str) -> None:
    unknown = [name for name in data if name not in scenario.inputs]
    if unknown:
        raise InputError(f"{where}: {unknown[0]} is not an input of scenario {scenario.name} "
                         f"({', '.join(scenario.inputs)})")
    missing = [name for name in scenario.inputs if name not in data]
    if missing:
        raise InputError(f"{where}: no stimulus for input {missing[0]} (use {{\"shape\": \"none\"}} for none)")
    for name, spec in data.items():
        if not isinstance(spec, dict):
            raise InputError(f"{where}: stimulus of {name} must be an object")
        try:
            stimuli.breakpoints(spec)
        except InputError as error:
            raise InputError(f"{where}: stimulus of {name}: {error}") from None


def plot(path: Path, t: np.ndarray, scenario: Scenario, X: np.ndarray, Y: np.ndarray, title: str) -> None:
    plt = figures.pyplot()
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    for j, name in enumerate(scenario.inputs):
        top.plot(t, X[:, j], label=name)
    top.set_ylabel("injected current (nA)")
    top.legend(loc="upper right", fontsize="small")
    for j, name in enumerate(scenario.outputs):
        bottom.plot(t, Y[:, j], label=name)
    bottom.set_ylabel("soma voltage (mV)")
    bottom.set_xlabel("t (ms)")
    bottom.legend(loc="upper right", fontsize="small", ncol=2 if len(scenario.outputs) > 6 else 1)
    top.set_title(title)
    figure.tight_layout()
    figures.save_figure(figure, path)


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    scenario = load_scenario(args.scenario)
    ablate = run_options.ablated_neurons(args.ablate)
    if args.stimulus is not None:
        stimulus, timing = stimuli_from_file(args.stimulus, args.stimulus_seq, scenario)
        source = {"file": str(args.stimulus), "sequence": args.stimulus_seq}
    else:
        timing = {}
        seq = 1 if args.stimulus_seq is None else args.stimulus_seq
        duration = args.duration if args.duration is not None else 500.0
        stimulus = stimuli.sequence_stimuli(args.seed, seq, scenario.inputs, scenario.amplitudes_nA, duration)
        source = {"library_seed": args.seed, "sequence": seq, "library_version": stimuli.LIBRARY_VERSION}
    dt = args.dt if args.dt is not None else timing.get("dt_ms") or 0.5
    duration = args.duration if args.duration is not None else timing.get("duration_ms") or 500.0
    n_steps = run_options.sample_count(dt, duration, args.sim_dt)
    out = args.out if args.out is not None else ROOT / "out" / f"simulate-{scenario.name}.csv"
    dataset.prepare_output_file(out, "--out")
    if args.plot is not None:
        dataset.prepare_output_file(args.plot, "--plot")

    model = run_options.build_model(args.params, args.table, ablate)
    drive = {name: stimuli.breakpoints(stimulus[name]) for name in scenario.inputs}
    # An ablated input receives nothing: the model gives it a zero column.
    X, Y = model.run(drive, list(scenario.inputs), list(scenario.outputs), dt, duration, args.sim_dt)

    dataset.write_text_atomic(out, dataset.sequence_csv_text(
        dt, scenario.inputs, dataset.output_channel_names(scenario.inputs, scenario.outputs), X, Y))
    record = {
        "generator": "neurorom simulate",
        "units": {"time": "ms", "inputs": "nA (injected current)", "outputs": "mV (soma voltage)"},
        "csv": out.name,
        "dt_ms": dt, "duration_ms": duration, "n_steps": n_steps,
        "integration_dt_ms": args.sim_dt if args.sim_dt is not None else dt,
        "scenario": scenario.provenance(),
        "stimulus_source": source,
        "stimulus": stimulus,
        "model": model.provenance(),
        "git": git_state(),
    }
    dataset.write_text_atomic(out.with_name(out.name + ".json"), dataset.manifest_text(record))
    t = dataset.sample_times(dt, n_steps)
    if args.plot is not None:
        plot(args.plot, t, scenario, X, Y, f"{scenario.name}: {duration:g} ms at dt {dt:g} ms"
             + (f", ablated {','.join(ablate)}" if ablate else ""))

    print(f"{scenario.name}: {duration:g} ms at dt {dt:g} ms; build {model.build_seconds:.2f} s, "
          f"run {model.last_run_seconds:.3f} s")
    print(f"{'output':8s} {'start mV':>9s} {'min mV':>9s} {'max mV':>9s} {'end mV':>9s}")
    for j, name in enumerate(scenario.outputs):
        y = Y[:, j]
        print(f"{name:8s} {y[0]:9.3f} {y.min():9.3f} {y.max():9.3f} {y[-1]:9.3f}")
    print(f"traces: {out}" + (f"; plot: {args.plot}" if args.plot else ""))
    return 0
