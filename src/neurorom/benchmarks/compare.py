"""`./neurorom bench compare [--json]`: full connectome vs. reduced network, and the mechanism's step cost.

1. Run time of FCM, 500 ms at dt 0.5 ms (stimulus library seed 1, sequence 1), in one process: the
   full 302-neuron model, then the reduced network with the shipped GRU-4 (weights/fcm_gru4.json)
   with single-compartment and with morphological input/output neurons. Each model is built once
   (build time reported separately) and run several times; the speed-up is the ratio of the best
   run times (interference from other processes only ever adds time), medians are shown as well.
   Both sides use the same settings: fixed step, cache_efficient, one thread, ParallelContext.psolve.
2. The mechanism's cost per model step at hidden sizes 4, 16 and 64 (GRU classic, 4 inputs, 4
   outputs): through the C ABI alone (rom_nrn_bench, src/nrn/bench_step.cpp), and inside NEURON as
   the extra time per step that a RomModel adds to eight passive somas with their clamps.
Goals (issue 4): speed-up >= 100x single-compartment, >= 30x morphological; <= 0.3 us/step at hidden 4.
"""

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from neurorom import comparison, paths
from neurorom.errors import InputError
from neurorom.git_state import git_state
from neurorom.scenarios import load_scenario

WEIGHTS = paths.ROOT / "weights" / "fcm_gru4.json"
DT_MS = 0.5
DURATION_MS = 500.0
FULL_REPEATS = 5
REDUCED_REPEATS = 30
STEP_BENCH_STEPS = 200000
NEURON_STEP_MS = 10000.0  # simulated time per in-NEURON step-cost run (20000 model steps)
HIDDEN_SIZES = (4, 16, 64)
GOALS = {"speedup_single": 100.0, "speedup_morphology": 30.0, "us_per_step_hidden4": 0.3}


def timed_runs(run, repeats: int) -> list[float]:
    return [run() for _ in range(repeats)]


def full_model_times(stimulus_set: comparison.StimulusSet, inputs, outputs) -> dict:
    from neurorom import stimuli
    from neurorom.connectome_model import ConnectomeModel

    model = ConnectomeModel(cache_efficient=True)
    drive = {name: stimuli.breakpoints(stimulus_set.stimuli[0][name]) for name in inputs}

    def run() -> float:
        model.run(drive, list(inputs), list(outputs), DT_MS, DURATION_MS)
        return model.last_run_seconds

    times = timed_runs(run, FULL_REPEATS)
    segments = model.summary()["segments"]
    build = model.build_seconds
    model.close()
    return {"build_s": build, "run_s": times, "segments": segments}


def reduced_times(stimulus_set: comparison.StimulusSet, weights: Path, morphology: bool) -> dict:
    from neurorom.reduced_network import ReducedNetwork, sample_stimuli

    network = ReducedNetwork(weights, morphology=morphology, cache_efficient=True)
    x = sample_stimuli(stimulus_set.stimuli[0], network.model.inputs, DT_MS, int(round(DURATION_MS / DT_MS)))

    def run() -> float:
        network.run(x)
        return network.last_run_seconds

    times = timed_runs(run, REDUCED_REPEATS)
    result = {"build_s": network.build_seconds, "run_s": times, "segments": network.summary()["segments"]}
    network.close()
    return result


def abi_step_cost(save_dir: Path) -> dict[str, float]:
    """ns per rom_nrn_step from rom_nrn_bench (its last stdout line is JSON)."""
    program = paths.BUILD / "src" / "nrn" / "rom_nrn_bench"
    if not program.is_file():
        raise InputError(f"{program} is missing (run ./neurorom setup)")
    done = subprocess.run([str(program), "--steps", str(STEP_BENCH_STEPS), "--repeats", "5", "--save",
                           str(save_dir), "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"rom_nrn_bench failed: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])["ns_per_step"]


def neuron_step_cost(weights: Path) -> tuple[float, float]:
    """(us per step of eight passive somas with IClamps and RomClamps, extra us per step with the model)."""
    from neuron import h

    from neurorom import mechanisms
    from neurorom.reduced import ReducedModel

    mechanisms.load()
    rom = ReducedModel(weights)
    somas = {}
    for name in (*rom.inputs, *rom.outputs):
        soma = h.Section(name=f"bench_{name}")
        soma.L = soma.diam = 10.0
        soma.insert("pas")
        somas[name] = soma
    sources = {name: h.IClamp(somas[name](0.5)) for name in rom.inputs}
    for stimulus in sources.values():
        stimulus.delay, stimulus.dur, stimulus.amp = 0.0, 1e9, 0.001
    pc = h.ParallelContext()
    pc.nthread(1)
    pc.set_maxstep(10)
    h.CVode().active(0)
    h.CVode().cache_efficient(1)
    steps = NEURON_STEP_MS / rom.dt_ms

    def best_run() -> float:
        times = []
        for _ in range(3):
            h.dt = rom.dt_ms
            start = time.perf_counter()
            h.finitialize(-65.0)
            pc.psolve(NEURON_STEP_MS)
            times.append(time.perf_counter() - start)
        return min(times)

    idle_clamps = [h.RomClamp(somas[name](0.5)) for name in rom.outputs]
    without = best_run()
    del idle_clamps
    rom.attach(inputs=sources, outputs={name: somas[name](0.5) for name in rom.outputs})
    with_model = best_run()
    del rom, sources, somas
    return 1e6 * without / steps, 1e6 * (with_model - without) / steps


def summarise(times: list[float]) -> dict:
    return {"best_s": min(times), "median_s": statistics.median(times), "repeats": len(times)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="./neurorom bench compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=Path, default=WEIGHTS, help="reduced model (default: the shipped GRU-4)")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args(argv)
    if not args.weights.is_file():
        raise InputError(f"weights file {args.weights} does not exist")
    from neurorom.rom_abi import read_weights_info

    info = read_weights_info(args.weights)
    scenario = load_scenario("fcm")
    comparison.check_weights_fit(info, scenario, DT_MS)
    stimulus_set = comparison.from_library(scenario, 1, 1, DT_MS, DURATION_MS)
    print(f"FCM, {DURATION_MS:g} ms at dt {DT_MS:g} ms, stimulus library seed 1 sequence 1; "
          f"{comparison.SETTINGS}", flush=True)

    full = full_model_times(stimulus_set, info.inputs, info.outputs)
    single = reduced_times(stimulus_set, args.weights, morphology=False)
    morph = reduced_times(stimulus_set, args.weights, morphology=True)
    rows = (("full connectome", full), ("reduced, single compartment", single), ("reduced, morphologies", morph))
    print(f"{'model':30s} {'segments':>8s} {'build (s)':>10s} {'best run (ms)':>14s} {'median (ms)':>12s} "
          f"{'speed-up':>9s}")
    speedups = {}
    for label, row in rows:
        best = min(row["run_s"])
        ratio = min(full["run_s"]) / best
        speedups[label] = ratio
        print(f"{label:30s} {row['segments']:8d} {row['build_s']:10.3f} {1e3 * best:14.3f} "
              f"{1e3 * statistics.median(row['run_s']):12.3f} {ratio:8.1f}x")
    print(f"(best of {FULL_REPEATS} full and {REDUCED_REPEATS} reduced runs; speed-up = best full / best reduced)",
          flush=True)

    with tempfile.TemporaryDirectory(prefix="neurorom-bench-") as folder:
        abi = abi_step_cost(Path(folder))
        in_neuron = {hidden: neuron_step_cost(Path(folder) / f"model_gru_classic_{hidden}.json")
                     for hidden in HIDDEN_SIZES}
    print()
    print(f"{'mechanism, GRU (classic)':26s} {'ABI step (us)':>14s} {'in NEURON, extra per step (us)':>31s}")
    for hidden in HIDDEN_SIZES:
        print(f"{'hidden ' + str(hidden):26s} {abi[f'gru_classic_{hidden}'] / 1e3:14.3f} {in_neuron[hidden][1]:31.3f}")
    floor = statistics.median(base for base, _ in in_neuron.values())
    print(f"(NEURON alone: {floor:.3f} us per step for eight passive somas with their clamps)")

    single_x, morph_x = speedups["reduced, single compartment"], speedups["reduced, morphologies"]
    step4 = abi["gru_classic_4"] / 1e3
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    print()
    print(f"goals: speed-up single compartment {single_x:.0f}x >= {GOALS['speedup_single']:.0f}x "
          f"{verdict(single_x >= GOALS['speedup_single'])}; morphologies {morph_x:.0f}x >= "
          f"{GOALS['speedup_morphology']:.0f}x {verdict(morph_x >= GOALS['speedup_morphology'])}; "
          f"GRU-4 step {step4:.3f} us <= {GOALS['us_per_step_hidden4']} us "
          f"{verdict(step4 <= GOALS['us_per_step_hidden4'])}")

    if args.json:
        record = {
            "scenario": "fcm", "duration_ms": DURATION_MS, "dt_ms": DT_MS, "settings": comparison.SETTINGS,
            "weights": str(args.weights), "model": info.description,
            "full": {**summarise(full["run_s"]), "build_s": full["build_s"], "segments": full["segments"]},
            "reduced_single": {**summarise(single["run_s"]), "build_s": single["build_s"]},
            "reduced_morphology": {**summarise(morph["run_s"]), "build_s": morph["build_s"],
                                   "segments": morph["segments"]},
            "speedup_single": single_x, "speedup_morphology": morph_x,
            "abi_us_per_step": {str(hidden): abi[f"gru_classic_{hidden}"] / 1e3 for hidden in HIDDEN_SIZES},
            "neuron_extra_us_per_step": {str(hidden): in_neuron[hidden][1] for hidden in HIDDEN_SIZES},
            "neuron_floor_us_per_step": floor,
            "goals": GOALS,
            "git": git_state(),
        }
        print(json.dumps(record, sort_keys=True, default=float))
    return 0
