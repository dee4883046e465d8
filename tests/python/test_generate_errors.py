"""Bad input to `generate`: one line on stderr naming the culprit, exit status 2, nothing written."""

import pytest

BASE = ["--dt", "0.5", "--duration", "50", "--sequences", "2"]


@pytest.fixture
def generate_error(neurorom, one_line_error):
    """Runs `generate ARGS`; the one line of its user error (exit status 2)."""
    return lambda *args: one_line_error(neurorom("generate", *args), "generate")


def test_unknown_scenario(tmp_path, generate_error):
    line = generate_error("--scenario", "swimming", *BASE, "--out", str(tmp_path / "d"))
    assert "unknown scenario 'swimming'" in line
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("ranks", ["1", "2"])
def test_unknown_neuron_in_ablate(tmp_path, generate_error, ranks):
    line = generate_error("--scenario", "fcm", *BASE, "--ablate", "AVBL,AVBX", "--np", ranks, "--out",
                          str(tmp_path / "d"))
    assert "AVBX" in line
    assert not (tmp_path / "d" / "manifest.json").exists()


def test_dt_that_does_not_divide_the_duration(tmp_path, generate_error):
    line = generate_error("--scenario", "fcm", "--dt", "0.3", "--duration", "50", "--out", str(tmp_path / "d"))
    assert "--dt 0.3 ms does not divide --duration 50 ms" in line


def test_output_folder_that_cannot_be_written(tmp_path, generate_error):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = generate_error("--scenario", "fcm", *BASE, "--out", str(blocker / "dataset"))
    assert f"cannot create output folder {blocker / 'dataset'}" in line


def test_a_folder_with_other_files(tmp_path, generate_error):
    (tmp_path / "notes.txt").write_text("mine")
    line = generate_error("--scenario", "fcm", *BASE, "--out", str(tmp_path))
    assert "is not empty (notes.txt, ...) and holds no dataset manifest" in line


def test_an_ablated_output(tmp_path, generate_error):
    line = generate_error("--scenario", "fcm", *BASE, "--ablate", "DB1", "--out", str(tmp_path / "d"))
    assert "output neuron DB1 of scenario fcm is ablated" in line


def test_a_timing_file_that_cannot_be_written(tmp_path, generate_error):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    timing = blocker / "timing.json"
    line = generate_error("--scenario", "fcm", *BASE, "--out", str(tmp_path / "d"), "--timing-json", str(timing))
    assert f"cannot create the folder of --timing-json {timing}" in line
    assert not (tmp_path / "d" / "manifest.json").exists()
