"""`./neurorom demo`: the shipped GRU-4 against the full 302-neuron connectome, inside NEURON.

usage: ./neurorom demo [--weights weights/fcm_gru4.json] [--plot out/demo-fcm.png] [--morphology] [--json]

Runs `compare` on the held-out FCM test stimuli: the test split of the dataset the weights were
trained on. If that dataset is in data/ (its manifest hash matches the weights' provenance) its
stimuli are used and the full model must reproduce its recorded outputs; otherwise the same stimuli
are rebuilt from the seeded stimulus library. Prints the accuracy and timing table, writes the plot.
"""

import argparse
import hashlib
import json
from pathlib import Path

from neurorom import comparison, dataset
from neurorom.command_line import CommandParser
from neurorom.commands.compare import Request, report
from neurorom.errors import InputError
from neurorom.paths import ROOT
from neurorom.rom_abi import read_weights_info
from neurorom.scenarios import load_scenario

DEFAULT_WEIGHTS = ROOT / "weights" / "fcm_gru4.json"
DEFAULT_PLOT = ROOT / "out" / "demo-fcm.png"
# The duration `generate` used for the shipped weights' dataset (weights/README.md).
DATASET_DURATION_MS = 500.0


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandParser(prog="./neurorom demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS, help="weights (default: the shipped GRU-4)")
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT, metavar="PNG",
                        help="where to write the overlay (default out/demo-fcm.png)")
    parser.add_argument("--morphology", action="store_true", help="reduced network with full morphologies")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    return parser.parse_args(argv)


def trained_dataset(weights: Path) -> dict:
    """The dataset record a weights file carries (provenance.dataset)."""
    try:
        record = json.loads(weights.read_text(encoding="utf-8"))["provenance"]["dataset"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise InputError(f"{weights}: cannot read provenance.dataset ({error})") from None
    if not isinstance(record, dict) or "provenance" not in record:
        raise InputError(f"{weights}: provenance.dataset has no generator provenance")
    return record


def local_copy(record: dict) -> Path | None:
    """The dataset folder the weights were trained on, if it is here unchanged."""
    for folder in (Path(record.get("path", "")), ROOT / record.get("path", "")):
        manifest = folder / "manifest.json"
        if folder.parts and manifest.is_file():
            if hashlib.sha256(manifest.read_bytes()).hexdigest() == record.get("manifest_sha256"):
                return folder
    return None


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    if not args.weights.is_file():
        what = "is a folder" if args.weights.is_dir() else "does not exist"
        raise InputError(f"weights file {args.weights} {what}")
    info = read_weights_info(args.weights)
    record = trained_dataset(args.weights)
    generated = record["provenance"]
    scenario_name = generated.get("scenario", {}).get("name")
    if not scenario_name:
        raise InputError(f"{args.weights}: the dataset provenance names no scenario")
    scenario = load_scenario(scenario_name)
    if scenario.file_sha256 != generated["scenario"].get("file_sha256"):
        print(f"note: scenarios/{scenario.file.name} changed since the dataset was generated")
    comparison.check_weights_fit(info, scenario, info.dt_ms)
    if args.plot is not None:
        dataset.prepare_output_file(args.plot, "--plot")

    folder = local_copy(record)
    if folder is not None:
        stimulus_set = comparison.from_dataset(folder, "test", info.inputs, info.outputs)
    else:
        stimulus_set = comparison.from_library_split(scenario, generated, "test", info.dt_ms, DATASET_DURATION_MS)
    report(Request(args.weights, info, scenario, stimulus_set, args.morphology, "default", args.plot, args.json))
    return 0
