"""The reduced network and the full-vs-reduced comparison (neurorom.reduced_network, neurorom.comparison).

Real NEURON, the shipped weights (weights/fcm_gru4.json) and short runs. The reduced network must feed
the model exactly the stimulus samples it was trained on, so its predictions inside NEURON equal
`neurorom eval --predictions` on the same inputs; the output somas follow the predictions one
integration step later (the clamp holds y_k from t_k on).
"""

import hashlib
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import mechanism_support as support
from neurorom import comparison, paths, stimuli
from neurorom.commands import demo
from neurorom.errors import InputError
from neurorom.scenarios import load_scenario

WEIGHTS = paths.ROOT / "weights" / "fcm_gru4.json"
DT_MS = 0.5
DURATION_MS = 100.0
N_STEPS = int(DURATION_MS / DT_MS)
PARITY_TOLERANCE_MV = 1e-9
# RomClamp's tracking error (rs 1e-3 MOhm times a membrane current of picoamps): micro-volts.
CLAMP_TOLERANCE_MV = 1e-4


@pytest.fixture(scope="module")
def fcm():
    return load_scenario("fcm")


@pytest.fixture(scope="module")
def stimulus_set(fcm):
    return comparison.from_library(fcm, seed=1, sequence=3, dt_ms=DT_MS, duration_ms=DURATION_MS)


@pytest.fixture(scope="module")
def single_runs(stimulus_set):
    return comparison.run_reduced(stimulus_set, WEIGHTS, morphology=False)


def test_reduced_network_feeds_the_model_what_eval_sees(tmp_path, fcm, stimulus_set, single_runs):
    x = np.column_stack([stimuli.sample(stimulus_set.stimuli[0][name], np.arange(N_STEPS) * DT_MS)
                         for name in fcm.inputs])
    layout = support.Layout(fcm.inputs, fcm.outputs)
    expected = support.eval_predictions(tmp_path, WEIGHTS, layout, x)
    predicted = single_runs.predictions[0]
    assert predicted.shape == (N_STEPS, len(fcm.outputs))
    np.testing.assert_allclose(predicted, expected, rtol=0, atol=PARITY_TOLERANCE_MV)
    assert np.ptp(expected) > 1.0, "the stimulus must move the outputs for this test to mean anything"


def test_output_somas_follow_the_predictions_one_step_later(single_runs):
    soma, predicted = single_runs.outputs[0], single_runs.predictions[0]
    np.testing.assert_allclose(soma[1:], predicted[:-1], rtol=0, atol=CLAMP_TOLERANCE_MV)


def test_morphological_neurons_give_the_same_outputs(stimulus_set, single_runs):
    morph = comparison.run_reduced(stimulus_set, WEIGHTS, morphology=True)
    assert morph.summary["segments"] > 8 * 3 and single_runs.summary["segments"] == 8
    np.testing.assert_array_equal(morph.predictions[0], single_runs.predictions[0])
    np.testing.assert_allclose(morph.outputs[0], single_runs.outputs[0], rtol=0, atol=10 * CLAMP_TOLERANCE_MV)


def test_accuracy_arithmetic():
    full = [np.array([[0.0, 10.0], [2.0, 10.0]]), np.array([[4.0, 12.0], [0.0, 14.0]])]
    reduced = [np.array([[1.0, 10.0], [2.0, 10.0]]), np.array([[4.0, 12.0], [1.0, 14.0]])]
    acc = comparison.accuracy(full, reduced, ("A", "B"))
    np.testing.assert_allclose(acc.rmse_mv, [math.sqrt(2 / 4), 0.0])
    np.testing.assert_allclose(acc.range_mv, [4.0, 4.0])
    assert acc.pooled_rmse_mv == pytest.approx(math.sqrt(2 / 8))
    assert acc.pooled_nrmse == pytest.approx((math.sqrt(0.5) / 4 + 0.0) / 2)


def test_constant_trace_has_no_nrmse_and_json_says_null():
    acc = comparison.accuracy([np.ones((3, 1))], [np.ones((3, 1))], ("A",))
    assert math.isnan(acc.nrmse[0])
    assert json.loads(comparison.json_line({"nrmse": acc.nrmse[0], "x": [np.float64(1.5)]})) == \
        {"nrmse": None, "x": [1.5]}


def test_library_split_rebuilds_the_generated_test_stimuli(tmp_path, fcm):
    """What the demo does without data/: the test split's stimuli from the dataset's provenance."""
    out = tmp_path / "tiny"
    result = subprocess.run(
        [sys.executable, "-m", "neurorom", "generate", "--scenario", "fcm",
         "--dt", "0.5", "--duration", "20", "--sequences", "4", "--seed", "7", "--out", str(out)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    from_data = comparison.from_dataset(out, "test", fcm.inputs, fcm.outputs)
    rebuilt = comparison.from_library_split(fcm, manifest["provenance"], "test", 0.5, 20.0)
    assert rebuilt.ids == from_data.ids and len(rebuilt.ids) == 1
    assert json.dumps(rebuilt.stimuli) == json.dumps(from_data.stimuli)

    # The demo uses the dataset itself only when it is the one the weights were trained on.
    sha = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    assert demo.local_copy({"path": str(out), "manifest_sha256": sha}) == out
    assert demo.local_copy({"path": str(out), "manifest_sha256": "0" * 64}) is None
    assert demo.local_copy({"path": str(tmp_path / "gone"), "manifest_sha256": sha}) is None


def test_weights_must_fit_the_scenario_and_dt(fcm):
    from neurorom.rom_abi import read_weights_info

    info = read_weights_info(WEIGHTS)
    comparison.check_weights_fit(info, fcm, 0.5)
    with pytest.raises(InputError, match="not one of the inputs of scenario nictation"):
        comparison.check_weights_fit(info, load_scenario("nictation"), 0.5)
    with pytest.raises(InputError, match="trained at dt 0.5 ms, the comparison runs at dt 0.25 ms"):
        comparison.check_weights_fit(info, fcm, 0.25)


def test_dataset_without_the_channels_is_refused(tmp_path, fcm):
    layout = support.layout_named(2, 1)
    folder = support.write_dataset(tmp_path / "other", layout, {"test": [(np.zeros((4, 2)), np.zeros((4, 1)))]})
    with pytest.raises(InputError, match="has no input PLML"):
        comparison.from_dataset(folder, "test", fcm.inputs, fcm.outputs)
