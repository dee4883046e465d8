"""User errors of the Python commands are one line on stderr, "neurorom COMMAND: error: ...", with exit
status 2 and no usage block or traceback: usage errors (unknown option, missing or malformed value), and an
output path that cannot be written, found before any run."""

import pytest

from neurorom import paths

WEIGHTS = paths.ROOT / "weights" / "fcm_gru4.json"

CASES = [
    (["network", "--bogus"], "unrecognized arguments: --bogus"),
    (["network", "--scenario"], "argument --scenario: expected one argument"),
    (["simulate"], "the following arguments are required: --scenario"),
    (["simulate", "--scenario", "fcm", "--dt", "abc"], "argument --dt: invalid float value: 'abc'"),
    (["simulate", "--scenario", "fcm", "--stimulus", "s.json", "--seed", "2"], "with --stimulus they come from the file"),
    (["generate", "--scenario", "fcm", "--out", "unused", "--np", "two"], "argument --np: invalid int value"),
    (["compare"], "the following arguments are required: --weights"),
    (["compare", "--weights", "w.json", "--split", "valid"], "--split needs --data"),
    (["compare", "--weights", "w.json", "--data", "d", "--seed", "2"], "with --data the stimuli are the dataset's"),
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    (["bench", "hf", "--repeats", "x"], "argument --repeats: invalid int value"),
    (["bench", "train", "--bogus"], "unrecognized arguments: --bogus"),
    (["bench", "compare", "--bogus"], "unrecognized arguments: --bogus"),
    (["experiments", "--runs", "many"], "argument --runs: invalid int value"),
]


@pytest.mark.parametrize("args, message", CASES, ids=[" ".join(args) for args, _ in CASES])
def test_usage_error_is_one_line(args, message, neurorom, one_line_error):
    line = one_line_error(neurorom(*args), args[0])
    assert message in line


@pytest.mark.parametrize("command", [["simulate", "--scenario", "fcm", "--duration", "10"],
                                     ["compare", "--weights", str(WEIGHTS), "--duration", "10"],
                                     ["demo"]], ids=lambda command: command[0])
def test_an_unwritable_plot_fails_before_the_runs(tmp_path, neurorom, one_line_error, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    traces = tmp_path / "traces.csv"
    args = [*command, "--plot", str(blocker / "plot.png")] + (["--out", str(traces)] if command[0] == "simulate" else [])
    done = neurorom(*args)
    line = one_line_error(done, command[0])
    assert f"cannot create the folder of --plot {blocker / 'plot.png'}" in line
    assert "full:" not in done.stdout and not traces.exists()  # nothing was run


@pytest.mark.parametrize("command", [["network"], ["simulate"], ["generate"], ["compare"], ["demo"],
                                     ["experiments"], ["bench", "train"], ["bench", "hf"], ["bench", "compare"]],
                         ids=" ".join)
def test_every_command_has_help(neurorom, command):
    done = neurorom(*command, "--help")
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert done.stdout.startswith(f"usage: ./neurorom {' '.join(command)} "), done.stdout[:200]
    assert "\noptions:\n" in done.stdout
