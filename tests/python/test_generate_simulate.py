"""`simulate` re-runs any generated sequence bit for bit, from the library or from a manifest."""

import json

import pytest

from neurorom import dataset

COMMON = ["--scenario", "fcm", "--dt", "0.5", "--duration", "50", "--seed", "3"]


@pytest.fixture(scope="module")
def data(tmp_path_factory, neurorom):
    out = tmp_path_factory.mktemp("sim") / "data"
    done = neurorom("generate", *COMMON, "--sequences", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_library_sequence_with_plot(data, tmp_path, neurorom):
    csv, png = tmp_path / "seq2.csv", tmp_path / "seq2.png"
    done = neurorom("simulate", *COMMON, "--stimulus-seq", "2", "--out", str(csv), "--plot", str(png))
    assert done.returncode == 0, done.stderr
    assert csv.read_bytes() == (data / "seq_02.csv").read_bytes()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    record = json.loads((tmp_path / "seq2.csv.json").read_text())
    assert record["units"]["outputs"].startswith("mV") and record["stimulus_source"]["sequence"] == 2
    assert "DB1" in done.stdout and "LUAL" in done.stdout


def test_sequence_from_a_manifest(data, tmp_path, neurorom):
    csv = tmp_path / "from-manifest.csv"
    # dt and duration come from the manifest.
    done = neurorom("simulate", "--scenario", "fcm", "--stimulus", str(data / "manifest.json"),
                    "--stimulus-seq", "1", "--out", str(csv))
    assert done.returncode == 0, done.stderr
    assert csv.read_bytes() == (data / "seq_01.csv").read_bytes()
    header, values = dataset.read_sequence_csv(csv)
    assert values.shape == (100, 9)


def test_hand_written_stimulus_and_its_errors(tmp_path, neurorom):
    spec = {"PLML": {"shape": "pulse", "amplitude_nA": 0.0099, "onset_ms": 5.0, "width_ms": 20.0},
            "PLMR": {"shape": "none"}, "AVBL": {"shape": "none"}, "AVBR": {"t_ms": [0.0, 30.0], "amp_nA": [0.0, 0.05]}}
    path = tmp_path / "stimulus.json"
    path.write_text(json.dumps(spec))
    csv = tmp_path / "hand.csv"
    done = neurorom("simulate", "--scenario", "fcm", "--duration", "40", "--stimulus", str(path), "--out", str(csv))
    assert done.returncode == 0, done.stderr
    _, values = dataset.read_sequence_csv(csv)
    assert values[:, 1].max() == 0.0099 and values[:, 2].max() == 0.0
    assert abs(values[30, 4] - 0.025) < 1e-15 and values[-1, 4] == 0.05  # t = 15 ms: half way; then held

    del spec["AVBR"]
    spec["AVAL"] = {"shape": "none"}
    path.write_text(json.dumps(spec))
    done = neurorom("simulate", "--scenario", "fcm", "--stimulus", str(path), "--out", str(csv))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"neurorom simulate: error: {path}: AVAL is not an input of scenario fcm "
                                   "(PLML, PLMR, AVBL, AVBR)")
