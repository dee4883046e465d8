"""The hoc API (hoc/ReducedModel.hoc) in pure hoc sessions: nrniv with the compiled mechanisms, no Python code."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mechanism_support as support
from neurorom import mechanisms, paths

LAYOUT = support.layout_named(3, 2)
HOC_DIR = paths.ROOT / "hoc"
NRNIV = Path(sys.executable).parent / "nrniv"  # the venv's, next to the Python running the tests


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return support.train_weights(tmp_path_factory.mktemp("weights"), LAYOUT, "gru", variant="reset_after")


def nrniv(*statements: str, files: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run nrniv in hoc/ with the mechanisms loaded, executing statements then files then quit()."""
    library = mechanisms.library_path()
    assert library.is_file(), f"mechanisms not built: {library}"
    command = [str(NRNIV), "-nobanner", "-dll", str(library)]
    for statement in statements:
        command += ["-c", statement]
    command += [*files, "-c", "quit()"]
    return subprocess.run(command, cwd=HOC_DIR, capture_output=True, text=True, timeout=120)


def test_example_runs(weights):
    result = nrniv("strdef weights_file", f'weights_file = "{weights}"', files=("example.hoc",))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("t (ms)"))
    assert lines[header].split("\t")[1:] == ["OUT0 (mV)", "OUT1 (mV)"]
    table = np.array([[float(v) for v in line.split("\t")] for line in lines[header + 1:header + 22]])
    np.testing.assert_array_equal(table[:, 0], np.arange(0, 101, 5))
    assert np.ptp(table[:, 1:]) > 0.01, "the outputs should respond to the input pulses"
    assert "201 model steps" in result.stdout  # t_0 = 0 .. t_200 = 100 ms at h.dt = 0.125


HOC_PARITY = """
load_file("stdrun.hoc")
load_file("ReducedModel.hoc")
objref rm, stim[3], vec, out
create IN0, IN1, IN2, OUT0, OUT1
forall {{ L = 10  diam = 10  insert pas  e_pas = -65  g_pas = 1e-4 }}
rm = new ReducedModel("{weights}")
IN0 stim[0] = new IClamp(0.5)
IN1 stim[1] = new IClamp(0.5)
IN2 stim[2] = new IClamp(0.5)
proc setup() {{ local i
    for i = 0, 2 {{ stim[i].del = 3.1 + 7 * i  stim[i].dur = 6  stim[i].amp = 0.004 * (i + 1) }}
    rm.input("IN0", stim[0])
    rm.input("IN1", stim[1])
    rm.input_pointer("IN2", &stim[2].i)
    OUT0 rm.output("OUT0", 0.5)
    OUT1 rm.output("OUT1", 0.5, 0.002)
    rm.record(100)
}}
setup()
dt = {sim_dt}
steps_per_ms = 1 / dt
tstop = 30
run()
proc save() {{ local i
    out = new File()
    out.wopen("{table}")
    vec = new Vector()
    for i = 0, 2 {{ rm.recorded_input(i, vec)  vec.printf(out, "%.17g\\n") }}
    for i = 0, 1 {{ rm.recorded_output(i, vec)  vec.printf(out, "%.17g\\n") }}
    out.close()
}}
save()
"""


@pytest.mark.parametrize("sim_dt", [0.5, 0.125])
def test_hoc_outputs_equal_eval_predictions(weights, tmp_path, sim_dt):
    """What the model read and predicted in hoc equals `neurorom eval --predictions` to 1e-9 mV.

    The tolerance is the one of test_mechanism_parity: same evaluator, same inputs, exact text round trips.
    """
    script = tmp_path / "parity.hoc"
    table = tmp_path / "recorded.txt"
    script.write_text(HOC_PARITY.format(weights=weights, sim_dt=sim_dt, table=table))
    result = nrniv(files=(str(script),))
    assert result.returncode == 0, result.stdout + result.stderr
    values = np.loadtxt(table)
    n_steps = len(values) // 5
    assert n_steps * 5 == len(values) and n_steps in (60, 61)
    recorded = values.reshape(5, n_steps).T
    inputs, outputs = recorded[:, :3], recorded[:, 3:]
    assert np.count_nonzero(inputs) > 20, "the stimuli should have been read"
    expected = support.eval_predictions(tmp_path, weights, LAYOUT, inputs)
    np.testing.assert_allclose(outputs, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("statements, message", [
    (['rm = new ReducedModel("/nowhere/w.json")'], "RomModel: /nowhere/w.json: cannot read file"),
    (['rm = new ReducedModel("{weights}")', "rm.input(\"PLML\", stim)"],
     "has no input channel 'PLML' (inputs: IN0, IN1, IN2)"),
    (['rm = new ReducedModel("{weights}")', 'soma rm.output("DB1", 0.5)'],
     "has no output channel 'DB1' (outputs: OUT0, OUT1)"),
    (['rm = new ReducedModel("{weights}")', 'rm.input("IN0", stim)', 'rm.input("IN1", stim)',
      'rm.input("IN2", stim)', "dt = 0.2", "finitialize(-65)"],
     "h.dt = 0.2 ms does not divide the model dt 0.5 ms"),
])
def test_hoc_errors(weights, statements, message):
    setup = ['load_file("ReducedModel.hoc")', "objref rm, stim", "create soma", "soma stim = new IClamp(0.5)"]
    result = nrniv(*setup, *[s.format(weights=weights) for s in statements])
    assert result.returncode == 1, result.stdout + result.stderr  # a hoc error, not a signal
    assert message in result.stderr


def test_hoc_needs_the_mechanisms():
    command = [str(NRNIV), "-nobanner", "-c", 'load_file("ReducedModel.hoc")',
               "-c", "quit()"]
    result = subprocess.run(command, cwd=HOC_DIR, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "the RomModel mechanism is not loaded" in result.stderr


def test_hoc_unknown_output_leaves_no_clamp(weights):
    """A rejected output() must not leave a clamp behind (it would hold the soma at its initial voltage)."""
    result = nrniv('load_file("ReducedModel.hoc")', "objref rm, clamps", "create soma",
                   f'rm = new ReducedModel("{weights}")',
                   'ok = execute1("soma rm.output(\\"DB1\\", 0.5)")',
                   'clamps = new List("RomClamp")',
                   'printf("ok=%d clamps=%d\\n", ok, clamps.count())')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok=0 clamps=0" in result.stdout
    assert "has no output channel 'DB1'" in result.stderr


def test_hoc_refuses_the_local_time_step(weights):
    result = nrniv('load_file("ReducedModel.hoc")', "objref rm, cv", "create soma",
                   f'rm = new ReducedModel("{weights}")', "cv = new CVode()", "cv.active(1)", "cv.use_local_dt(1)",
                   "finitialize(-65)")
    assert result.returncode == 1
    assert "cannot run under CVODE's local time step" in result.stderr
