"""`generate` with the real NEURON model: format, provenance, determinism, MPI ranks, resuming.

Short runs (4 sequences x 50 ms) keep CI fast; every run goes through `python -m neurorom generate`,
the command the door runs, in a subprocess (each builds the 302-neuron network once).
"""

import filecmp
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from neurorom import dataset, paths, stimuli

ARGS = ["--scenario", "fcm", "--dt", "0.5", "--duration", "50", "--sequences", "4", "--seed", "5"]


@pytest.fixture(scope="module")
def generate(neurorom):
    """Runs `generate` with ARGS into `out`, plus `extra` options."""
    return lambda out, *extra: neurorom("generate", *ARGS, "--out", str(out), *extra)


def same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


@pytest.fixture(scope="module")
def first(tmp_path_factory, generate) -> Path:
    out = tmp_path_factory.mktemp("gen") / "first"
    done = generate(out)
    assert done.returncode == 0, done.stderr
    return out


def test_dataset_format_and_provenance(first):
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["format"] == "neurorom-dataset" and manifest["format_version"] == 1
    assert (manifest["dt_ms"], manifest["n_steps"], manifest["duration_ms"]) == (0.5, 100, 50.0)
    assert manifest["inputs"] == [{"name": n, "unit": "nA"} for n in ("PLML", "PLMR", "AVBL", "AVBR")]
    assert manifest["outputs"] == [{"name": n, "unit": "mV"} for n in ("DB1", "LUAL", "PVR", "VB1")]
    assert [s["split"] for s in manifest["sequences"]] == ["train", "valid", "test", "train"]

    provenance = manifest["provenance"]
    assert provenance["seed"] == 5 and provenance["scenario"]["name"] == "fcm"
    model = provenance["model"]
    assert len(model["parameter_set"]["sha256"]) == 64
    assert model["connectome_table"]["name"] == "c302" and len(model["connectome_table"]["sha256"]) == 64
    assert model["c302_version"] == "0.12.1" and model["neuron_version"].startswith("9.")
    assert len(provenance["git"]["commit"]) in (40, len("unknown"))

    # Each CSV: the manifest's column order, the planned stimulus as inputs, outputs off rest.
    t = np.arange(100) * 0.5
    moved = []
    for entry in manifest["sequences"]:
        header, values = dataset.read_sequence_csv(first / entry["file"])
        assert header == ["t_ms", "PLML", "PLMR", "AVBL", "AVBR", "DB1", "LUAL", "PVR", "VB1"]
        assert values.shape == (100, 9) and np.array_equal(values[:, 0], t)
        assert np.all(np.isfinite(values))
        for j, name in enumerate(("PLML", "PLMR", "AVBL", "AVBR"), start=1):
            assert np.allclose(values[:, j], stimuli.sample(entry["stimulus"][name], t), rtol=0, atol=1e-12)
        assert np.all(values[0, 5:] == values[0, 5])  # every output starts at rest
        moved.append(np.max(np.abs(values[:, 5:] - values[0, 5:])))
    # Picoamp stimuli move the outputs by millivolts within 50 ms (docs/hf-model.md: +8..+14 mV at 200 ms).
    assert max(moved) > 1.0, moved


def test_same_seed_same_bits_and_two_ranks_same_as_one(first, tmp_path, generate):
    again = generate(tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert same_files(first, tmp_path / "again")

    ranks = generate(tmp_path / "ranks", "--np", "2")
    assert ranks.returncode == 0, ranks.stderr + ranks.stdout
    assert "on 2 rank(s)" in ranks.stdout
    assert same_files(first, tmp_path / "ranks")


def test_resume_keeps_good_sequences_and_redoes_the_rest(first, tmp_path, generate):
    resumed = tmp_path / "resumed"
    shutil.copytree(first, resumed)
    (resumed / "seq_02.csv").unlink()
    # Tamper with seq_03: another input value in row 40 (the stimulus no longer matches its plan).
    lines = (resumed / "seq_03.csv").read_text().splitlines()
    fields = lines[40].split(",")
    fields[1] = repr(float(fields[1]) + 0.001)
    lines[40] = ",".join(fields)
    (resumed / "seq_03.csv").write_text("\n".join(lines) + "\n")
    (resumed / ".seq_04.csv.999.tmp").write_text("left by an interrupted run")
    kept = (resumed / "seq_01.csv").stat().st_mtime_ns

    done = generate(resumed)
    assert done.returncode == 0, done.stderr
    assert "2 simulated, 2 kept" in done.stdout
    assert "seq_03.csv holds another stimulus of PLML than planned" in done.stderr
    assert (resumed / "seq_01.csv").stat().st_mtime_ns == kept
    assert same_files(first, resumed)


def test_a_different_request_does_not_mix_into_a_dataset(first, tmp_path, generate):
    other = tmp_path / "other"
    shutil.copytree(first, other)
    done = generate(other, "--seed", "6")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "holds a different dataset (differs at provenance.seed (5 -> 6))" in done.stderr
    assert same_files(first, other)


def test_ablated_inputs_keep_a_zero_column(tmp_path, generate):
    done = generate(tmp_path / "ablated", "--ablate", "AVBL,AVBR", "--sequences", "1", "--split", "1/0/0")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "ablated" / "manifest.json").read_text())
    assert manifest["provenance"]["model"]["ablated"] == ["AVBL", "AVBR"]
    assert manifest["sequences"][0]["stimulus"]["AVBL"]["shape"] == "none"
    _, values = dataset.read_sequence_csv(tmp_path / "ablated" / "seq_01.csv")
    assert np.all(values[:, 3:5] == 0.0) and np.any(values[:, 1:3] != 0.0)


def test_a_stimulated_neuron_recorded_as_an_output_gets_its_own_channel(tmp_path, neurorom):
    """FCM-16 stimulates PLML and records it: the output channel is PLML_soma, and the C++ reader (which
    wants channel names unique across inputs and outputs) accepts the dataset."""
    out = tmp_path / "fcm16"
    done = neurorom("generate", "--scenario", "fcm16", "--dt", "0.5", "--duration", "20", "--sequences", "3",
                    "--split", "1/1/1", "--out", str(out))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    inputs = [c["name"] for c in manifest["inputs"]]
    outputs = [c["name"] for c in manifest["outputs"]]
    assert "PLML" in inputs and "PLML_soma" in outputs and "PLML" not in outputs
    assert dataset.neuron_of_output("PLML_soma") == "PLML"
    header, values = dataset.read_sequence_csv(out / "seq_01.csv")
    plml_current, plml_voltage = values[:, header.index("PLML")], values[:, header.index("PLML_soma")]
    assert np.any(plml_current != 0.0) and np.all(plml_voltage < 0.0)  # nA drive, mV soma voltage
    trained = subprocess.run([str(paths.CLI), "train", "--data", str(out), "--out", str(tmp_path / "w.json"),
                              "--cell", "gru", "--hidden", "2", "--epochs", "1"], capture_output=True, text=True)
    assert trained.returncode == 0, trained.stderr
