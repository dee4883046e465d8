"""The full 302-neuron connectome vs. the shipped GRU-4 on one held-out FCM stimulus, in Python.

    ./neurorom setup && .venv/bin/python examples/fcm_compare.py

The stimulus is sequence 3 of the seeded stimulus library (seed 1): the first test sequence of
data/fcm-dt0.5, on which weights/fcm_gru4.json was not trained. The full model and the reduced
network (the four input and four output neurons as single compartments, the GRU between them) run
in this process; the script prints each output's RMSE and NRMSE and the two run times.
Units: ms, nA, mV.
"""

import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the neurorom package, also without the venv's path file
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")  # no GUI, no DISPLAY warning

from neurorom import stimuli  # noqa: E402
from neurorom.connectome_model import ConnectomeModel  # noqa: E402
from neurorom.reduced_network import ReducedNetwork, sample_stimuli  # noqa: E402
from neurorom.scenarios import load_scenario  # noqa: E402

WEIGHTS = ROOT / "weights" / "fcm_gru4.json"
DT_MS, DURATION_MS = 0.5, 500.0
n_steps = int(DURATION_MS / DT_MS)

scenario = load_scenario("fcm")
stimulus = stimuli.sequence_stimuli(1, 3, scenario.inputs, scenario.amplitudes_nA, DURATION_MS)

# 1. The high-fidelity network: 302 neurons with morphologies, graded synapses, gap junctions.
full = ConnectomeModel()
drive = {name: stimuli.breakpoints(stimulus[name]) for name in scenario.inputs}
_, y_full = full.run(drive, list(scenario.inputs), list(scenario.outputs), DT_MS, DURATION_MS)
print(f"full:    build {full.build_seconds:.2f} s, run {1e3 * full.last_run_seconds:8.2f} ms "
      f"(CPU {1e3 * full.last_run_cpu_seconds:.2f} ms)")
full.close()  # remove it from NEURON, so that the reduced run integrates only its own cells

# 2. The reduced network: inputs and outputs only, the trained GRU-4 between them.
reduced = ReducedNetwork(WEIGHTS)
x = sample_stimuli(stimulus, reduced.model.inputs, DT_MS, n_steps)
y_reduced, _ = reduced.run(x)
print(f"reduced: build {reduced.build_seconds:.2f} s, run {1e3 * reduced.last_run_seconds:8.2f} ms "
      f"(CPU {1e3 * reduced.last_run_cpu_seconds:.2f} ms; {reduced.model.info.description})")

# 3. Soma voltages of the outputs, full vs. reduced.
columns = [reduced.model.outputs.index(name) for name in scenario.outputs]
error = y_reduced[:, columns] - y_full
rmse = np.sqrt(np.mean(error**2, axis=0))
span = np.ptp(y_full, axis=0)
print(f"{'output':8s} {'RMSE (mV)':>10s} {'NRMSE':>7s}")
for name, r, s in zip(scenario.outputs, rmse, span):
    print(f"{name:8s} {r:10.4f} {100 * r / s:6.2f}%")
speedup = full.last_run_cpu_seconds / reduced.last_run_cpu_seconds
print(f"pooled NRMSE {100 * np.mean(rmse / span):.2f}%, speed-up {speedup:.0f}x (CPU time of the runs)")
