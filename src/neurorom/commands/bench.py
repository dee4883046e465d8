"""`./neurorom bench NAME [--json]`: benchmarks that print ratios measured in one run."""

import importlib

from neurorom.errors import InputError

BENCHMARKS = {
    "train": "our trainer vs. PyTorch, time per epoch of a GRU-4",
    "hf": "the high-fidelity connectome: run time and MPI throughput",
    "compare": "full connectome vs. reduced model inside NEURON, and the mechanism's cost per step",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: ./neurorom bench NAME [--json]\n")
        for name, what in BENCHMARKS.items():
            print(f"  {name:8s} {what}")
        return 0
    if argv[0] not in BENCHMARKS:
        raise InputError(f"unknown benchmark {argv[0]!r} (known: {', '.join(BENCHMARKS)})")
    module = importlib.import_module(f"neurorom.benchmarks.{argv[0]}")
    return int(module.main(argv[1:]) or 0)
