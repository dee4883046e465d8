"""Usage errors of the Python commands (unknown option, missing or malformed value) are one line on
stderr, "neurorom COMMAND: error: ...", with exit status 2 and no usage block or traceback."""

import pytest

CASES = [
    (["network", "--bogus"], "unrecognized arguments: --bogus"),
    (["network", "--scenario"], "argument --scenario: expected one argument"),
    (["simulate"], "the following arguments are required: --scenario"),
    (["simulate", "--scenario", "fcm", "--dt", "abc"], "argument --dt: invalid float value: 'abc'"),
    (["generate", "--scenario", "fcm", "--out", "unused", "--np", "two"], "argument --np: invalid int value"),
    (["compare"], "the following arguments are required: --weights"),
    (["compare", "--weights", "w.json", "--split", "valid"], "--split needs --data"),
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    (["bench", "hf", "--repeats", "x"], "argument --repeats: invalid int value"),
    (["bench", "train", "--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize("args, message", CASES, ids=[" ".join(args) for args, _ in CASES])
def test_usage_error_is_one_line(args, message, neurorom, one_line_error):
    line = one_line_error(neurorom(*args), args[0])
    assert message in line
