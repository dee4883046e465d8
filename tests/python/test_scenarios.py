"""Scenarios are data files; loading checks them and names what is wrong."""

import json

import pytest

from neurorom.errors import InputError
from neurorom.scenarios import known_scenarios, load_scenario

# Barbulescu et al. 2023, Experiment 5.
FCM16_OUTPUTS = ("AS1 AS7 DA1 DA9 DB1 DB5 DD1 DVA LUAL PHCL PLML PVCL PVR SIBVL VB1 VD1").split()


def test_the_three_scenarios():
    assert {"fcm", "fcm16", "nictation"} <= set(known_scenarios())
    fcm = load_scenario("fcm")
    assert fcm.inputs == ("PLML", "PLMR", "AVBL", "AVBR")
    assert fcm.outputs == ("DB1", "LUAL", "PVR", "VB1")
    fcm16 = load_scenario("fcm16")
    assert fcm16.inputs == fcm.inputs and fcm16.amplitudes_nA == fcm.amplitudes_nA
    assert list(fcm16.outputs) == FCM16_OUTPUTS
    nictation = load_scenario("nictation")
    assert nictation.inputs == ("IL2DL", "IL2DR", "IL2L", "IL2R", "IL2VL", "IL2VR")
    assert nictation.outputs == tuple("RMED RMEL RMER RMEV RMGL RMGR RMHL RMHR SMDDL SMDDR SMDVL SMDVR".split())


def test_amplitudes_are_picoamps_with_a_reason():
    for name in ("fcm", "fcm16", "nictation"):
        scenario = load_scenario(name)
        # The study's 1.4 / 2.3 nA drive these passive cells to about +1 V; ours are picoamps.
        assert all(0 < a < 0.1 for a in scenario.amplitudes_nA), scenario.amplitudes_nA
        assert "docs/hf-model.md" in scenario.amplitude_reasoning
        assert len(scenario.file_sha256) == 64


def test_unknown_scenario_is_named():
    with pytest.raises(InputError, match=r"unknown scenario 'crawl' \(known: .*fcm"):
        load_scenario("crawl")


def test_a_scenario_file_by_path_and_its_errors(tmp_path):
    good = {"name": "touch", "inputs": [{"name": "ALML", "amplitude_nA": 0.01}], "outputs": ["AVAL"]}
    path = tmp_path / "touch.json"
    path.write_text(json.dumps(good))
    assert load_scenario(str(path)).inputs == ("ALML",)

    cases = [
        ({"name": "x", "inputs": [{"name": "ALML"}], "outputs": ["AVAL"]}, r"inputs\[0\] \(ALML\): 'amplitude_nA'"),
        ({"name": "x", "inputs": [{"name": "ALML", "amplitude_nA": 0.01}]}, "missing field 'outputs'"),
        ({"name": "x", "inputs": [], "outputs": ["AVAL"]}, "'inputs' is empty"),
        ({"name": "x", "inputs": [{"name": "ALML", "amplitude_nA": 0.01}], "outputs": ["AVAL", "AVAL"]},
         "outputs name AVAL more than once"),
    ]
    for data, message in cases:
        path.write_text(json.dumps(data))
        with pytest.raises(InputError, match=message):
            load_scenario(str(path))
    path.write_text("{\n  nope")
    with pytest.raises(InputError, match="invalid JSON at line 2"):
        load_scenario(str(path))
