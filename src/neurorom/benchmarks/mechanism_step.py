"""Per-step cost of the reduced-model mechanism at hidden sizes 4, 16 and 64 (part of `./neurorom bench compare`).

Two numbers per hidden size, for a GRU (classic) with 4 inputs and 4 outputs (the FCM shape):
- `abi_ns`: one rom_nrn_step through the C ABI, timed in C++ by build/src/nrn/rom_nrn_bench;
- `neuron_ns`: what one model step adds to a NEURON run: delivery of the RomModel's self-event,
  reading 4 inputs, the step, setting 4 clamp targets, plus the 4 RomClamps' currents, measured as
  (run time with models - run time without) / (instances x model steps), with `instances` copies of
  4 input and 4 output somas at h.dt = model dt (fixed step, cache_efficient), best of `repeats`.
Both are thread CPU time (time spent descheduled on a shared machine does not count), best of the
repeats since interference only ever adds time.
Goal (issue 4): <= 0.3 us per step at hidden size 4. `measure()` runs in a fresh process, so that the
caller's NEURON model does not weigh on the timing.

    python -m neurorom.benchmarks.mechanism_step [--instances N] [--steps N] [--repeats R] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from neurorom import mechanisms, paths
from neurorom.errors import InputError

HIDDEN_SIZES = (4, 16, 64)
GOAL_NS_AT_HIDDEN_4 = 300.0
BENCH = paths.BUILD / "src" / "nrn" / "rom_nrn_bench"


def abi_costs(folder: Path, steps: int) -> dict[str, float]:
    """ns per rom_nrn_step by model stem (e.g. "gru_classic_4"); the weights files land in folder."""
    if not BENCH.is_file():
        raise InputError(f"{BENCH} is missing (run ./neurorom setup)")
    result = subprocess.run([str(BENCH), "--steps", str(steps), "--save", str(folder), "--json"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise InputError(f"rom_nrn_bench failed: {result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1])["ns_per_step"]


class SomaGroup:
    """One copy of the FCM-shaped reduced network without its model: 4 input and 4 output somas."""

    def __init__(self, h, index: int, inputs: tuple[str, ...], outputs: tuple[str, ...]):
        self.sections = {}
        for name in (*inputs, *outputs):
            section = h.Section(name=f"bench{index}_{name}")
            section.L = section.diam = 10.0
            section.insert("pas")
            self.sections[name] = section
        self.stimuli = {}
        for j, name in enumerate(inputs):
            stimulus = h.IClamp(self.sections[name](0.5))
            stimulus.delay, stimulus.dur, stimulus.amp = 0.0, 1e9, 0.001 * (j + 1)
            self.stimuli[name] = stimulus
        self.outputs = {name: self.sections[name](0.5) for name in outputs}


def timed_run(h, pc, steps: int, dt_ms: float) -> float:
    h.dt = dt_ms
    start = time.thread_time()
    h.finitialize(-65.0)
    pc.psolve(steps * dt_ms)
    return time.thread_time() - start


def neuron_cost(weights: Path, instances: int, steps: int, repeats: int) -> dict:
    """Extra wall time per model step of one RomModel (with its clamps) inside a NEURON run."""
    from neuron import h

    from neurorom.reduced import ReducedModel

    mechanisms.load()
    probe = ReducedModel(weights)
    groups = [SomaGroup(h, i, probe.inputs, probe.outputs) for i in range(instances)]
    pc = h.ParallelContext()
    pc.nthread(1)
    pc.set_maxstep(10)
    cvode = h.CVode()
    saved = (h.dt, cvode.active(), cvode.cache_efficient())
    cvode.active(0)
    cvode.cache_efficient(1)
    without, with_models = [], []
    try:
        for _ in range(repeats):
            without.append(timed_run(h, pc, steps, probe.dt_ms))
            models = [ReducedModel(weights).attach(inputs=g.stimuli, outputs=g.outputs) for g in groups]
            with_models.append(timed_run(h, pc, steps, probe.dt_ms))
            taken = models[0].n_steps
            del models
    finally:
        h.dt = saved[0]
        cvode.active(saved[1])
        cvode.cache_efficient(saved[2])
    per_step_ns = (min(with_models) - min(without)) / (instances * taken) * 1e9
    return {"neuron_ns": per_step_ns, "run_without_s": min(without), "run_with_s": min(with_models),
            "instances": instances, "model_steps": taken}


def measure(instances: int = 100, steps: int = 2000, repeats: int = 5, abi_steps: int = 300000) -> dict:
    """Run the measurement in a fresh process, so that whatever the caller built in NEURON does not count."""
    command = [sys.executable, "-m", "neurorom.benchmarks.mechanism_step", "--here", "--json",
               "--instances", str(instances), "--steps", str(steps), "--repeats", str(repeats),
               "--abi-steps", str(abi_steps)]
    environment = {**os.environ, "NEURON_MODULE_OPTIONS": os.environ.get("NEURON_MODULE_OPTIONS", "-nogui")}
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise InputError(f"mechanism per-step benchmark failed: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_here(instances: int, steps: int, repeats: int, abi_steps: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="neurorom-bench-mechanism-") as folder:
        abi = abi_costs(Path(folder), abi_steps)
        rows = []
        for hidden in HIDDEN_SIZES:
            stem = f"gru_classic_{hidden}"
            row = {"hidden": hidden, "abi_ns": abi[stem]}
            row.update(neuron_cost(Path(folder) / f"model_{stem}.json", instances, steps, repeats))
            rows.append(row)
    return {"model": "GRU (classic), 4 inputs, 4 outputs", "rows": rows, "abi_all_ns": abi,
            "goal_ns_at_hidden_4": GOAL_NS_AT_HIDDEN_4,
            "goal_met": rows[0]["neuron_ns"] <= GOAL_NS_AT_HIDDEN_4}


def format_table(result: dict) -> str:
    lines = [f"mechanism cost per model step, {result['model']} (best of repeats)",
             f"{'hidden':>6}  {'rom_nrn_step (ns)':>17}  {'in NEURON (ns)':>14}"]
    for row in result["rows"]:
        lines.append(f"{row['hidden']:>6}  {row['abi_ns']:>17.0f}  {row['neuron_ns']:>14.0f}")
    first = result["rows"][0]
    lines.append(f"goal <= {GOAL_NS_AT_HIDDEN_4:.0f} ns per step at hidden 4: "
                 f"{'met' if result['goal_met'] else 'NOT met'} ({first['neuron_ns']:.0f} ns in NEURON, "
                 f"{first['instances']} instances x {first['model_steps']} steps)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m neurorom.benchmarks.mechanism_step",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=100, help="model copies in the NEURON run (default 100)")
    parser.add_argument("--steps", type=int, default=2000, help="model steps per NEURON run (default 2000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each kind; the best counts (default 5)")
    parser.add_argument("--abi-steps", type=int, default=300000, help="steps per rom_nrn_bench run")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--here", action="store_true", help="measure in this process (measure() uses it)")
    args = parser.parse_args(argv)
    if min(args.instances, args.steps, args.repeats, args.abi_steps) < 1:
        raise InputError("--instances, --steps, --repeats and --abi-steps must be positive")
    run = measure_here if args.here else measure
    result = run(args.instances, args.steps, args.repeats, args.abi_steps)
    print(format_table(result))
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except InputError as error:
        print(f"mechanism_step: error: {error}", file=sys.stderr)
        sys.exit(2)
