"""The network split over threads and over MPI ranks gives bitwise the same traces as one thread.

Synapses and gap junctions read presynaptic voltages through ParallelContext source_var/target_var,
whose values NEURON copies at the same point of every step whether the partner cell sits in the same
thread, another thread or another rank; the traces must therefore be identical, not merely close.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neurorom.connectome_model import ConnectomeModel

AMPLITUDES_NA = {"PLML": 0.0099, "PLMR": 0.011, "AVBL": 0.050, "AVBR": 0.056}
RECORDED = ["DB1", "LUAL", "PVR", "VB1", "AVBL", "RIAR", "AVAL"]

RANK_SCRIPT = """
import sys
import numpy as np
from neuron import h
h.nrnmpi_init()
from neurorom.connectome_model import ConnectomeModel
amplitudes = {amplitudes!r}
stimuli = {{n: (np.array([0.0, 5.0, 5.0]), np.array([0.0, 0.0, a])) for n, a in amplitudes.items()}}
model = ConnectomeModel()
_, y = model.run(stimuli, list(amplitudes), {recorded!r}, 0.5, 50.0)
summary = model.summary()
if model.rank == 0:
    np.save(sys.argv[1], y)
    np.save(sys.argv[2], np.array([model.nhost, len(model.cells), summary["segments"]]))
model.pc.barrier()
h.quit()
"""


def stimuli() -> dict:
    return {n: (np.array([0.0, 5.0, 5.0]), np.array([0.0, 0.0, a])) for n, a in AMPLITUDES_NA.items()}


@pytest.fixture(scope="module")
def single_thread_traces():
    model = ConnectomeModel()
    try:
        _, y = model.run(stimuli(), list(AMPLITUDES_NA), RECORDED, 0.5, 50.0)
        segments = model.summary()["segments"]
    finally:
        model.close()
    return y, segments


def test_two_threads_give_identical_traces(single_thread_traces):
    model = ConnectomeModel(threads=2)
    try:
        _, y = model.run(stimuli(), list(AMPLITUDES_NA), RECORDED, 0.5, 50.0)
    finally:
        model.pc.nthread(1)
        model.close()
    assert np.array_equal(y, single_thread_traces[0])


def test_two_mpi_ranks_split_the_network_and_give_identical_traces(single_thread_traces, tmp_path):
    mpiexec = shutil.which("mpiexec")
    assert mpiexec, "mpiexec not found: ./neurorom setup installs Debian's openmpi-bin"
    script = tmp_path / "rank.py"
    script.write_text(RANK_SCRIPT.format(amplitudes=AMPLITUDES_NA, recorded=RECORDED))
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    traces, info = tmp_path / "y.npy", tmp_path / "info.npy"
    result = subprocess.run([mpiexec, "--quiet", "-n", "2", sys.executable, str(script), str(traces), str(info)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    nhost, local_cells, segments = np.load(info)
    assert nhost == 2 and local_cells == 151          # cell i lives on rank i % 2
    assert segments == single_thread_traces[1]        # the summary adds up both ranks
    assert np.array_equal(np.load(traces), single_thread_traces[0])
