"""Independent simulations spread over MPI ranks with NEURON's ParallelContext.

Each rank is its own subworld of one process (pc.subworlds(1)), so a model built there sees
pc.nhost() == 1 and holds the whole network; the ranks share the work through NEURON's bulletin board:
rank 0 submits jobs, every rank (rank 0 included) runs them, and rank 0 receives the results.

A command asked for N > 1 ranks outside MPI re-launches itself as `mpiexec -n N python -m neurorom ...`
(Debian's OpenMPI). Started by mpiexec, srun or a cluster's launcher, the world's size is used as is, so
the same command runs on a cluster. NEUROROM_MPIEXEC replaces the launcher (e.g. "srun"; "-n N" is
appended).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from neurorom.errors import InputError

# Environment variables that MPI launchers set in every rank: the world's size.
WORLD_SIZE_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS")


def world_size_from_launcher() -> int:
    """The number of ranks this process was started with by an MPI launcher (1 if none)."""
    for name in WORLD_SIZE_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return 1


def under_mpi() -> bool:
    return world_size_from_launcher() > 1


def relaunch(ranks: int, argv: list[str]) -> int:
    """Run `python -m neurorom <argv>` on `ranks` MPI ranks; the exit status of the job."""
    custom = os.environ.get("NEUROROM_MPIEXEC")
    if custom:
        launcher = shlex.split(custom) + ["-n", str(ranks)]
    else:
        mpiexec = shutil.which("mpiexec")
        if mpiexec is None:
            raise InputError(f"--np {ranks} needs MPI's mpiexec (Debian package openmpi-bin), not found on PATH")
        # --quiet: a failing rank reports its own one-line error, not OpenMPI's banner.
        launcher = [mpiexec, "--quiet", "-n", str(ranks)]
        if ranks > (os.cpu_count() or 1):
            launcher.append("--oversubscribe")
    env = dict(os.environ)
    # OpenMPI refuses to run as root without these (the door exports them too).
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    env.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    # The ranks import this same neurorom, whichever way this process found it.
    source_root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source_root, env.get("PYTHONPATH", "")) if p)
    env["NEUROROM_PROGRESS_TTY"] = "1" if sys.stderr.isatty() else "0"
    command = launcher + [sys.executable, "-m", "neurorom", *argv]
    try:
        return subprocess.run(command, env=env).returncode
    except KeyboardInterrupt:
        return 130


class Farm:
    """The bulletin board of an MPI job whose ranks are subworlds of one process each.

    Use: farm = Farm() before building any model; build the model on every rank; farm.start_workers()
    (ranks other than 0 then serve jobs until rank 0 calls farm.finish(), and exit there);
    rank 0 submits jobs and collects their results, then calls farm.finish(status).
    """

    def __init__(self) -> None:
        from neuron import h
        self._h = h
        h.nrnmpi_init()
        self.pc = h.ParallelContext()
        self.pc.subworlds(1)
        self.rank = int(self.pc.id_world())
        self.ranks = int(self.pc.nhost_world())

    def start_workers(self) -> None:
        """Ranks > 0 serve jobs from here on and never return; rank 0 returns at once."""
        self.pc.runworker()

    def submit(self, function, *args) -> None:
        """Queue function(*args) (a module-level function) for some rank; numbers arrive as floats."""
        self.pc.submit(function, *args)

    def results(self):
        """Each finished job's return value, in completion order; rank 0 runs jobs while it waits."""
        while self.pc.working():
            yield self.pc.pyret()

    def finish(self, status: int) -> None:
        """Release the workers and end every rank with MPI finalised (NEURON's quit)."""
        self.pc.done()
        sys.stdout.flush()
        sys.stderr.flush()
        self._h.quit(status)
