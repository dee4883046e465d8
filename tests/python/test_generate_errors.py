"""Bad input to `generate`: one line on stderr naming the culprit, exit status 2, nothing written."""

import os
import subprocess
import sys

import pytest

BASE = ["--dt", "0.5", "--duration", "50", "--sequences", "2"]


def generate(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return subprocess.run([sys.executable, "-m", "neurorom", "generate", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("neurorom generate: error: ")
    return lines[0]


def test_unknown_scenario(tmp_path):
    line = one_line_error(generate("--scenario", "swimming", *BASE, "--out", str(tmp_path / "d")))
    assert "unknown scenario 'swimming'" in line
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("ranks", ["1", "2"])
def test_unknown_neuron_in_ablate(tmp_path, ranks):
    done = generate("--scenario", "fcm", *BASE, "--ablate", "AVBL,AVBX", "--np", ranks, "--out", str(tmp_path / "d"))
    assert "AVBX" in one_line_error(done)
    assert not (tmp_path / "d" / "manifest.json").exists()


def test_dt_that_does_not_divide_the_duration(tmp_path):
    line = one_line_error(generate("--scenario", "fcm", "--dt", "0.3", "--duration", "50", "--out",
                                   str(tmp_path / "d")))
    assert "--dt 0.3 ms does not divide --duration 50 ms" in line


def test_output_folder_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(generate("--scenario", "fcm", *BASE, "--out", str(blocker / "dataset")))
    assert f"cannot create output folder {blocker / 'dataset'}" in line


def test_a_folder_with_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    line = one_line_error(generate("--scenario", "fcm", *BASE, "--out", str(tmp_path)))
    assert "is not empty (notes.txt, ...) and holds no dataset manifest" in line


def test_an_ablated_output(tmp_path):
    line = one_line_error(generate("--scenario", "fcm", *BASE, "--ablate", "DB1", "--out", str(tmp_path / "d")))
    assert "output neuron DB1 of scenario fcm is ablated" in line
