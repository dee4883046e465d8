"""RomModel under CVODE and with threads, and how well its clamps track the model's outputs.

One network (two inputs, two outputs, a trained GRU-4) is built per module;
each test restores NEURON's global state (cvode, threads, dt; support.integration).
"""

import numpy as np
import pytest

import mechanism_support as support
from neurorom.reduced import ReducedModel

N_STEPS = 120
LAYOUT = support.layout_named(2, 2)


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return support.train_weights(tmp_path_factory.mktemp("weights"), LAYOUT, "gru")


class Instance:
    """A network driven by one ReducedModel, recording the output somas' voltages."""

    def __init__(self, h, weights, x: np.ndarray, prefix: str):
        self.x = x
        self.network = support.SingleCompartmentNetwork(LAYOUT, self.x, prefix=prefix)
        self.model = ReducedModel(weights).attach(
            inputs=self.network.stimuli, outputs={name: self.network.soma(name) for name in LAYOUT.outputs})
        self.model.record(2 * N_STEPS)
        self.t = h.Vector().record(h._ref_t)
        self.v = [h.Vector().record(self.network.soma(name)._ref_v) for name in LAYOUT.outputs]

    def voltages(self) -> np.ndarray:
        return np.column_stack([v.as_numpy() for v in self.v])

    def voltage_at(self, h, times: np.ndarray) -> np.ndarray:
        """Output voltages at the given times (linear interpolation of the recorded trace)."""
        t = self.t.as_numpy()
        return np.column_stack([np.interp(times, t, v.as_numpy()) for v in self.v])


@pytest.fixture(scope="module")
def instances(h, weights):
    return [Instance(h, weights, sequence(21), prefix="a_"), Instance(h, weights, sequence(22), prefix="b_")]


def sequence(seed: int) -> np.ndarray:
    return support.synthetic_sequence(np.random.default_rng(seed), N_STEPS, 2, 2)[0]


def run(h, sim_dt: float, cvode: bool) -> None:
    with support.integration(h, sim_dt, cvode):
        h.finitialize(-65.0)
        h.continuerun(N_STEPS * support.MODEL_DT_MS)


def test_cvode_takes_the_same_model_steps_as_fixed_step(h, instances):
    """The model advances once per model dt under CVODE too, reading the same inputs.

    Its outputs are therefore bitwise equal to the fixed-step run's (tolerance 0):
    the stimuli are constant around every t_k, so both integrators present the
    same values, and the model itself is discrete.
    """
    first = instances[0]
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    fixed = first.model.recorded_inputs(), first.model.recorded_outputs()
    run(h, support.MODEL_DT_MS / 4, cvode=True)
    variable = first.model.recorded_inputs(), first.model.recorded_outputs()
    assert first.model.n_steps in (N_STEPS, N_STEPS + 1)
    np.testing.assert_array_equal(variable[0][:N_STEPS], first.x)
    np.testing.assert_array_equal(variable[1][:N_STEPS], fixed[1][:N_STEPS])


def test_cvode_output_voltages_agree_with_fixed_step(h, instances):
    """Output somas under CVODE vs fixed step (h.dt = model dt / 4), compared half-way between model steps.

    Tolerance 1e-4 mV (measured ~1e-7). After a target change the stiff clamp
    (rs 1e-3 MOhm on a ~3 pF soma, time constant ~3 ns) settles within one fixed
    step and within CVODE's first tiny steps; what remains is the clamp's offset
    rs * I_membrane (~1e-7 mV here) plus CVODE's error at atol 1e-6 mV. The
    middle of each model interval is far from both transients.
    """
    first = instances[0]
    middles = (np.arange(1, N_STEPS - 1) + 0.5) * support.MODEL_DT_MS
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    fixed = first.voltage_at(h, middles)
    run(h, support.MODEL_DT_MS / 4, cvode=True)
    variable = first.voltage_at(h, middles)
    np.testing.assert_allclose(variable, fixed, rtol=0, atol=1e-4)


def test_clamp_tracks_model_outputs(h, instances):
    """Fixed step at h.dt = model dt / 4: the soma sits at y_k from t_k + h.dt until t_{k+1}.

    Compared half-way between model steps. Tolerance 1e-4 mV (measured ~3e-6):
    the steady clamp error is rs * I_membrane with I_membrane = g_pas * area *
    (v - e_pas) < 1e-3 nA here, i.e. < 1e-6 mV, and each implicit step after a
    jump shrinks the residue by a factor ~ tau_clamp / h.dt ~ 1e-5.
    """
    first = instances[0]
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    outputs = first.model.recorded_outputs()[:N_STEPS - 1]
    times = np.arange(N_STEPS - 1) * support.MODEL_DT_MS + support.MODEL_DT_MS / 2
    np.testing.assert_allclose(first.voltage_at(h, times), outputs, rtol=0, atol=1e-4)
    assert np.ptp(outputs) > 0.1, "the outputs must move for this test to mean anything"


