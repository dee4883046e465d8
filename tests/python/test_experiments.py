"""`./neurorom experiments --quick` end to end (real NEURON data, real trainer), its tables, figures and
report; the saliency against finite differences of the model's own predictions; bad input.

The quick run (8 sequences of 50 ms per scenario, 15 epochs, 1 run) is made once per module.
"""

import csv
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neurorom import dataset, paths
from neurorom.experiments import datasets as experiment_datasets
from neurorom.experiments.definitions import QUICK, DataSpec, fcm

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
TABLES = {"exp1": 6, "exp2": 6, "exp3": 4, "exp4": 18, "exp5": 6}


def experiments(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurorom", "experiments", *args], capture_output=True,
                          text=True, env=ENV, timeout=600)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("experiments")
    out, cache = root / "out", root / "cache"
    done = experiments("--quick", "--out", str(out), "--cache", str(cache), "--np", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    return {"out": out, "cache": cache, "stdout": done.stdout}


def parameter_count(cell: str, hidden: int, inputs: int, outputs: int) -> int:
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    return gates * (hidden * inputs + hidden * hidden + hidden) + hidden * outputs + outputs


def test_every_table_has_its_rows_with_finite_errors(quick):
    for name, count in TABLES.items():
        rows = read_csv(quick["out"] / f"{name}.csv")
        assert len(rows) == count, name
        for row in rows:
            for split in ("train", "valid", "test"):
                value = float(row[f"{split}_mean"])
                assert math.isfinite(value) and value > 0, (name, row["row"], split)
                assert float(row[f"{split}_std"]) == 0.0  # one run
                assert float(row[f"{split}_min"]) == value == float(row[f"best_{split}"])
            assert row["runs"] == "1" and row["epochs"] == str(QUICK.epochs) and row["unit"] == "mV"


def test_provenance_names_every_run_dataset_and_the_commit(quick):
    record = json.loads((quick["out"] / "provenance.json").read_text())
    assert record["format"] == "neurorom-experiments-provenance" and len(record["git"]["commit"]) == 40
    assert record["settings"]["epochs"] == QUICK.epochs and record["versions"]["neuron"].startswith("9.0")
    for name, count in TABLES.items():
        rows = record["tables"][name]
        assert len(rows) == count, name
        for row in rows:
            (run,) = row["runs"]
            weights = quick["cache"] / "runs" / run["folder"] / "weights.json"
            assert run["weights_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
            assert len(run["trainer_sha256"]) == 64
    folders = {d["folder"] for d in record["datasets"]}
    assert any(f.startswith("fcm16+nictation") for f in folders) and len(folders) >= 3
    for entry in record["datasets"]:
        manifest = quick["cache"] / "datasets" / entry["folder"] / "manifest.json"
        assert entry["manifest_sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()


def test_parameter_counts_are_those_of_the_architectures(quick):
    exp1 = {r["row"]: int(r["parameters"]) for r in read_csv(quick["out"] / "exp1.csv")}
    # the study's budgets (4 inputs, 4 outputs, classic GRU)
    assert exp1 == {"RNN-16": 404, "LSTM-8": 452, "GRU-8": 348, "RNN-64": 4676, "LSTM-32": 4868, "GRU-32": 3684}
    for row in read_csv(quick["out"] / "exp4.csv"):
        inputs = 4 if row["inputs"] == "all" else 2
        assert int(row["parameters"]) == parameter_count(row["cell"], int(row["hidden"]), inputs, 4), row["row"]
    for row in read_csv(quick["out"] / "exp5.csv"):
        assert int(row["parameters"]) == parameter_count(row["cell"], int(row["hidden"]), 10, 28), row["row"]


def test_paper_numbers_stand_beside_ours(quick):
    exp2 = {r["row"]: r for r in read_csv(quick["out"] / "exp2.csv")}
    assert float(exp2["GRU-4"]["paper_test_V"]) == pytest.approx(1.1771e-2)
    # Experiment 2's GRU-8 is Experiment 1's: the same runs, trained once
    exp1 = {r["row"]: r for r in read_csv(quick["out"] / "exp1.csv")}
    assert exp1["GRU-8"]["test_mean"] == exp2["GRU-8"]["test_mean"]


def test_per_output_tables_and_ablated_inputs(quick):
    rows = read_csv(quick["out"] / "exp4_per_output.csv")
    assert {r["output"] for r in rows} == {"DB1", "LUAL", "PVR", "VB1"}
    assert len(rows) == 18 * 4
    assert all(math.isfinite(float(r["rmse_mean"])) and r["split"] == "test" for r in rows)
    exp4 = {r["row"]: r for r in read_csv(quick["out"] / "exp4.csv")}
    assert exp4["GRU-8, without AVB"]["inputs"] == "PLML PLMR"
    assert exp4["LSTM-16, without PLM"]["inputs"] == "AVBL AVBR"
    outputs5 = {r["output"] for r in read_csv(quick["out"] / "exp5_per_output.csv")}
    assert len(outputs5) == 28 and {"DB1", "PLML_soma", "RMED", "SMDVR"} <= outputs5


def test_merged_dataset_holds_both_scenarios_with_zero_current_elsewhere(quick):
    folders = list((quick["cache"] / "datasets").glob("fcm16+nictation-*"))
    assert len(folders) == 1
    manifest = dataset.read_manifest(folders[0])
    assert len(manifest["inputs"]) == 10 and len(manifest["outputs"]) == 28
    inputs = [c["name"] for c in manifest["inputs"]]
    by_scenario = {"fcm16": [], "nictation": []}
    for entry in manifest["sequences"]:
        by_scenario[entry["id"].split("_seq_")[0]].append(entry)
    for name, entries in by_scenario.items():
        assert len(entries) == QUICK.sequences
        assert [e["split"] for e in entries].count("train") == 4  # 4/2/2 of 8, per scenario
        assert [e["split"] for e in entries].count("test") == 2
        silent = [i for i, n in enumerate(inputs) if (n.startswith("IL2") == (name == "fcm16"))]
        driven = [i for i in range(10) if i not in silent]
        _, values = dataset.read_sequence_csv(folders[0] / entries[0]["file"])
        assert np.all(values[:, 1 + np.array(silent)] == 0.0)
        assert np.any(values[:, 1 + np.array(driven)] != 0.0)
    parts = manifest["provenance"]["parts"]
    assert [p["name"] for p in parts] == ["fcm16", "nictation"]
    assert all(p["provenance"]["generator"] == "neurorom generate" for p in parts)


def test_figures_and_report(quick):
    out = quick["out"]
    for name in ("exp1_loss", "exp2_loss", "exp2_rmse_vs_hidden", "exp3_loss", "exp4_loss", "exp5_loss",
                 "exp1_predictions", "exp4_predictions", "exp5_predictions", "exp4_saliency", "exp5_saliency"):
        data = (out / f"{name}.png").read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000, name
    report = (out / "results.md").read_text()
    assert "./neurorom experiments --quick" in report
    assert report.count("## Experiment") == 5
    assert "| GRU-8 | 348 |" in report and "0.00779 / 0.0348 / 0.01 |" in report  # beside the paper's GRU-8
    saliency = read_csv(out / "exp4_saliency.csv")
    assert len(saliency) == 6 * 4 * 4
    assert all(math.isfinite(float(r["importance_mV"])) and float(r["strength_mV_per_nA"]) >= 0 for r in saliency)


def test_second_invocation_reuses_data_and_runs(quick, tmp_path):
    runs_before = sorted(p.name for p in (quick["cache"] / "runs").iterdir())
    done = experiments("--quick", "--only", "1", "--out", str(tmp_path), "--cache", str(quick["cache"]))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "generating" not in done.stderr
    assert sorted(p.name for p in (quick["cache"] / "runs").iterdir()) == runs_before
    assert (tmp_path / "exp1.csv").read_text() == (quick["out"] / "exp1.csv").read_text()


def test_dataset_key_follows_provenance(tmp_path):
    spec = fcm(QUICK)
    scenario = Path(paths.ROOT / "scenarios" / "fcm.json")
    base = {"hf_source_sha256": "a", "parameter_set_sha256": "b", "table": "c302", "c302_version": "1",
            "neuron_version": "9"}
    folder = lambda spec, fingerprint: experiment_datasets.generated_folder(scenario, spec, tmp_path, fingerprint)  # noqa: E731
    assert folder(spec, base) == folder(spec, dict(base))
    assert folder(spec, base) != folder(spec, dict(base, parameter_set_sha256="changed"))
    assert folder(spec, base) != folder(spec, dict(base, hf_source_sha256="changed"))
    assert folder(spec, base) != folder(DataSpec("generated", ("fcm",), 0.1, spec.duration_ms, spec.sequences), base)
    assert folder(spec, base) != folder(DataSpec("generated", ("fcm",), 0.5, spec.duration_ms, spec.sequences, 2), base)


def test_saliency_is_the_derivative_of_the_predictions(quick, tmp_path):
    """gain[o, i] = mean over sequences of d(mean_t y_o)/d(constant offset of x_i): check it by central
    differences of the model's own predictions (neurorom-cli eval --predictions)."""
    results = {p: json.loads((p / "result.json").read_text()) for p in (quick["cache"] / "runs").iterdir()}
    run, result = next((p, r) for p, r in results.items()
                       if p.name.startswith("lstm8-") and "--inputs" not in r["arguments"] and "fcm-dt0.5" in r["data"])
    data, weights = Path(result["data"]), run / "weights.json"
    cli = str(paths.CLI)
    report = json.loads(subprocess.run([cli, "saliency", "--weights", str(weights), "--data", str(data), "--json"],
                                       capture_output=True, text=True, check=True).stdout.splitlines()[-1])
    gain = np.array(report["gain"])
    manifest = dataset.read_manifest(data)
    n_in = len(manifest["inputs"])
    epsilon = 1e-5  # nA; inputs peak at 0.01-0.06 nA
    for i in (0, 2):
        means = []
        for sign in (1, -1):
            shifted = tmp_path / f"in{i}_{sign}"
            shutil.copytree(data, shifted)
            for entry in manifest["sequences"]:
                header, values = dataset.read_sequence_csv(shifted / entry["file"])
                values[:, 1 + i] += sign * epsilon
                names_in, names_out = header[1:1 + n_in], header[1 + n_in:]
                (shifted / entry["file"]).write_text(dataset.sequence_csv_text(
                    manifest["dt_ms"], names_in, names_out, values[:, 1:1 + n_in], values[:, 1 + n_in:]))
            predicted = tmp_path / f"pred{i}_{sign}"
            subprocess.run([cli, "eval", "--weights", str(weights), "--data", str(shifted), "--split", "test",
                            "--predictions", str(predicted)], capture_output=True, check=True)
            per_sequence = [dataset.read_sequence_csv(predicted / e["file"])[1][:, -gain.shape[0]:].mean(axis=0)
                            for e in dataset.read_manifest(predicted)["sequences"]]
            means.append(np.mean(per_sequence, axis=0))
        finite_difference = (means[0] - means[1]) / (2 * epsilon)
        assert np.abs(gain[:, i]).max() > 0
        np.testing.assert_allclose(gain[:, i], finite_difference, rtol=1e-5, atol=1e-7 * np.abs(gain).max())


def test_unknown_experiment_is_a_one_line_error(tmp_path):
    done = experiments("--only", "1,7", "--out", str(tmp_path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown experiment '7'" in lines[0]


def test_seed_data_without_sequences_is_a_one_line_error(tmp_path):
    empty = tmp_path / "seed"
    empty.mkdir()
    (empty / "README.md").write_text("no sequences here\n")
    done = experiments("--seed-data", str(empty), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(empty) in lines[0] and "no Sequence_NN.dat" in lines[0]


def test_runs_are_keyed_by_dataset_content_not_provenance(quick, tmp_path):
    folder = next((quick["cache"] / "datasets").glob("fcm-dt0.5-*"))
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    manifest = dataset.read_manifest(copy)
    manifest["provenance"]["git"] = {"commit": "another", "dirty": True}
    dataset.write_manifest(copy, manifest)
    assert experiment_datasets.content_key(copy) == experiment_datasets.content_key(folder)
    first = copy / manifest["sequences"][0]["file"]
    lines = first.read_text().splitlines()
    fields = lines[5].split(",")
    fields[-1] = repr(float(fields[-1]) + 1e-9)
    first.write_text("\n".join(lines[:5] + [",".join(fields)] + lines[6:]) + "\n")
    assert experiment_datasets.content_key(copy) != experiment_datasets.content_key(folder)
