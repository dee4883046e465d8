"""A trained reduced-order model running inside NEURON (Python API).

    from neurorom.reduced import ReducedModel
    rm = ReducedModel("weights/fcm_gru4.json")           # loads it, runs its self-test
    rm.attach(inputs={"PLML": iclamp, ...},               # the stimulus sources (their i, nA)
              outputs={"DB1": cell.soma(0.5), ...})       # a stiff clamp on each output soma
    rm.record(n_steps)                                     # optional: keep what the model read and said
    h.finitialize(-65); h.continuerun(500)
    rm.recorded_outputs()                                  # (n_steps, n_outputs), mV

The model is a RomModel point process (mod/RomModel.mod) placed on the first
output's segment; each output gets a RomClamp (mod/RomClamp.mod). It advances
once per model dt, reading its inputs and setting the clamps' targets; see
docs/mechanism.md for the time alignment. Under h.nthread(n) > 1, the model,
its stimulus sources and its output neurons must sit in one thread
(`sections()` lists the cells to keep together with ParallelContext.partition).
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from neurorom.errors import InputError
from neurorom.rom_abi import WeightsInfo, read_weights_info

INPUT_UNIT = "nA"
OUTPUT_UNIT = "mV"
_INPUT, _OUTPUT = 0, 1


def _hoc_message(error: Exception) -> str:
    """The text of a hoc error raised through Python, without NEURON's prefixes."""
    text = str(error)
    for prefix in ("hocobj_call error: ", "hoc_execerror: ", "RomModel: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text


class ReducedModel:
    """A weights file loaded for use inside NEURON; `attach` puts it into the simulation."""

    def __init__(self, weights: str | Path, clamp_rs_mohm: float = 1e-3):
        if not clamp_rs_mohm > 0:
            raise InputError(f"clamp_rs_mohm must be positive, got {clamp_rs_mohm}")
        self.info: WeightsInfo = read_weights_info(weights)
        self.weights = Path(weights)
        self.clamp_rs_mohm = float(clamp_rs_mohm)
        self.point_process: Any = None  # the RomModel, after attach
        self.clamps: dict[str, Any] = {}  # output name -> RomClamp
        self.sources: dict[str, Any] = {}  # input name -> what it reads from
        self._record_steps = 0
        self._local_dt_check: Any = None

    # What the weights hold.
    @property
    def dt_ms(self) -> float:
        return self.info.dt_ms

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.info.inputs

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.info.outputs

    def __repr__(self) -> str:
        state = "attached" if self.point_process is not None else "not attached"
        return f"ReducedModel({str(self.weights)!r}: {self.info.description}, dt {self.dt_ms} ms, {state})"

    def attach(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> "ReducedModel":
        """Connect the model to NEURON objects; every name must be a channel of the weights.

        inputs: every input channel -> its stimulus source: a point process with a
            current `i` in nA (e.g. h.IClamp), or a NEURON pointer (`obj._ref_x`).
        outputs: some or all output channels -> the segment (or section: its
            middle) whose voltage the model drives through a RomClamp.
        """
        if self.point_process is not None:
            raise InputError(f"{self.weights}: this ReducedModel is already attached")
        self._check_names(inputs, outputs)
        self._check_units()
        from neuron import h

        segments = {name: self._output_segment(name, target) for name, target in outputs.items()}
        pointers = {name: self._input_pointer(name, source) for name, source in inputs.items()}
        if segments:
            host = next(iter(segments.values()))
        else:
            host = self._input_segment(*next(iter(inputs.items())))
        model = h.RomModel(host)
        try:
            model.load_weights(str(self.weights))
            clamps = {}
            for name, segment in segments.items():
                clamp = h.RomClamp(segment)
                clamp.rs = self.clamp_rs_mohm
                model.set_output(name, clamp._ref_vtarget)
                clamps[name] = clamp
            for name, pointer in pointers.items():
                model.set_input(name, pointer)
            if self._record_steps:
                model.record(self._record_steps)
        except RuntimeError as error:
            raise InputError(f"{self.weights}: {_hoc_message(error)}") from None
        self.point_process = model
        self.clamps = clamps
        self.sources = dict(inputs)
        # CVODE's local time step would re-initialise only the model's own cell at its self-events.
        self._local_dt_check = h.FInitializeHandler(0, _refuse_local_dt)
        return self

    def detach(self) -> None:
        """Remove the model and its clamps from NEURON (they also go when this object does)."""
        self.point_process = None
        self.clamps = {}
        self.sources = {}
        self._local_dt_check = None

    def _check_names(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> None:
        for kind, given, known in (("input", inputs, self.inputs), ("output", outputs, self.outputs)):
            unknown = [name for name in given if name not in known]
            if unknown:
                raise InputError(f"{self.weights} has no {kind} channel {', '.join(map(repr, unknown))} "
                                 f"({kind}s: {', '.join(known)})")
        missing = [name for name in self.inputs if name not in inputs]
        if missing:
            raise InputError(f"{self.weights}: inputs not attached: {', '.join(missing)} (the model needs all of them)")
        if not inputs and not outputs:
            raise InputError(f"{self.weights}: nothing to attach")

    def _check_units(self) -> None:
        for kind, names, units, want in (("input", self.inputs, self.info.input_units, INPUT_UNIT),
                                         ("output", self.outputs, self.info.output_units, OUTPUT_UNIT)):
            for name, unit in zip(names, units):
                if unit != want:
                    raise InputError(f"{self.weights}: {kind} {name} is in {unit!r}; inside NEURON {kind}s must be "
                                     f"in {want!r}")

    def _output_segment(self, name: str, target: Any) -> Any:
        try:
            segment = target(0.5) if hasattr(target, "nseg") else target
            segment.sec.name()  # raises for a deleted section
            segment.x
        except (ReferenceError, RuntimeError, AttributeError, TypeError) as error:
            raise InputError(f"output {name}: cannot attach a clamp to {target!r} ({error}); "
                             "expected a segment or section that exists") from None
        return segment

    @staticmethod
    def _input_pointer(name: str, source: Any) -> Any:
        if type(source).__name__ == "HocObject" and str(source).startswith("data_handle<double>"):
            return source  # a NEURON pointer, e.g. stim._ref_amp
        try:
            if hasattr(source, "_ref_i"):
                return source._ref_i
        except (ReferenceError, RuntimeError, TypeError) as error:
            raise InputError(f"input {name}: its source {source!r} is unusable ({error})") from None
        raise InputError(f"input {name}: expected a point process with a current i (e.g. IClamp) or a NEURON "
                         f"pointer (_ref_...), got {source!r}")

    @staticmethod
    def _input_segment(name: str, source: Any) -> Any:
        try:
            return source.get_segment()
        except (AttributeError, RuntimeError, ReferenceError):
            raise InputError(f"input {name}: with no output attached the model sits on its input's segment, "
                             "but this source has none (attach at least one output)") from None

    # Recording what the model read and predicted.
    def record(self, max_steps: int) -> None:
        """Keep inputs and outputs of up to max_steps steps after each finitialize (0 stops)."""
        if not 0 <= max_steps <= 10**9:
            raise InputError(f"record: max_steps must be in [0, 1e9], got {max_steps}")
        self._record_steps = int(max_steps)
        if self.point_process is not None:
            self.point_process.record(self._record_steps)

    def recorded_inputs(self) -> np.ndarray:
        """(steps, n_inputs): what the model read at each step since finitialize, nA."""
        return self._recorded(_INPUT, len(self.inputs))

    def recorded_outputs(self) -> np.ndarray:
        """(steps, n_outputs): what the model predicted at each step since finitialize, mV."""
        return self._recorded(_OUTPUT, len(self.outputs))

    def _recorded(self, kind: int, width: int) -> np.ndarray:
        if self.point_process is None or not self._record_steps:
            raise InputError("nothing recorded: call record(max_steps) and attach before running")
        from neuron import h

        columns = []
        for index in range(width):
            vector = h.Vector()
            try:
                self.point_process.recorded(kind, index, vector)
            except RuntimeError as error:
                raise InputError(f"{self.weights}: {_hoc_message(error)}") from None
            columns.append(vector.as_numpy().copy())
        steps = len(columns[0]) if columns else 0
        return np.column_stack(columns) if columns else np.zeros((steps, 0))

    @property
    def n_steps(self) -> int:
        """Model steps taken since the last finitialize."""
        return int(self.point_process.n_steps) if self.point_process is not None else 0

    def sections(self) -> list[Any]:
        """Root sections of the cells the model touches (keep them in one thread)."""
        segments = [self.point_process.get_segment()] if self.point_process is not None else []
        segments += [clamp.get_segment() for clamp in self.clamps.values()]
        for source in self.sources.values():
            if hasattr(source, "get_segment"):
                segments.append(source.get_segment())
        roots: list[Any] = []
        for segment in segments:
            root = _root_section(segment.sec)
            if not any(root == known for known in roots):
                roots.append(root)
        return roots


def _refuse_local_dt() -> None:
    from neuron import h

    if h.CVode().use_local_dt():
        raise InputError("a ReducedModel cannot run under CVODE's local time step (cvode.use_local_dt(1)): "
                         "its self-events re-initialise only its own cell's integrator")


def _root_section(section: Any) -> Any:
    from neuron import h

    return h.SectionRef(sec=section).root
