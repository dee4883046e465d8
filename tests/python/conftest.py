"""Fixtures shared by the Python tests.

h              NEURON's h with the project's mechanisms (build/nrnmech) and stdrun loaded, once per process.
neurorom       runs `python -m neurorom ARGS...` (the door's Python half) in a subprocess.
one_line_error checks that a finished command failed as a user error: exit status 2 and exactly one line on
               stderr, "neurorom COMMAND: error: ..."; returns that line.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# OpenMPI refuses to start as root without these (generate --np N); ctest sets them too.
MPI_AS_ROOT = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
# A guard against a hung subprocess, far above any command's run time in these tests (the demo: minutes).
COMMAND_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def h():
    import mechanism_support  # NEURON loads only in the tests that ask for it

    return mechanism_support.neuron_with_mechanisms()


def run_neurorom(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurorom", *args], capture_output=True, text=True,
                          env=dict(os.environ, **MPI_AS_ROOT), timeout=COMMAND_TIMEOUT_S)


@pytest.fixture(scope="session")
def neurorom():
    return run_neurorom


def check_one_line_error(done: subprocess.CompletedProcess, command: str) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"neurorom {command}: error: "), lines[0]
    return lines[0]


@pytest.fixture(scope="session")
def one_line_error():
    return check_one_line_error
