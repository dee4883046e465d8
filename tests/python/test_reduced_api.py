"""The Python API of the reduced model (neurorom.reduced.ReducedModel) beyond parity and errors."""

import numpy as np
import pytest

import mechanism_support as support
from neurorom.errors import InputError
from neurorom.reduced import ReducedModel

LAYOUT = support.layout_named(2, 3)
N_STEPS = 40


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return support.train_weights(tmp_path_factory.mktemp("weights"), LAYOUT, "rnn", hidden=3)


def run(h, model: ReducedModel) -> np.ndarray:
    with support.integration(h, support.MODEL_DT_MS):
        h.finitialize(-65.0)
        h.continuerun(N_STEPS * support.MODEL_DT_MS)
    return model.recorded_outputs()[:N_STEPS]


def test_describes_the_weights(h, weights):
    model = ReducedModel(weights)
    assert model.inputs == ("IN0", "IN1") and model.outputs == ("OUT0", "OUT1", "OUT2")
    assert model.dt_ms == support.MODEL_DT_MS and model.info.hidden == 3
    assert model.info.input_units == ("nA", "nA") and model.info.output_units == ("mV", "mV", "mV")
    assert repr(model) == f"ReducedModel({str(weights)!r}: RNN-3, 2 inputs, 3 outputs, dt 0.5 ms, not attached)"
    assert model.point_process is None and model.n_steps == 0


def test_pointers_sections_record_before_attach_and_detach(h, weights, tmp_path):
    """Inputs given as NEURON pointers, outputs as sections; recording set up before attaching."""
    x, _ = support.synthetic_sequence(np.random.default_rng(4), N_STEPS, 2, 3)
    expected = support.eval_predictions(tmp_path, weights, LAYOUT, x)
    network = support.SingleCompartmentNetwork(LAYOUT, x, prefix="api_")
    model = ReducedModel(weights, clamp_rs_mohm=0.002)
    model.record(N_STEPS + 1)
    model.attach(inputs={name: stimulus._ref_i for name, stimulus in network.stimuli.items()},
                 outputs={name: network.sections[name] for name in LAYOUT.outputs})
    assert "attached" in repr(model) and "not attached" not in repr(model)
    assert {name: clamp.rs for name, clamp in model.clamps.items()} == {"OUT0": 0.002, "OUT1": 0.002, "OUT2": 0.002}
    assert model.point_process.get_segment().sec.name() == "api_OUT0"
    np.testing.assert_allclose(run(h, model), expected, rtol=0, atol=1e-9)
    assert model.n_steps in (N_STEPS, N_STEPS + 1)
    with pytest.raises(InputError, match="already attached"):
        model.attach(inputs=network.stimuli, outputs={})
    model.detach()
    assert model.point_process is None
    with pytest.raises(InputError, match="nothing recorded"):
        model.recorded_outputs()


def test_no_outputs_attached(h, weights, tmp_path):
    """A model may drive nothing: it then sits on its first input's segment and only predicts."""
    x, _ = support.synthetic_sequence(np.random.default_rng(6), N_STEPS, 2, 3)
    expected = support.eval_predictions(tmp_path, weights, LAYOUT, x)
    network = support.SingleCompartmentNetwork(LAYOUT, x, prefix="silent_")
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs={})
    model.record(N_STEPS + 1)
    assert model.point_process.get_segment().sec.name() == "silent_IN0"
    np.testing.assert_allclose(run(h, model), expected, rtol=0, atol=1e-9)
    assert [section.name() for section in model.sections()] == ["silent_IN0", "silent_IN1"]


def test_bad_clamp_resistance(h, weights):
    with pytest.raises(InputError, match="clamp_rs_mohm must be positive"):
        ReducedModel(weights, clamp_rs_mohm=0.0)
