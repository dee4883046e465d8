"""Parity: inside NEURON, RomModel's outputs equal `neurorom eval --predictions` for the same inputs.

Every cell type (GRU classic and reset-after, LSTM, RNN) and several channel
counts, at h.dt equal to the model dt and a quarter of it. Tolerance 1e-9 mV:
both sides run the same C++ evaluator on the same inputs in the same order,
so the only possible difference is the CSV round trip, which is exact
(shortest round-trip formatting); anything larger is a real misalignment.
"""

import numpy as np
import pytest

import mechanism_support as support
from neurorom.reduced import ReducedModel

N_STEPS = 80
PARITY_TOLERANCE_MV = 1e-9

CASES = [
    ("gru", "classic", support.layout_named(3, 2)),
    ("gru", "reset_after", support.layout_named(3, 2)),
    ("lstm", "classic", support.layout_named(3, 2)),
    ("rnn", "classic", support.layout_named(3, 2)),
    ("gru", "classic", support.layout_named(1, 5)),
    ("gru", "classic", support.layout_named(6, 1)),
]


def run(h, model: ReducedModel, sim_dt: float):
    with support.integration(h, sim_dt):
        h.finitialize(-65.0)
        h.continuerun(N_STEPS * support.MODEL_DT_MS)
        assert h.dt == sim_dt, "stdrun changed dt"
    return model.recorded_inputs(), model.recorded_outputs()


@pytest.mark.parametrize("cell, variant, layout", CASES,
                         ids=[f"{c}-{v}-{len(l.inputs)}in-{len(l.outputs)}out" for c, v, l in CASES])
def test_outputs_equal_eval_predictions(h, tmp_path, cell, variant, layout):
    weights = support.train_weights(tmp_path, layout, cell, variant)
    x, _ = support.synthetic_sequence(np.random.default_rng(11), N_STEPS, len(layout.inputs), len(layout.outputs))
    expected = support.eval_predictions(tmp_path, weights, layout, x)

    network = support.SingleCompartmentNetwork(layout, x, prefix=f"{cell}_{variant}_{len(layout.inputs)}_")
    model = ReducedModel(weights).attach(inputs=network.stimuli,
                                         outputs={name: network.soma(name) for name in layout.outputs})
    model.record(2 * N_STEPS)
    for sim_dt in (support.MODEL_DT_MS, support.MODEL_DT_MS / 4):
        inputs, outputs = run(h, model, sim_dt)
        # A run to N * dt takes N steps, or N + 1 when NEURON's t lands exactly on N * dt.
        assert N_STEPS <= len(outputs) <= N_STEPS + 1
        assert model.n_steps == len(outputs)
        np.testing.assert_array_equal(inputs[:N_STEPS], x, err_msg=f"inputs read at h.dt={sim_dt}")
        np.testing.assert_allclose(outputs[:N_STEPS], expected, rtol=0, atol=PARITY_TOLERANCE_MV,
                                   err_msg=f"outputs at h.dt={sim_dt}")
        assert np.ptp(expected) > 0.1, "the model must respond to its inputs for this test to mean anything"


def test_two_runs_after_finitialize_are_identical(h, tmp_path):
    """Bitwise: the recurrent state and the recording restart at every finitialize."""
    layout = support.layout_named(2, 2)
    weights = support.train_weights(tmp_path, layout, "lstm")
    x, _ = support.synthetic_sequence(np.random.default_rng(5), N_STEPS, 2, 2)
    network = support.SingleCompartmentNetwork(layout, x, prefix="rerun_")
    model = ReducedModel(weights).attach(inputs=network.stimuli,
                                         outputs={name: network.soma(name) for name in layout.outputs})
    model.record(2 * N_STEPS)
    voltage = h.Vector().record(network.soma("OUT0")._ref_v)
    first = run(h, model, support.MODEL_DT_MS / 4)
    first_voltage = voltage.as_numpy().copy()
    second = run(h, model, support.MODEL_DT_MS / 4)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(first_voltage, voltage.as_numpy())


def test_partial_outputs_drive_only_the_attached_somas(h, tmp_path):
    """An output left unattached is still computed (and recorded) but clamps nothing."""
    layout = support.layout_named(2, 3)
    weights = support.train_weights(tmp_path, layout, "gru")
    x, _ = support.synthetic_sequence(np.random.default_rng(8), N_STEPS, 2, 3)
    expected = support.eval_predictions(tmp_path, weights, layout, x)
    network = support.SingleCompartmentNetwork(layout, x, prefix="partial_")
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs={"OUT1": network.soma("OUT1")})
    model.record(2 * N_STEPS)
    free = h.Vector().record(network.soma("OUT0")._ref_v)
    _, outputs = run(h, model, support.MODEL_DT_MS)
    np.testing.assert_allclose(outputs[:N_STEPS], expected, rtol=0, atol=PARITY_TOLERANCE_MV)
    # The unattached soma stays at rest (passive, e_pas = v_init = -65 mV).
    assert np.abs(free.as_numpy() + 65.0).max() < 1e-9
    assert set(model.clamps) == {"OUT1"}
