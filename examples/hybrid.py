"""Hybrid network: the GRU-4 replaces the circuit between the FCM inputs and outputs, while the
output motor neurons keep driving detailed downstream neurons (the drop-in-replacement use).

    ./neurorom setup && .venv/bin/python examples/hybrid.py

The hybrid network keeps, with their full morphologies, synapses and gap junctions among themselves:
the scenario's inputs (PLML, PLMR, AVBL, AVBR), its outputs (DB1, LUAL, PVR, VB1) and the three
GABAergic motor neurons the outputs synapse onto most (VD1, VD2, DD1). Every other neuron is removed.
The trained model reads the currents injected into the inputs and clamps the output somas to its
predictions; the downstream neurons respond through the outputs' real synapses (mostly from DB1) and
gap junctions.

Reference: the same trimmed network with the output somas clamped to what the full 302-neuron
connectome computes for them. The downstream neurons then see the true outputs; the difference
between the two runs is what replacing the circuit by the GRU costs downstream. Units: ms, nA, mV.
"""

import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the neurorom package, also without the venv's path file
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")  # no GUI, no DISPLAY warning

from neuron import h  # noqa: E402

from neurorom import connectome, stimuli  # noqa: E402
from neurorom.connectome_model import ConnectomeModel  # noqa: E402
from neurorom.reduced import ReducedModel  # noqa: E402
from neurorom.reduced_network import sample_stimuli  # noqa: E402
from neurorom.scenarios import load_scenario  # noqa: E402

WEIGHTS = ROOT / "weights" / "fcm_gru4.json"
DOWNSTREAM = ("VD1", "VD2", "DD1")
DT_MS, DURATION_MS = 0.5, 500.0
n_steps = int(DURATION_MS / DT_MS)

scenario = load_scenario("fcm")
inputs, outputs = list(scenario.inputs), list(scenario.outputs)
stimulus = stimuli.sequence_stimuli(1, 3, scenario.inputs, scenario.amplitudes_nA, DURATION_MS)  # held out
x = sample_stimuli(stimulus, scenario.inputs, DT_MS, n_steps)
t = np.arange(n_steps) * DT_MS

# 1. The full connectome: the true output traces.
full = ConnectomeModel()
drive = {name: stimuli.breakpoints(stimulus[name]) for name in inputs}
_, y_full = full.run(drive, inputs, outputs, DT_MS, DURATION_MS)
full.close()

# 2. Two trimmed networks side by side in one simulation (they share no connection).
kept = set(inputs) | set(outputs) | set(DOWNSTREAM)
removed = [name for name in connectome.neurons() if name not in kept]
hybrid = ConnectomeModel(ablate=removed)
replay = ConnectomeModel(ablate=removed)


def input_clamps(network: ConnectomeModel) -> dict:
    """An IClamp on each input soma playing sample k on (t_k - dt/2, t_k + dt/2], as the model reads it."""
    clamps = {}
    times = h.Vector(np.concatenate([[0.0], (np.arange(1, n_steps) - 0.5) * DT_MS]))
    for j, name in enumerate(inputs):
        clamp = h.IClamp(network.cells[name].soma(0.5))
        clamp.delay, clamp.dur = 0.0, 1e9
        amplitudes = h.Vector(x[:, j])
        amplitudes.play(clamp._ref_amp, times, 0)
        clamps[name] = (clamp, times, amplitudes)
    return clamps


# Hybrid: the GRU reads the input currents and clamps the output somas.
hybrid_inputs = input_clamps(hybrid)
model = ReducedModel(WEIGHTS).attach(inputs={name: hybrid_inputs[name][0] for name in inputs},
                                     outputs={name: hybrid.cells[name].soma(0.5) for name in outputs})

# Replay: the same inputs; the output somas clamped to the full connectome's traces, each value
# held for one step as the model's clamp holds its prediction.
replay_inputs = input_clamps(replay)
replay_clamps = []
for j, name in enumerate(outputs):
    clamp = h.SEClamp(replay.cells[name].soma(0.5))
    clamp.dur1, clamp.rs = 1e9, model.clamp_rs_mohm
    targets = h.Vector(y_full[:, j])
    step_times = h.Vector(t)
    targets.play(clamp._ref_amp1, step_times, 0)
    replay_clamps.append((clamp, targets, step_times))

# One run integrates both networks: hybrid.run records the hybrid's cells, the vectors the replay's.
names = outputs + list(DOWNSTREAM)
recorders = {name: h.Vector().record(replay.cells[name].soma(0.5)._ref_v) for name in names}
_, y_hybrid = hybrid.run({}, [], names, DT_MS, DURATION_MS)
y_replay = np.column_stack([np.array(recorders[name])[:n_steps] for name in names])

print(f"hybrid network: {len(kept)} detailed neurons, {model.info.description} in place of the other "
      f"{len(removed)}; FCM test stimulus (library seed 1, sequence 3), {DURATION_MS:g} ms at dt {DT_MS:g} ms")
print(f"{'neuron':8s} {'role':11s} {'hybrid vs reference RMSE (mV)':>30s} {'swing (mV)':>11s}")
for k, name in enumerate(names):
    role = "output" if name in outputs else "downstream"
    rmse = np.sqrt(np.mean((y_hybrid[:, k] - y_replay[:, k]) ** 2))
    print(f"{name:8s} {role:11s} {rmse:30.4f} {np.ptp(y_replay[:, k]):11.3f}")
