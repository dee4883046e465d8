"""Each example in examples/ runs as written and says what it should (real NEURON, shipped weights)."""

import re
import subprocess
import sys

from neurorom import mechanisms, paths

EXAMPLES = paths.ROOT / "examples"
NRNIV = paths.ROOT / ".venv" / "bin" / "nrniv"


def run(command: list[str]) -> str:
    # From the repository root, as the examples' headers say.
    done = subprocess.run(command, capture_output=True, text=True, cwd=paths.ROOT, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def pooled_nrmse_percent(text: str) -> float:
    match = re.search(r"pooled NRMSE ([0-9.]+)%", text)
    assert match, text
    return float(match.group(1))


def test_fcm_compare_py():
    out = run([sys.executable, str(EXAMPLES / "fcm_compare.py")])
    assert pooled_nrmse_percent(out) < 3.0
    for name in ("DB1", "LUAL", "PVR", "VB1"):
        assert re.search(rf"^{name}\s+[0-9.]+\s+[0-9.]+%$", out, re.M), out
    assert re.search(r"speed-up \d+x", out)


def test_fcm_compare_hoc():
    library = mechanisms.library_path()
    out = run([str(NRNIV), "-nogui", "-dll", str(library), "examples/fcm_compare.hoc", "-c", "quit()"])
    assert pooled_nrmse_percent(out) < 3.0
    assert "over 1000 model steps" in out


def test_hybrid_py():
    out = run([sys.executable, str(EXAMPLES / "hybrid.py")])
    rows = re.findall(r"^(\w+)\s+(output|downstream)\s+([0-9.]+)\s+([0-9.]+)$", out, re.M)
    downstream = [(float(rmse), float(swing)) for _, role, rmse, swing in rows if role == "downstream"]
    assert len(downstream) == 3 and len(rows) == 7, out
    for rmse, swing in downstream:
        assert swing > 1.0, "the downstream neurons must respond for the comparison to mean anything"
        assert rmse < 0.05 * swing
