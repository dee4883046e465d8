"""`./neurorom bench hf [--json] [--repeats R] [--sequences N]`: cost of the high-fidelity model.

Measures, in one run on this machine:
- the network's build time;
- one 500 ms FCM run at dt 0.5 ms and at dt 0.1 ms (median of R runs; `run` is the whole call in wall
  time, `cpu` its process CPU time (less sensitive to other load), `integration` NEURON's finitialize +
  psolve alone);
- dataset generation throughput (500 ms FCM sequences per second, simulation phase only, from
  `generate --timing-json`) on 1 and on 2 MPI ranks, and their ratio; the end-to-end wall time of each
  command (process start, network build on every rank, writing) is reported beside it.
Goals (issue 3): a 500 ms run at dt 0.5 ms in <= 0.25 s; >= 1.7x generation throughput on 2 ranks.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from neurorom import run_options, stimuli
from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.scenarios import load_scenario

GOAL_RUN_SECONDS = 0.25
GOAL_TWO_RANK_RATIO = 1.7


def time_runs(model, scenario, dt_ms: float, repeats: int) -> dict:
    stimulus = stimuli.sequence_stimuli(run_options.DEFAULT_SEED, 1, scenario.inputs, scenario.amplitudes_nA, 500.0)
    drive = {name: stimuli.breakpoints(spec) for name, spec in stimulus.items()}
    whole, integration, cpu = [], [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        model.run(drive, list(scenario.inputs), list(scenario.outputs), dt_ms, 500.0)
        whole.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        integration.append(model.last_run_seconds)
    return {"dt_ms": dt_ms, "steps": round(500.0 / dt_ms), "run_seconds": statistics.median(whole),
            "integration_seconds": statistics.median(integration), "run_cpu_seconds": statistics.median(cpu),
            "repeats": repeats}


def time_generation(ranks: int, sequences: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="neurorom-bench-hf-") as folder:
        timing_file = Path(folder) / "timing.json"
        command = [sys.executable, "-m", "neurorom", "generate", "--scenario", "fcm", "--dt", "0.5",
                   "--duration", "500", "--sequences", str(sequences), "--np", str(ranks),
                   "--out", str(Path(folder) / "data"), "--timing-json", str(timing_file)]
        env = dict(os.environ, NEUROROM_PROGRESS_TTY="0")
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise InputError(f"generate on {ranks} rank(s) failed: {done.stderr.strip().splitlines()[-1:]}")
        timing = json.loads(timing_file.read_text())
    return {"ranks": ranks, "sequences": sequences, "sequences_per_second": timing["sequences_per_second"],
            "simulate_seconds": timing["simulate_seconds"], "command_wall_seconds": wall}


def main(argv: list[str]) -> int:
    parser = CommandParser(prog="./neurorom bench hf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--repeats", type=int, default=3, help="runs per dt (median reported; default 3)")
    parser.add_argument("--sequences", type=int, default=16, help="sequences per generation run (default 16)")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.sequences < 2:
        raise InputError("--repeats must be >= 1 and --sequences >= 2")

    scenario = load_scenario("fcm")
    model = run_options.build_model("default", "c302", ())
    results = {
        "machine": {"cpus": os.cpu_count(), "load_average_1min": os.getloadavg()[0]},
        "build_seconds": model.build_seconds,
        "runs": [time_runs(model, scenario, dt, args.repeats) for dt in (0.5, 0.1)],
    }
    model.close()
    one, two = time_generation(1, args.sequences), time_generation(2, args.sequences)
    results["generation"] = [one, two]
    ratio = two["sequences_per_second"] / one["sequences_per_second"]
    results["two_rank_ratio"] = ratio
    run_05 = results["runs"][0]["run_seconds"]
    results["goals"] = {
        "run_dt0.5_seconds": {"goal": f"<= {GOAL_RUN_SECONDS}", "measured": run_05,
                              "met": run_05 <= GOAL_RUN_SECONDS},
        "two_rank_ratio": {"goal": f">= {GOAL_TWO_RANK_RATIO}", "measured": ratio,
                           "met": ratio >= GOAL_TWO_RANK_RATIO},
    }
    results["machine"]["load_average_1min_after"] = os.getloadavg()[0]

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"high-fidelity FCM network (302 neurons), {os.cpu_count()} CPUs, "
          f"load average {results['machine']['load_average_1min']:.2f}")
    if results["machine"]["load_average_1min"] > 0.5:
        print("note: other processes are running; wall times and the rank ratio understate this model")
    print(f"build                      {model.build_seconds:8.3f} s")
    for run in results["runs"]:
        print(f"500 ms run at dt {run['dt_ms']:<4g} ms   {run['run_seconds']:8.3f} s "
              f"(cpu {run['run_cpu_seconds']:.3f} s, integration {run['integration_seconds']:.3f} s, "
              f"{run['steps']} steps, "
              f"{1e6 * run['integration_seconds'] / run['steps']:.0f} us/step; median of {run['repeats']})")
    for gen in results["generation"]:
        print(f"generate on {gen['ranks']} rank(s)        {gen['sequences_per_second']:8.2f} sequences/s "
              f"({gen['sequences']} x 500 ms in {gen['simulate_seconds']:.2f} s; whole command "
              f"{gen['command_wall_seconds']:.2f} s)")
    print(f"2 ranks / 1 rank            {ratio:8.2f}x")
    for name, goal in results["goals"].items():
        print(f"goal {name}: {goal['goal']}, measured {goal['measured']:.3f}: "
              f"{'met' if goal['met'] else 'NOT met'}")
    return 0
