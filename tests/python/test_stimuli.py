"""The stimulus library: shapes, seeding and sampling (pure Python, no NEURON)."""

import numpy as np
import pytest

from neurorom import stimuli
from neurorom.errors import InputError

INPUTS = ("PLML", "PLMR", "AVBL", "AVBR")
AMPLITUDES = (0.0099, 0.011, 0.05, 0.056)


def fcm_library(seed=1, count=40, duration=500.0):
    return stimuli.library(seed, count, INPUTS, AMPLITUDES, duration)


def all_stimuli(library):
    return [(name, spec) for sequence in library for name, spec in sequence.items()]


def test_forty_sequences_use_every_family_and_both_onsets():
    drawn = all_stimuli(fcm_library())
    assert {spec["shape"] for _, spec in drawn} == set(stimuli.FAMILIES)
    assert {spec["onset_ms"] for _, spec in drawn} == {0.0, 100.0}
    counts = {spec["count"] for _, spec in drawn if spec["shape"] == "triangles"}
    assert counts == {1, 2, 3}


def test_each_input_gets_its_own_shape():
    library = fcm_library()
    differing = [seq for seq in library if len({seq[name]["shape"] for name in INPUTS}) > 1]
    # Independent draws from five families: four equal shapes would happen about 1 time in 125.
    assert len(differing) >= 35


def test_every_shape_peaks_at_its_amplitude_and_starts_at_zero():
    times = np.arange(1000) * 0.5
    for name, spec in all_stimuli(fcm_library()):
        amplitude = AMPLITUDES[INPUTS.index(name)]
        t, a = stimuli.breakpoints(spec)
        assert a.max() == amplitude and a.min() == 0.0
        values = stimuli.sample(spec, times)
        assert values.min() >= 0.0 and values.max() <= amplitude
        assert np.all(values[times < spec["onset_ms"]] == 0.0)
        assert t[-1] <= 400.0  # every shape ends (or starts holding) well inside a 500 ms run


def test_same_seed_same_stimuli_and_more_sequences_on_demand():
    assert fcm_library(seed=7) == fcm_library(seed=7)
    assert fcm_library(seed=7) != fcm_library(seed=8)
    assert stimuli.library(7, 80, INPUTS, AMPLITUDES, 500.0)[:40] == fcm_library(seed=7)
    assert stimuli.sequence_stimuli(7, 12, INPUTS, AMPLITUDES, 500.0) == fcm_library(seed=7)[11]


def test_times_scale_with_a_shorter_run():
    short = all_stimuli(fcm_library(duration=50.0))
    assert {spec["onset_ms"] for _, spec in short} == {0.0, 10.0}
    assert max(spec["t_ms"][-1] for _, spec in short) <= 40.0


def test_pulse_is_right_continuous_at_its_edges():
    spec = {"shape": "pulse", "amplitude_nA": 0.02, "onset_ms": 100.0, "width_ms": 50.0}
    values = stimuli.sample(spec, np.array([99.5, 100.0, 149.5, 150.0, 400.0]))
    assert values.tolist() == [0.0, 0.02, 0.02, 0.0, 0.0]


def test_train_ramps_and_triangles():
    train = {"shape": "train", "amplitude_nA": 1.0, "onset_ms": 0.0, "width_ms": 10.0, "gap_ms": 20.0}
    on = stimuli.sample(train, np.arange(0.0, 120.0, 1.0)) > 0
    assert np.count_nonzero(np.diff(on.astype(int)) == 1) == 2 and on[0]  # three pulses, the first at t = 0
    assert np.count_nonzero(on) == 30

    ramp = {"shape": "ramp", "amplitude_nA": 1.0, "onset_ms": 100.0, "rise_ms": 100.0}
    assert stimuli.sample(ramp, np.array([150.0, 199.0, 200.0])).tolist() == [0.5, 0.99, 0.0]
    hold = dict(ramp, shape="ramp_hold")
    assert stimuli.sample(hold, np.array([150.0, 200.0, 499.5])).tolist() == [0.5, 1.0, 1.0]

    triangles = {"shape": "triangles", "amplitude_nA": 1.0, "onset_ms": 0.0, "count": 3, "width_ms": 20.0}
    values = stimuli.sample(triangles, np.arange(0.0, 80.0, 5.0))
    assert values.tolist() == [0.0, 0.5, 1.0, 0.5] * 3 + [0.0] * 4


def test_bad_stimuli_are_input_errors():
    with pytest.raises(InputError, match="unknown stimulus shape 'square'"):
        stimuli.breakpoints({"shape": "square"})
    with pytest.raises(InputError, match="width_ms"):
        stimuli.breakpoints({"shape": "pulse", "amplitude_nA": 0.01, "onset_ms": 0.0, "width_ms": -5})
    with pytest.raises(InputError, match="never decrease"):
        stimuli.breakpoints({"t_ms": [0.0, 20.0, 10.0], "amp_nA": [0.0, 1.0, 0.0]})
    with pytest.raises(InputError, match="same length"):
        stimuli.breakpoints({"t_ms": [0.0, 20.0], "amp_nA": [0.0]})
    with pytest.raises(InputError, match="start at 1"):
        stimuli.sequence_stimuli(1, 0, INPUTS, AMPLITUDES, 500.0)
