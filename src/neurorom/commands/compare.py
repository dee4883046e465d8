"""`./neurorom compare`: the full connectome and the reduced model on the same stimuli, inside NEURON.

usage: ./neurorom compare --weights W [--scenario fcm] [--data DIR [--split test] | --stimulus-seq N [--seed S]]
                          [--dt 0.5] [--duration 500] [--morphology] [--params SET] [--plot out.png] [--json]

Both models run in this process with the same NEURON settings (fixed step h.dt = model dt,
cache_efficient, one thread, ParallelContext.psolve). Prints RMSE (mV) and NRMSE (RMSE / range of the
full model's trace) per output and pooled, build and run wall times of each model, and the run-time
speed-up. Stimuli: the sequences of one split of a generated dataset (--data), or sequence N of the
seeded stimulus library (--stimulus-seq, default 1). The reduced network holds only the weights' input
and output neurons, single-compartment unless --morphology. With --json the last line of stdout is one
JSON object (rmse_mv, nrmse, full_run_s, reduced_run_s, speedup, ...).
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurorom import comparison, dataset, run_options
from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.git_state import git_state
from neurorom.rom_abi import WeightsInfo, read_weights_info
from neurorom.scenarios import Scenario, load_scenario


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandParser(prog="./neurorom compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=Path, required=True, help="weights file (JSON) of the reduced model")
    parser.add_argument("--scenario", default="fcm", help="scenario name or JSON file (default fcm)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help="take the stimuli of a generated dataset's split")
    source.add_argument("--stimulus-seq", type=int, default=None, metavar="N",
                        help="sequence N of the seeded stimulus library (default 1)")
    parser.add_argument("--split", default="test", help="with --data: train, valid, test or all (default test)")
    parser.add_argument("--seed", type=int, default=None, help="with --stimulus-seq: library seed (default 1)")
    parser.add_argument("--dt", type=float, default=None, metavar="MS",
                        help="model / integration step in ms (default: the weights' dt; must equal it)")
    parser.add_argument("--duration", type=float, default=None, metavar="MS",
                        help="with --stimulus-seq: run length in ms (default 500)")
    parser.add_argument("--morphology", action="store_true",
                        help="input and output neurons keep their full morphologies in the reduced network")
    parser.add_argument("--params", default="default", help="parameter set of the neurons (default: default)")
    parser.add_argument("--plot", type=Path, default=None, metavar="PNG",
                        help="overlay of full and reduced output traces (first sequence)")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args(argv)
    if args.data is not None and args.duration is not None:
        parser.error("--duration comes from the dataset with --data")
    if args.data is None and args.split != "test":
        parser.error("--split needs --data")
    if args.data is not None and args.seed is not None:
        parser.error("--seed picks library stimuli; with --data the stimuli are the dataset's")
    return args


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    info = read_weights_info(args.weights)
    scenario = load_scenario(args.scenario)
    dt = args.dt if args.dt is not None else info.dt_ms
    if not dt > 0:
        raise InputError(f"--dt must be a positive number of ms, got {dt}")
    comparison.check_weights_fit(info, scenario, dt)
    if args.plot is not None:
        dataset.prepare_output_file(args.plot, "--plot")

    if args.data is not None:
        stimulus_set = comparison.from_dataset(args.data, args.split, info.inputs, info.outputs)
        if abs(stimulus_set.dt_ms - dt) > 1e-12 * dt:
            raise InputError(f"{args.data} is sampled at dt {stimulus_set.dt_ms:g} ms, the comparison runs at "
                             f"dt {dt:g} ms")
    else:
        duration = 500.0 if args.duration is None else args.duration
        run_options.sample_count(dt, duration)  # InputError unless dt divides the duration
        sequence = 1 if args.stimulus_seq is None else args.stimulus_seq
        seed = 1 if args.seed is None else args.seed
        stimulus_set = comparison.from_library(scenario, seed, sequence, dt, duration)
    report(Request(args.weights, info, scenario, stimulus_set, args.morphology, args.params, args.plot, args.json))
    return 0


@dataclass
class Request:
    """One comparison: the weights, the stimuli and how to report."""

    weights: Path
    info: WeightsInfo
    scenario: Scenario
    stimulus_set: comparison.StimulusSet
    morphology: bool = False
    params: str = "default"
    plot: Path | None = None
    json: bool = False


def report(request: Request) -> dict:
    """Run both models, print the comparison, write the plot; return the result record."""
    info, scenario, stimulus_set = request.info, request.scenario, request.stimulus_set
    n = len(stimulus_set.ids)
    print(f"weights: {request.weights} ({info.description}, dt {info.dt_ms:g} ms)")
    print(f"stimuli: {n} sequence(s) of {stimulus_set.duration_ms:g} ms at dt {stimulus_set.dt_ms:g} ms from "
          f"{comparison.describe_source(stimulus_set.source)}")
    print(f"NEURON settings (both models): {comparison.SETTINGS}", flush=True)

    full = comparison.run_full(stimulus_set, info.inputs, info.outputs, request.params)
    print(f"full:    {full.summary['neurons']} neurons, {full.summary['segments']} segments, "
          f"{full.summary['chemical_synapses']} chemical synapses, {full.summary['gap_junctions']} gap junctions",
          flush=True)
    reduced = comparison.run_reduced(stimulus_set, request.weights, request.morphology, request.params)
    kind = "full morphologies" if request.morphology else "single compartments"
    print(f"reduced: {reduced.summary['neurons']} neurons ({kind}), {reduced.summary['segments']} segments, "
          f"{reduced.summary['model']}")

    extra: dict = {}
    if stimulus_set.recorded is not None:
        # The full model here must be the one that made the dataset: it reproduces it.
        drift = max(float(np.max(np.abs(a - b))) for a, b in zip(full.outputs, stimulus_set.recorded))
        print(f"full model vs the dataset's recorded outputs: max |difference| {drift:.3g} mV")
        extra["full_vs_dataset_max_mv"] = drift
    acc = comparison.accuracy(full.outputs, reduced.outputs, info.outputs)
    predicted = comparison.accuracy(full.outputs, reduced.predictions, info.outputs)
    print()
    print(comparison.format_table(acc, full, reduced, n))
    print(f"(the model's own predictions, before the output clamps: pooled RMSE {predicted.pooled_rmse_mv:.4f} mV, "
          f"NRMSE {100 * predicted.pooled_nrmse:.2f}%)")

    if request.plot is not None:
        title = (f"{scenario.name}, {stimulus_set.ids[0]}: full connectome vs reduced {info.description.split(',')[0]}"
                 f" ({kind})")
        comparison.plot(request.plot, stimulus_set.dt_ms, info.outputs, full.outputs[0], reduced.outputs[0], title)
        print(f"plot: {request.plot}")

    extra.update({
        "model_prediction_rmse_mv": predicted.pooled_rmse_mv,
        "model_prediction_nrmse": predicted.pooled_nrmse,
        "n_sequences": n,
        "sequence_ids": stimulus_set.ids,
        "morphology": bool(request.morphology),
        "weights": {"path": str(request.weights), "sha256": comparison.weights_sha256(request.weights),
                    "model": info.description, "dt_ms": info.dt_ms},
        "stimuli": stimulus_set.source,
        "full_network": {key: value for key, value in full.summary.items() if key != "provenance"},
        "full_provenance": full.summary["provenance"],
        "reduced_network": reduced.summary,
        "units": {"rmse": "mV", "time": "s"},
        "git": git_state(),
    })
    record = comparison.result_record(acc, full, reduced, extra)
    if request.json:
        print(comparison.json_line(record))
    return record
