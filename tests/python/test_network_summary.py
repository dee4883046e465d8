"""`./neurorom network` and ConnectomeModel.summary() against counts taken straight from c302's files.

The expected counts are computed here from the spreadsheets and NeuroML2 files with xlrd, openpyxl and
ElementTree, independently of neurorom.connectome, following the rules of docs/hf-model.md: one chemical
connection per directed pair (its synapse count summed; inhibitory when the transmitter names GABA), one
gap junction per unordered pair of distinct neurons (count = the larger listed direction).
"""

import glob
import importlib.util
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
import xlrd

from neurorom.connectome_model import ConnectomeModel

C302 = Path(importlib.util.find_spec("c302").submodule_search_locations[0])
NS = "{http://www.neuroml.org/schema/neuroml2}"


def neuron_names() -> set[str]:
    return set(json.loads((C302 / "data" / "owmeta_cache.json").read_text())["neuron_info"])


def gap_pairs(directed: dict) -> dict:
    pairs: dict = {}
    for (a, b), n in directed.items():
        if a != b:
            key = tuple(sorted((a, b)))
            pairs[key] = max(pairs.get(key, 0), n)
    return pairs


def counts_c302() -> dict:
    sheet = xlrd.open_workbook(str(C302 / "data" / "CElegansNeuronTables.xls")).sheet_by_index(0)
    rows = [sheet.row_values(r) for r in range(1, sheet.nrows)]
    sends = [r for r in rows if r[2] == "Send"]
    gaps = gap_pairs({(r[0], r[1]): int(r[3]) for r in rows if r[2] == "GapJunction"})
    return {
        "neurons": 302,
        "chemical_connections": len({(r[0], r[1]) for r in sends}),
        "chemical_synapses": int(sum(r[3] for r in sends)),
        "chemical_synapses_inhibitory": int(sum(r[3] for r in sends if "GABA" in r[4])),
        "gap_junction_connections": len(gaps),
        "gap_junctions": sum(gaps.values()),
    }


def counts_varshney() -> dict:
    book = openpyxl.load_workbook(str(C302 / "data" / "NeuronConnectFormatted.xlsx"), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    sends: dict = {}
    directed: dict = {}
    for pre, post, kind, n in rows:
        if kind in ("S", "Sp") and n > 0:
            sends[(pre, post)] = sends.get((pre, post), 0) + n
        elif kind == "EJ":
            directed[(pre, post)] = directed.get((pre, post), 0) + n
    gaps = gap_pairs(directed)
    return {
        "neurons": 302,
        "chemical_connections": len(sends),
        "chemical_synapses": sum(sends.values()),
        "gap_junction_connections": len(gaps),
        "gap_junctions": sum(gaps.values()),
    }


def cable_count() -> int:
    """Unbranched cables (NeuroML segment groups sao864921383) of the 302 neurons: one section each."""
    names = neuron_names()
    total = 0
    for path in glob.glob(str(C302 / "NeuroML2" / "*.cell.nml")):
        if Path(path).name.split(".")[0] in names:
            groups = ET.parse(path).getroot().iter(f"{NS}segmentGroup")
            total += sum(1 for g in groups if g.get("neuroLexId") == "sao864921383")
    return total


@pytest.fixture(scope="module")
def model():
    m = ConnectomeModel()
    yield m
    m.close()


def test_neuron_list_is_the_302_hermaphrodite_neurons():
    names = neuron_names()
    files = {Path(p).name.split(".")[0] for p in glob.glob(str(C302 / "NeuroML2" / "*.cell.nml"))}
    assert len(names) == 302 and names <= files


def test_summary_counts_equal_the_c302_table(model):
    summary = model.summary()
    expected = counts_c302()
    for key, value in expected.items():
        assert summary[key] == value, key
    # Values published for this table (docs/hf-model.md), so a reader change cannot go unnoticed.
    assert (summary["chemical_connections"], summary["chemical_synapses"]) == (2279, 6465)
    assert summary["chemical_synapses_inhibitory"] == 529
    assert (summary["gap_junction_connections"], summary["gap_junctions"]) == (552, 934)
    assert summary["chemical_synapses_excitatory"] + summary["chemical_synapses_inhibitory"] == 6465
    assert summary["table"] == "c302"


def test_one_section_per_cable_and_a_d_lambda_segment_count(model):
    summary = model.summary()
    assert summary["sections"] == cable_count() == 2041
    # d_lambda 0.1 at 100 Hz gives at least one segment per section and more on long neurites.
    assert 2041 < summary["segments"] < 2 * 2041 + 400


def test_synapse_and_junction_point_processes_match_the_summary(model):
    summary = model.summary()
    assert len(model.synapses) == summary["chemical_connections"]
    assert len(model.gap_junctions) == 2 * summary["gap_junction_connections"]  # one half on each cell


def test_provenance_names_table_hash_and_versions(model):
    prov = model.provenance()
    assert prov["connectome_table"]["file"] == "CElegansNeuronTables.xls"
    assert len(prov["connectome_table"]["sha256"]) == 64
    assert len(prov["parameter_set"]["sha256"]) == 64
    assert prov["c302_version"] == "0.12.1"
    assert prov["neuron_version"].startswith("9.")
    assert prov["nseg_rule"] == {"d_lambda": 0.1, "frequency_hz": 100.0}


def run_command(*args: str, hide_c302: bool = False) -> subprocess.CompletedProcess:
    code = "import sys\n"
    if hide_c302:
        code += "sys.modules['c302'] = None  # import system: c302 cannot be found\n"
    code += "from neurorom.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)


def test_network_command_json_with_varshney_table_matches_the_spreadsheet():
    result = run_command("network", "--table", "varshney", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key, value in counts_varshney().items():
        assert report[key] == value, key
    assert report["table"] == "varshney"
    assert (report["gap_junction_connections"], report["gap_junctions"]) == (514, 887)


def test_network_command_with_ablation_and_scenario():
    result = run_command("network", "--ablate", "AVBL,AVBR", "--scenario", "fcm", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["neurons"] == 300 and report["ablated"] == ["AVBL", "AVBR"]
    assert report["chemical_synapses"] < 6465 and report["gap_junctions"] < 934
    avb = [n for n in report["scenario"]["neurons"] if n["name"] == "AVBL"][0]
    assert avb["ablated"] and avb["gap_junctions"] == 0


@pytest.mark.parametrize("args, hide_c302, needle", [
    (("network", "--ablate", "AVBL,NOPE"), False, "'NOPE'"),
    (("network", "--table", "white"), False, "'white'"),
    (("network",), True, "c302"),
])
def test_bad_input_gives_one_line_error(args, hide_c302, needle):
    result = run_command(*args, hide_c302=hide_c302)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr
