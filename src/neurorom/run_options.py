"""Command-line options shared by `generate` and `simulate`: scenario, timing, network variant."""

from __future__ import annotations

import argparse
import math

from neurorom.errors import InputError
from neurorom.scenarios import Scenario

DEFAULT_SEED = 1


def add_arguments(parser: argparse.ArgumentParser, dt_default: float | None = 0.5,
                  duration_default: float | None = 500.0) -> None:
    parser.add_argument("--scenario", required=True,
                        help="fcm, fcm16, nictation (scenarios/<name>.json) or the path of a scenario JSON file")
    parser.add_argument("--dt", type=float, default=dt_default, metavar="MS", help="sampling step in ms (default 0.5)")
    parser.add_argument("--duration", type=float, default=duration_default, metavar="MS",
                        help="length of each run in ms (default 500); dt must divide it")
    parser.add_argument("--sim-dt", type=float, default=None, metavar="MS",
                        help="integration step in ms, dividing dt (default: dt)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the stimulus library (default {DEFAULT_SEED})")
    parser.add_argument("--ablate", action="append", default=[], metavar="NAMES",
                        help="comma-separated neurons removed from the network, e.g. AVBL,AVBR (repeatable)")
    parser.add_argument("--params", default="default",
                        help="parameter set: name of params/<name>.json or a path (default: default)")
    parser.add_argument("--table", default="c302", help="connectome table: c302 (default) or varshney")


def ablated_neurons(values: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if not name:
                raise InputError(f"--ablate {value!r}: empty neuron name")
            if name not in names:
                names.append(name)
    return tuple(names)


def sample_count(dt_ms: float, duration_ms: float, sim_dt_ms: float | None = None) -> int:
    """Samples per run, duration / dt; InputError unless dt (and the integration step) divide evenly."""
    for label, value in (("--dt", dt_ms), ("--duration", duration_ms), ("--sim-dt", sim_dt_ms)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise InputError(f"{label} must be a positive number of ms, got {value}")
    n_steps = round(duration_ms / dt_ms)
    if n_steps < 1 or abs(n_steps * dt_ms - duration_ms) > 1e-9 * duration_ms:
        raise InputError(f"--dt {dt_ms:g} ms does not divide --duration {duration_ms:g} ms")
    if sim_dt_ms is not None:
        ratio = round(dt_ms / sim_dt_ms)
        if ratio < 1 or abs(ratio * sim_dt_ms - dt_ms) > 1e-9 * dt_ms:
            raise InputError(f"--sim-dt {sim_dt_ms:g} ms does not divide --dt {dt_ms:g} ms")
    return n_steps


def build_model(params: str, table: str, ablate: tuple[str, ...]):
    """The high-fidelity network (imported here: NEURON loads only for commands that simulate)."""
    from neurorom.connectome_model import ConnectomeModel
    return ConnectomeModel(params=params, table=table, ablate=ablate)


def check_scenario_on(model, scenario: Scenario, dt_ms: float, sim_dt_ms: float | None) -> None:
    """One step of the scenario's run: the model's own checks of every input and output name."""
    model.run({}, list(scenario.inputs), list(scenario.outputs), dt_ms, dt_ms, sim_dt_ms)