def test_two_threads_give_the_same_results_as_one(h, instances):
    """h.nthread(2), each instance (model, stimuli, output cells) in its own thread: bitwise equal.

    Each thread integrates its own cells with the same arithmetic as one thread,
    and a model only reads and writes data of its own thread.
    """
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    single = [(i.model.recorded_outputs().copy(), i.voltages().copy()) for i in instances]
    pc = h.ParallelContext()
    try:
        pc.nthread(2)
        for thread, instance in enumerate(instances):
            sections = h.SectionList()
            for section in instance.model.sections():
                sections.append(sec=section)
            pc.partition(thread, sections)
        assert pc.nthread() == 2
        run(h, support.MODEL_DT_MS / 4, cvode=False)
        for (outputs, voltages), instance in zip(single, instances):
            np.testing.assert_array_equal(instance.model.recorded_outputs(), outputs)
            np.testing.assert_array_equal(instance.voltages(), voltages)
    finally:
        pc.nthread(1)
        pc.partition()


def test_sections_lists_every_cell_the_model_touches(h, instances):
    names = sorted(section.name() for section in instances[0].model.sections())
    assert names == sorted(f"a_{name}" for name in (*LAYOUT.inputs, *LAYOUT.outputs))


def test_frecord_init_does_not_step_twice(h, instances):
    """frecord_init() runs BEFORE STEP again at t = 0; the model must not take a second step 0."""
    first = instances[0]
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    plain = first.model.recorded_outputs().copy()
    with support.integration(h, support.MODEL_DT_MS / 4):
        h.finitialize(-65.0)
        h.frecord_init()
        h.frecord_init()
        h.continuerun(N_STEPS * support.MODEL_DT_MS)
    np.testing.assert_array_equal(first.model.recorded_outputs(), plain)


def test_what_step_zero_reads(h, weights):
    """At t_0 = 0 the model reads the source as finitialize left it (docs/mechanism.md).

    Fixed step: finitialize has computed the currents at t = 0, so x_0 is the
    stimulus at t = 0. CVODE: step 0 is a self-event delivered before NEURON
    computes the currents, so an IClamp reads as its INITIAL block left it, 0.
    """
    x = sequence(3)
    x[0] = [0.004, -0.002]
    instance = Instance(h, weights, x, prefix="t0_")
    run(h, support.MODEL_DT_MS, cvode=False)
    np.testing.assert_array_equal(instance.model.recorded_inputs()[:N_STEPS], x)
    run(h, support.MODEL_DT_MS, cvode=True)
    read = instance.model.recorded_inputs()[:N_STEPS]
    np.testing.assert_array_equal(read[0], [0.0, 0.0])
    np.testing.assert_array_equal(read[1:], x[1:])


def test_neuron_moving_its_data_mid_run(h, instances):
    """New sections and point processes mid-run make NEURON re-sort its data; the model's handles follow it.

    The new cells are unconnected, so the model's results must stay bitwise equal.
    """
    first = instances[0]
    run(h, support.MODEL_DT_MS / 4, cvode=False)
    reference = first.model.recorded_outputs().copy(), first.voltages().copy()
    with support.integration(h, support.MODEL_DT_MS / 4):
        h.finitialize(-65.0)
        h.continuerun(N_STEPS * support.MODEL_DT_MS / 2)
        extra = [h.Section(name=f"moved_{i}") for i in range(20)]
        for section in extra:
            section.nseg = 5
            section.insert("pas")
        # Zero-amplitude IClamps on the model's own input soma shift the rows of the IClamps it reads
        # (seen: IClamp row 1 -> 4 for input IN1 at the next step).
        stimuli = [h.IClamp(section(0.5)) for section in extra]
        stimuli += [h.IClamp(first.network.soma(LAYOUT.inputs[0])) for _ in range(3)]
        h.continuerun(N_STEPS * support.MODEL_DT_MS)
    np.testing.assert_array_equal(first.model.recorded_outputs(), reference[0])
    np.testing.assert_array_equal(first.voltages(), reference[1])
    del stimuli, extra
