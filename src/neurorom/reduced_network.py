"""The reduced network: a scenario's input and output neurons, the trained model between them.

Every other neuron of the connectome is gone. Each input neuron receives its stimulus through a
RomStim electrode on its soma (mod/RomStim.mod: what an IClamp with its amp played by Vector.play
injects, to the bit, without an event per sample); the model (a RomModel, neurorom.reduced) reads
those electrodes' currents and drives each output neuron's soma through a stiff RomClamp. By default the neurons are single-compartment
(cells.build_cell(morphology=False): same passive properties and membrane area as the full cell);
morphology=True keeps their full c302 morphologies.

Timing: the model advances once per model dt (the weights' dt) and reads at t_k = k * dt the input
sample X[k] = stimulus(t_k), exactly what it was trained on: the electrodes play each sample on
(t_k - dt/2, t_k + dt/2]. The clamp holds the prediction y_k from t_k to t_{k+1}, so the output soma
reaches it one integration step after t_k (see docs/mechanism.md). Units: ms, nA, mV.
"""

import time
from pathlib import Path

import numpy as np
from neuron import h

from neurorom import cells, dataset, mechanisms, parameters, stimuli
from neurorom.errors import InputError
from neurorom.reduced import ReducedModel


def passive_overrides(params: parameters.ParameterSet) -> dict:
    """The membrane values a parameter set imposes on every cell (as ConnectomeModel applies them)."""
    keys = (("g_leak_S_per_cm2", "g_leak"), ("e_leak_mV", "e_leak"), ("cm_uF_per_cm2", "cm"),
            ("ra_ohm_cm", "ra"), ("v_init_mV", "v_init"))
    values = {name: params.get("membrane", key) for name, key in keys}
    return {name: value for name, value in values.items() if value is not None}


def sample_stimuli(stimulus: dict[str, dict], names: tuple[str, ...], dt_ms: float, n_steps: int) -> np.ndarray:
    """(n_steps, len(names)): each input's current at t_k = k * dt_ms, nA (a missing input gets 0)."""
    t = np.arange(n_steps) * dt_ms
    columns = [stimuli.sample(stimulus[name], t) if name in stimulus else np.zeros(n_steps) for name in names]
    return np.column_stack(columns) if columns else np.zeros((n_steps, 0))


class ReducedNetwork:
    """Input and output neurons of a weights file in NEURON, with the model between them."""

    def __init__(self, weights: str | Path, params: str | Path = "default", morphology: bool = False,
                 cache_efficient: bool = True):
        start = time.perf_counter()
        mechanisms.load()
        h.load_file("stdrun.hoc")
        self.model = ReducedModel(weights)
        self.morphology = morphology
        self.params = parameters.load(params)
        passive = passive_overrides(self.params)
        d_lambda = self.params.get("morphology", "d_lambda") or cells.DEFAULT_D_LAMBDA
        frequency = self.params.get("morphology", "frequency") or cells.DEFAULT_FREQUENCY_HZ
        self.output_neurons = [dataset.neuron_of_output(name) for name in self.model.outputs]
        names = list(dict.fromkeys((*self.model.inputs, *self.output_neurons)))
        self.cells = {name: cells.build_cell(name, morphology, passive, d_lambda, frequency) for name in names}
        self.v_init = next(iter(self.cells.values())).passive.v_init_mV
        self.stimuli = {}
        for name in self.model.inputs:
            electrode = h.RomStim(self.cells[name].soma(0.5))
            electrode.amp = 0.0
            self.stimuli[name] = electrode
        self.model.attach(inputs=self.stimuli,
                          outputs={channel: self.cells[neuron].soma(0.5)
                                   for channel, neuron in zip(self.model.outputs, self.output_neurons)})
        self.pc = h.ParallelContext()
        self.pc.nthread(1)
        # Fixed step; psolve needs a max step even without spike exchange.
        self.pc.set_maxstep(10)
        h.CVode().active(0)
        h.CVode().cache_efficient(1 if cache_efficient else 0)
        self.cache_efficient = cache_efficient
        self.build_seconds = time.perf_counter() - start
        self.last_run_seconds = float("nan")
        self.last_run_cpu_seconds = float("nan")  # the same span in this thread's CPU time

    @property
    def dt_ms(self) -> float:
        return self.model.dt_ms

    def summary(self) -> dict:
        return {
            "neurons": len(self.cells),
            "sections": sum(len(cell.sections) for cell in self.cells.values()),
            "segments": sum(cell.nseg for cell in self.cells.values()),
            "morphology": self.morphology,
            "model": self.model.info.description,
        }

    def run(self, x: np.ndarray, sim_dt_ms: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Drive the inputs with samples x (n_steps, n_inputs) in nA at the model dt.

        Returns (Y_soma, Y_model), both (n_steps, n_outputs) in mV at t_k = k * dt: the output
        neurons' soma voltages, and the model's predictions y_k (what it set the clamps to at t_k).
        """
        x = np.asarray(x, dtype=float)
        n_steps = x.shape[0] if x.ndim == 2 else 0
        if x.ndim != 2 or x.shape[1] != len(self.model.inputs) or n_steps < 1:
            raise InputError(f"inputs must be (n_steps, {len(self.model.inputs)}) samples, got shape {x.shape}")
        dt = self.dt_ms
        sim_dt = dt if sim_dt_ms is None else sim_dt_ms
        ratio = int(round(dt / sim_dt)) if sim_dt > 0 else 0
        if ratio < 1 or abs(ratio * sim_dt - dt) > 1e-9 * dt:
            raise InputError(f"integration step {sim_dt_ms} ms does not divide the model dt {dt} ms")

        # Sample k holds on (t_k - dt/2, t_k + dt/2]; the entry at t = 0 sets it at finitialize.
        times = h.Vector(np.concatenate([[0.0], (np.arange(1, n_steps) - 0.5) * dt]))
        for j, name in enumerate(self.model.inputs):
            self.stimuli[name].play(times, h.Vector(x[:, j]))  # copied; applies from finitialize on
        recorders = [h.Vector().record(self.cells[name].soma(0.5)._ref_v) for name in self.output_neurons]
        self.model.record(n_steps + 2)

        h.dt = sim_dt
        start, start_cpu = time.perf_counter(), time.thread_time()
        h.finitialize(self.v_init)
        self.pc.psolve((n_steps - 1) * dt + sim_dt * 0.5)
        self.last_run_seconds = time.perf_counter() - start
        self.last_run_cpu_seconds = time.thread_time() - start_cpu

        y_soma = np.column_stack([np.array(vector)[::ratio][:n_steps] for vector in recorders])
        y_model = self.model.recorded_outputs()[:n_steps]
        if y_soma.shape[0] != n_steps or y_model.shape[0] != n_steps:
            raise RuntimeError(f"recorded {y_soma.shape[0]} soma samples and {y_model.shape[0]} model steps, "
                               f"expected {n_steps}")
        return y_soma, y_model

    def close(self) -> None:
        """Remove the network's sections and point processes from NEURON."""
        self.model = None
        self.stimuli = {}
        self.cells = {}
