"""Bad input to the reduced model inside NEURON: a clear Python / hoc error, never a crash."""

import itertools
import json

import numpy as np
import pytest

import mechanism_support as support
from neurorom.errors import InputError
from neurorom.reduced import ReducedModel

LAYOUT = support.layout_named(2, 2)
_network_ids = itertools.count()


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return support.train_weights(tmp_path_factory.mktemp("weights"), LAYOUT, "gru")


@pytest.fixture
def network(h):
    x = np.zeros((10, 2))
    return support.SingleCompartmentNetwork(LAYOUT, x, prefix=f"err{next(_network_ids)}_")


@pytest.fixture
def restore_dt(h):
    with support.integration(h, 0.025):
        yield


def outputs_of(network):
    return {name: network.soma(name) for name in LAYOUT.outputs}


def test_missing_weights_file(h, tmp_path):
    with pytest.raises(InputError, match="nowhere.json.*cannot read"):
        ReducedModel(tmp_path / "nowhere.json")


def _scale_first_number(node, factor: float) -> bool:
    """Multiply the first float found in a JSON tree by factor (in place)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, float):
            node[key] = value * factor
            return True
        if _scale_first_number(value, factor):
            return True
    return False


def test_altered_weights_fail_the_self_test(h, tmp_path, weights):
    """One parameter changed by 10%: the self-test stored in the file no longer matches."""
    document = json.loads(weights.read_text())
    assert _scale_first_number(document["parameters"], 1.1)
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document))
    with pytest.raises(InputError, match="altered.json.*self-test"):
        ReducedModel(altered)


def test_not_json(h, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "neurorom-weights", ')
    with pytest.raises(InputError, match="broken.json"):
        ReducedModel(broken)


def test_unknown_channel_names(h, weights, network):
    model = ReducedModel(weights)
    with pytest.raises(InputError, match=r"no input channel 'AVAL' \(inputs: IN0, IN1\)"):
        model.attach(inputs={"AVAL": network.stimuli["IN0"], "IN1": network.stimuli["IN1"]},
                     outputs=outputs_of(network))
    with pytest.raises(InputError, match=r"no output channel 'DB1' \(outputs: OUT0, OUT1\)"):
        model.attach(inputs=network.stimuli, outputs={"DB1": network.soma("OUT0")})
    with pytest.raises(InputError, match="inputs not attached: IN1"):
        model.attach(inputs={"IN0": network.stimuli["IN0"]}, outputs=outputs_of(network))
    assert model.point_process is None


def test_unknown_channel_name_at_the_mechanism(h, weights, network):
    """The same check inside RomModel itself (what the hoc template relies on)."""
    point = h.RomModel(network.soma("OUT0"))
    point.load_weights(str(weights))
    with pytest.raises(RuntimeError, match=r"has no input channel 'PLML' \(inputs: IN0, IN1\)"):
        point.set_input("PLML", network.stimuli["IN0"]._ref_i)
    with pytest.raises(RuntimeError, match="already loaded"):
        point.load_weights(str(weights))
    unloaded = h.RomModel(network.soma("OUT0"))
    with pytest.raises(RuntimeError, match="load_weights.*before.*set_input"):
        unloaded.set_input("IN0", network.stimuli["IN0"]._ref_i)


def test_source_that_is_not_a_current(h, weights, network):
    with pytest.raises(InputError, match="input IN0: expected a point process with a current i"):
        ReducedModel(weights).attach(inputs={"IN0": 3.0, "IN1": network.stimuli["IN1"]},
                                     outputs=outputs_of(network))


def test_time_step_that_does_not_divide_the_model_dt(h, weights, network, restore_dt):
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs=outputs_of(network))
    h.cvode_active(0)
    h.dt = 0.3
    with pytest.raises(RuntimeError, match=r"h.dt = 0.3 ms does not divide the model dt 0.5 ms"):
        h.finitialize(-65.0)
    h.dt = 0.1  # 0.5 / 0.1 = 5 in floating point within 1e-9: accepted
    h.finitialize(-65.0)
    h.dt = 1.0  # larger than the model dt
    with pytest.raises(RuntimeError, match="does not divide the model dt"):
        h.finitialize(-65.0)
    h.cvode_active(1)  # under CVODE h.dt plays no role
    h.finitialize(-65.0)
    assert model.n_steps == 1


def test_attaching_to_a_deleted_section(h, weights, network):
    doomed = h.Section(name="doomed")
    segment = doomed(0.5)
    h.delete_section(sec=doomed)
    with pytest.raises(InputError, match="output OUT0: cannot attach a clamp"):
        ReducedModel(weights).attach(inputs=network.stimuli, outputs={"OUT0": doomed})
    with pytest.raises(InputError, match="output OUT0: cannot attach a clamp"):
        ReducedModel(weights).attach(inputs=network.stimuli, outputs={"OUT0": segment})


def test_section_deleted_after_attaching(h, weights, network, restore_dt):
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs=outputs_of(network))
    h.dt = 0.125
    h.finitialize(-65.0)
    h.delete_section(sec=network.sections["OUT1"])
    with pytest.raises(RuntimeError, match="output 'OUT1' of .* was deleted"):
        h.finitialize(-65.0)
    del model  # frees the RomModel and its clamps; NEURON runs again without it
    h.finitialize(-65.0)


def test_stimulus_deleted_after_attaching(h, weights, network, restore_dt):
    stimulus = h.IClamp(network.soma("IN0"))
    model = ReducedModel(weights).attach(inputs={"IN0": stimulus, "IN1": network.stimuli["IN1"]},
                                         outputs=outputs_of(network))
    model.sources.clear()
    del stimulus
    h.dt = 0.125
    with pytest.raises(RuntimeError, match="input 'IN0' of .* was deleted"):
        h.finitialize(-65.0)
    del model
    h.finitialize(-65.0)


def test_weights_in_other_units(h, tmp_path, network):
    """Inside NEURON the inputs must be nA and the outputs mV; a model trained on volts is refused."""
    rng = np.random.default_rng(1)
    layout = support.Layout(("IN0",), ("OUT0",))
    splits = {split: [support.synthetic_sequence(rng, 30, 1, 1) for _ in range(2)] for split in ("train", "valid")}
    data = support.write_dataset(tmp_path / "volts", layout, splits)
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["outputs"][0]["unit"] = "V"
    (data / "manifest.json").write_text(json.dumps(manifest))
    weights = tmp_path / "volts.json"
    support.run_cli("train", "--data", str(data), "--out", str(weights), "--hidden", "2", "--epochs", "2")
    model = ReducedModel(weights)
    with pytest.raises(InputError, match="output OUT0 is in 'V'; inside NEURON outputs must be in 'mV'"):
        model.attach(inputs={"IN0": network.stimuli["IN0"]}, outputs={"OUT0": network.soma("OUT0")})


def test_recording_too_short(h, weights, network, restore_dt):
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs=outputs_of(network))
    model.record(3)
    h.dt = 0.5
    h.finitialize(-65.0)
    h.continuerun(5.0)
    with pytest.raises(InputError, match="more steps ran than record"):
        model.recorded_outputs()
    with pytest.raises(InputError, match="max_steps"):
        model.record(-1)


def test_local_time_step_is_refused(h, weights, network, restore_dt):
    model = ReducedModel(weights).attach(inputs=network.stimuli, outputs=outputs_of(network))
    cvode = h.CVode()
    try:
        cvode.active(1)
        cvode.use_local_dt(1)
        with pytest.raises(RuntimeError, match="cannot run under CVODE's local time step"):
            h.finitialize(-65.0)
    finally:
        cvode.use_local_dt(0)
    model.detach()
    assert model.point_process is None and not model.clamps
