"""The 302-neuron hermaphrodite network in NEURON (the high-fidelity model).

Cells come from c302's NeuroML2 files (cells.py), connections from a connectome table
(connectome.py), values from a parameter set (parameters.py, params/*.json). Every synapse and
gap junction sits on the postsynaptic soma (as in c302) and reads the presynaptic soma voltage
through ParallelContext source_var/target_var, so the network runs with threads and with its cells
spread over the MPI ranks of the current (sub)world (cell i lives on rank i % nhost).
Units: mV, ms, nA, uS, um.
"""

import time
import weakref
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from neuron import h

from neurorom import c302_data, cells, connectome, parameters
from neurorom.errors import InputError

# Source ids of different ConnectomeModel instances in one process must not collide.
SGID_STRIDE = 1000
# pc.gid_clear(TRANSFER_CLEAR) forgets every source_var/target_var (measured on NEURON 9.0.2).
TRANSFER_CLEAR = 3


def ensure_mechanisms() -> None:
    """Load the compiled mod files (GradedSyn, GapJunction) once per process."""
    if hasattr(h, "GradedSyn") and hasattr(h, "GapJunction"):
        return
    try:
        from neurorom import mechanisms
    except ModuleNotFoundError:
        raise InputError("neurorom.mechanisms is missing: cannot load GradedSyn/GapJunction") from None
    mechanisms.load()
    if not (hasattr(h, "GradedSyn") and hasattr(h, "GapJunction")):
        raise InputError("the NEURON mechanisms GradedSyn/GapJunction are not built; run ./neurorom setup")


