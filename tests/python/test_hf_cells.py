"""One neuron from its NeuroML2 file (cells.build_cell) and the parameter-set files (parameters.load)."""

import json
import math

import pytest
from neuron import h

from neurorom import morphology, parameters
from neurorom.cells import build_cell
from neurorom.errors import InputError


@pytest.fixture(scope="module")
def plml():
    return build_cell("PLML")


@pytest.fixture(scope="module")
def pvdr():
    return build_cell("PVDR")


def test_one_section_per_cable_with_the_files_points(plml):
    m = morphology.load("PLML")
    assert len(plml.sections) == len(m.cables) == 7
    assert plml.soma is plml.sections[0]
    for sec, cable in zip(plml.sections, m.cables):
        assert sec.n3d() == len(cable.points)
        assert sec.x3d(sec.n3d() - 1) == pytest.approx(cable.points[-1, 0])
        assert sec.diam3d(0) == pytest.approx(cable.points[0, 3])


def test_soma_sphere_keeps_its_area(plml):
    d = plml.soma.diam3d(0)
    assert plml.soma.L == pytest.approx(d)
    # NEURON keeps 3D points in single precision: 1e-5 relative.
    assert sum(seg.area() for seg in plml.soma) == pytest.approx(math.pi * d * d, rel=1e-5)


def test_nseg_follows_neurons_own_d_lambda_rule(pvdr):
    h.load_file("stdlib.hoc")  # lambda_f
    for sec in pvdr.sections:
        expected = int((sec.L / (0.1 * h.lambda_f(100, sec=sec)) + 0.9) / 2) * 2 + 1
        assert sec.nseg == expected, sec.name()
    assert max(sec.nseg for sec in pvdr.sections) > 1  # PVD's long neurites are split


def test_passive_properties_come_from_the_file(plml):
    for sec in plml.sections:
        assert sec.Ra == pytest.approx(30.0) and sec.cm == pytest.approx(1.0)
        for seg in sec:
            assert seg.pas.g == pytest.approx(2.5e-5) and seg.pas.e == pytest.approx(-65.0)


def test_single_compartment_has_the_same_area_and_membrane(plml):
    point = build_cell("PLML", morphology=False)
    assert len(point.sections) == 1 and point.soma.nseg == 1
    assert point.area_um2() == pytest.approx(plml.area_um2(), rel=1e-6)
    assert point.soma(0.5).pas.g == pytest.approx(2.5e-5)
    assert point.soma.cm == pytest.approx(1.0)


def test_passive_override_changes_every_section():
    cell = build_cell("AVBL", passive={"g_leak_S_per_cm2": 1e-4, "ra_ohm_cm": 100.0})
    assert all(seg.pas.g == pytest.approx(1e-4) for sec in cell.sections for seg in sec)
    assert all(sec.Ra == pytest.approx(100.0) for sec in cell.sections)


def test_unknown_neuron_is_an_input_error():
    with pytest.raises(InputError, match="'AVBX'"):
        build_cell("AVBX")


def test_default_parameter_set_loads_with_units_and_sources():
    p = parameters.load("default")
    assert p.get("chemical_excitatory", "g_per_synapse") > 0
    assert p.get("gap_junction", "g_per_junction") > 0
    raw = json.loads(p.path.read_text())
    for group in raw["parameters"].values():
        for entry in group.values():
            assert set(entry) == {"value", "unit", "source"} and entry["source"].strip()


def write_variant(tmp_path, change) -> str:
    data = json.loads(parameters.load("default").path.read_text())
    change(data["parameters"])
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize("change, needle", [
    (lambda p: p["gap_junction"]["g_per_junction"].update(unit="nS"), "g_per_junction: unit 'nS'"),
    (lambda p: p["chemical_excitatory"].pop("tau"), "missing parameters.chemical_excitatory.tau"),
    (lambda p: p["chemical_inhibitory"]["slope"].update(value=-1), "slope: value -1"),
    (lambda p: p.update(membrane={"gleak": {"value": 1, "unit": "S/cm2", "source": "x"}}),
     "membrane.gleak: unknown parameter"),
    (lambda p: p["gap_junction"]["g_per_junction"].pop("source"), "needs exactly value, unit and source"),
    (lambda p: p["chemical_excitatory"]["tau"].update(value=float("nan")), "tau: value nan is not a finite number"),
])
def test_bad_parameter_files_name_the_field(tmp_path, change, needle):
    with pytest.raises(InputError, match=needle):
        parameters.load(write_variant(tmp_path, change))


def test_a_parameter_file_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="expected a JSON object with 'parameters'"):
        parameters.load(str(path))


def test_unknown_parameter_set_name():
    with pytest.raises(InputError, match="unknown parameter set 'nope'"):
        parameters.load("nope")