def _piecewise_linear(t_bp: np.ndarray, a_bp: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Breakpoint interpolation, held before the first and after the last point; at a repeated
    breakpoint time (a step) the later value holds from that time on."""
    k = np.searchsorted(t_bp, t, side="right") - 1
    out = np.empty_like(t, dtype=float)
    before, after = k < 0, k >= len(t_bp) - 1
    out[before] = a_bp[0]
    out[after] = a_bp[-1]
    mid = ~(before | after)
    k0 = k[mid]
    span = t_bp[k0 + 1] - t_bp[k0]
    frac = (t[mid] - t_bp[k0]) / span
    out[mid] = a_bp[k0] + frac * (a_bp[k0 + 1] - a_bp[k0])
    return out


class ConnectomeModel:
    """The 302-neuron hermaphrodite network in NEURON, built once per process."""

    _instances = 0
    # Models whose transfers NEURON knows. A model that was garbage collected leaves stale
    # registrations behind, so all transfers are then cleared and the live models re-register.
    _live: "weakref.WeakSet[ConnectomeModel]" = weakref.WeakSet()
    _registered = 0

    def __init__(self, params: str | Path = "default", table: str = "c302", ablate: Sequence[str] = (),
                 cache_efficient: bool = True, threads: int = 1):
        start = time.perf_counter()
        ensure_mechanisms()
        self.params = parameters.load(params)
        full = connectome.load(table)
        known = set(full.neurons)
        for name in ablate:
            if name not in known:
                raise InputError(f"unknown neuron {name!r} in --ablate (not one of the 302 neurons)")
        self.ablated = tuple(sorted(set(ablate)))
        self.connectome = full.without(set(self.ablated))
        self.pc = h.ParallelContext()
        self.rank, self.nhost = int(self.pc.id()), int(self.pc.nhost())
        self._sgid_base = ConnectomeModel._instances * SGID_STRIDE
        ConnectomeModel._instances += 1
        self._sgid = {name: self._sgid_base + i for i, name in enumerate(full.neurons)}

        p = self.params
        self.d_lambda = p.get("morphology", "d_lambda")
        self.frequency_hz = p.get("morphology", "frequency")
        passive = {k: v for k, v in (
            ("g_leak_S_per_cm2", p.get("membrane", "g_leak")), ("e_leak_mV", p.get("membrane", "e_leak")),
            ("cm_uF_per_cm2", p.get("membrane", "cm")), ("ra_ohm_cm", p.get("membrane", "ra")),
            ("v_init_mV", p.get("membrane", "v_init"))) if v is not None}

        neurons = self.connectome.neurons
        self.cells = {name: cells.build_cell(name, True, passive, self.d_lambda, self.frequency_hz)
                      for i, name in enumerate(neurons) if i % self.nhost == self.rank}
        self.v_init = next(iter(self.cells.values())).passive.v_init_mV if self.cells else -65.0

        # (point process, name of its target variable, source id it reads) of every synapse and
        # gap-junction half; registered with NEURON in _register_transfers.
        self._targets: list[tuple[object, str, int]] = []
        self.synapses = []
        for conn in self.connectome.chemical:
            post = self.cells.get(conn.post)
            if post is None:
                continue
            kind = "chemical_inhibitory" if conn.inhibitory else "chemical_excitatory"
            syn = h.GradedSyn(post.soma(0.5))
            syn.gmax = p.get(kind, "g_per_synapse") * conn.count
            syn.e = p.get(kind, "e_rev")
            syn.vth = p.get(kind, "v_half")
            syn.delta = p.get(kind, "slope")
            syn.tau = p.get(kind, "tau")
            self._targets.append((syn, "vpre", self._sgid[conn.pre]))
            self.synapses.append(syn)

        self.gap_junctions = []
        g_gap = p.get("gap_junction", "g_per_junction")
        for pair in self.connectome.gap:
            for here, there in ((pair.a, pair.b), (pair.b, pair.a)):
                cell = self.cells.get(here)
                if cell is None:
                    continue
                gj = h.GapJunction(cell.soma(0.5))
                gj.g = g_gap * pair.count
                self._targets.append((gj, "vgap", self._sgid[there]))
                self.gap_junctions.append(gj)

        self.pc.nthread(threads)
        ConnectomeModel._sync_transfers(adding=self)
        # Fixed-step runs without NetCons: psolve needs a max step (no spike exchange happens).
        self.pc.set_maxstep(10)
        h.CVode().active(0)
        h.CVode().cache_efficient(1 if cache_efficient else 0)
        self.build_seconds = time.perf_counter() - start
        self.last_run_seconds = float("nan")
        self.last_run_cpu_seconds = float("nan")  # the same span in this thread's CPU time

    def _register_transfers(self) -> None:
        for name, cell in self.cells.items():
            self.pc.source_var(cell.soma(0.5)._ref_v, self._sgid[name], sec=cell.soma)
        for point, var, sgid in self._targets:
            self.pc.target_var(point, getattr(point, f"_ref_{var}"), sgid)

    @classmethod
    def _sync_transfers(cls, adding: "ConnectomeModel | None" = None) -> None:
        pc = h.ParallelContext()
        if len(cls._live) != cls._registered:
            pc.gid_clear(TRANSFER_CLEAR)
            for model in cls._live:
                model._register_transfers()
            cls._registered = len(cls._live)
        if adding is not None:
            adding._register_transfers()
            cls._live.add(adding)
            cls._registered += 1
        pc.setup_transfer()

    def close(self) -> None:
        """Remove this network from NEURON (its sections, synapses and transfers)."""
        if self in ConnectomeModel._live:
            ConnectomeModel._live.discard(self)
            self.cells, self.synapses, self.gap_junctions, self._targets = {}, [], [], []
            ConnectomeModel._sync_transfers()

    # ---- description -------------------------------------------------------------------------
    def _total(self, value: float) -> int:
        return int(round(self.pc.allreduce(value, 1))) if self.nhost > 1 else int(value)

    def summary(self) -> dict:
        """Counts of the built network (with cells on several ranks, every rank must call it)."""
        c = self.connectome
        return {
            "neurons": len(c.neurons),
            "sections": self._total(sum(len(cell.sections) for cell in self.cells.values())),
            "segments": self._total(sum(cell.nseg for cell in self.cells.values())),
            "chemical_connections": len(c.chemical),
            "chemical_synapses": sum(x.count for x in c.chemical),
            "chemical_synapses_excitatory": sum(x.count for x in c.chemical if not x.inhibitory),
            "chemical_synapses_inhibitory": sum(x.count for x in c.chemical if x.inhibitory),
            "gap_junction_connections": len(c.gap),
            "gap_junctions": sum(g.count for g in c.gap),
            "table": c.table,
            "ablated": list(self.ablated),
        }

    def provenance(self) -> dict:
        import neuron
        return {
            "parameter_set": {"name": self.params.name, "file": self.params.path.name,
                              "sha256": self.params.sha256},
            "connectome_table": {"name": self.connectome.table, "file": self.connectome.source.name,
                                 "sha256": self.connectome.sha256},
            "c302_version": c302_data.version(),
            "neuron_version": neuron.__version__,
            "ablated": list(self.ablated),
            "nseg_rule": {"d_lambda": self.d_lambda, "frequency_hz": self.frequency_hz},
        }

    # ---- simulation --------------------------------------------------------------------------
    def _check_neuron(self, name: str, role: str, ablated_ok: bool) -> None:
        if name not in self._sgid:
            raise InputError(f"unknown {role} neuron {name!r} (not one of the 302 neurons)")
        if name in self.ablated and not ablated_ok:
            raise InputError(f"{role} neuron {name!r} is ablated in this network")

    def run(self, stimuli: dict[str, tuple[np.ndarray, np.ndarray]], inputs: list[str], outputs: list[str],
            dt_ms: float, duration_ms: float, sim_dt_ms: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Inject piecewise-linear currents, return (X inputs in nA, Y soma voltages in mV).

        Rows are the samples at t = k * dt_ms, k = 0 .. duration_ms / dt_ms - 1. X is the stimulus at
        those times (the breakpoints interpolated); an ablated input gets no current and a zero column.
        """
        # An ablated input stays a column of X, with zero current: nothing is there to inject into.
        for name in stimuli:
            self._check_neuron(name, "stimulated", ablated_ok=True)
        for name in inputs:
            self._check_neuron(name, "input", ablated_ok=True)
        for name in outputs:
            self._check_neuron(name, "output", ablated_ok=False)
        if not (dt_ms > 0 and duration_ms > 0):
            raise InputError(f"dt ({dt_ms} ms) and duration ({duration_ms} ms) must be > 0")
        n_steps = int(round(duration_ms / dt_ms))
        if n_steps < 1 or abs(n_steps * dt_ms - duration_ms) > 1e-9 * duration_ms:
            raise InputError(f"dt {dt_ms} ms does not divide the duration {duration_ms} ms")
        sim_dt = dt_ms if sim_dt_ms is None else sim_dt_ms
        ratio = int(round(dt_ms / sim_dt)) if sim_dt > 0 else 0
        if ratio < 1 or abs(ratio * sim_dt - dt_ms) > 1e-9 * dt_ms:
            raise InputError(f"integration step {sim_dt_ms} ms does not divide the sampling dt {dt_ms} ms")

        breakpoints = {}
        for name, (t_bp, a_bp) in stimuli.items():
            t_bp, a_bp = np.asarray(t_bp, dtype=float), np.asarray(a_bp, dtype=float)
            if t_bp.ndim != 1 or t_bp.shape != a_bp.shape or len(t_bp) == 0:
                raise InputError(f"stimulus of {name}: times and amplitudes must be equal-length 1-D arrays")
            if np.any(np.diff(t_bp) < 0) or not np.all(np.isfinite(t_bp)) or not np.all(np.isfinite(a_bp)):
                raise InputError(f"stimulus of {name}: times must be finite and non-decreasing, amplitudes finite")
            if name not in self.ablated:
                breakpoints[name] = (t_bp, a_bp)

        # Current clamps on the stimulated somas; amp follows the breakpoints (linear in between).
        clamps = []
        for name, (t_bp, a_bp) in breakpoints.items():
            cell = self.cells.get(name)
            if cell is None:
                continue
            clamp = h.IClamp(cell.soma(0.5))
            clamp.delay, clamp.dur = 0.0, 1e9
            # Held constant outside the breakpoints: pad with the end values.
            tv = h.Vector(np.concatenate([[min(0.0, t_bp[0]) - 1.0], t_bp, [max(t_bp[-1], duration_ms) + 1.0]]))
            av = h.Vector(np.concatenate([[a_bp[0]], a_bp, [a_bp[-1]]]))
            av.play(clamp._ref_amp, tv, 1)
            clamps.append((clamp, tv, av))

        recorders = {}
        for name in outputs:
            cell = self.cells.get(name)
            if cell is not None and name not in recorders:
                recorders[name] = h.Vector().record(cell.soma(0.5)._ref_v)

        if len(ConnectomeModel._live) != ConnectomeModel._registered:
            ConnectomeModel._sync_transfers()
        h.dt = sim_dt
        start, start_cpu = time.perf_counter(), time.thread_time()
        h.finitialize(self.v_init)
        self.pc.psolve((n_steps - 1) * dt_ms + sim_dt * 0.5)
        self.last_run_seconds = time.perf_counter() - start
        self.last_run_cpu_seconds = time.thread_time() - start_cpu

        local = {name: np.array(vec)[::ratio][:n_steps] for name, vec in recorders.items()}
        if self.nhost > 1:
            merged = {}
            for part in self.pc.py_allgather(local):
                merged.update(part)
            local = merged
        for name, trace in local.items():
            if len(trace) != n_steps:
                raise RuntimeError(f"recorded {len(trace)} samples of {name}, expected {n_steps}")
        t = np.arange(n_steps) * dt_ms
        zero = (np.array([0.0]), np.array([0.0]))
        x = np.column_stack([_piecewise_linear(*breakpoints.get(name, zero), t) for name in inputs]) \
            if inputs else np.zeros((n_steps, 0))
        y = np.column_stack([local[name] for name in outputs]) if outputs else np.zeros((n_steps, 0))
        del clamps
        return x, y
