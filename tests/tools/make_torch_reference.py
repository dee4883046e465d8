#!/usr/bin/python3
"""Write tests/cpp/data/torch_reference.json: outputs and gradients of small
RNN, LSTM and GRU models computed by PyTorch, an implementation independent
of ours, for tests/cpp/test_torch_reference.cpp.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tests/tools/make_torch_reference.py
Seeded: the same torch version writes the same numbers. Neither the build nor
the tests need torch; they read the committed JSON only.

Every case is one sequence through one recurrent layer and a per-step linear
readout, in double precision. The loss is the sum of squared errors (SSE)
over steps and outputs. Parameters and gradients are stored under our block
names (docs/model.md), converted from PyTorch's packed layout:
- nn.GRU (reset after): weight_ih / weight_hh / bias_ih / bias_hh stack the
  gates as (r, z, n); ours are W_z, W_r, W_h, U_*, b_z, b_r, b_h (input side)
  and b_hz, b_hr, b_hh (recurrent side).
- nn.LSTM stacks (i, f, g, o) and has two biases per gate; ours has one,
  b = bias_ih + bias_hh, whose gradient equals either bias's gradient.
- nn.RNN (tanh): likewise b = bias_ih + bias_hh.
- The classic GRU (reset before the recurrent product) has no PyTorch module;
  it is written here with plain tensor operations on our blocks.
"""
import json
import pathlib
import subprocess

import torch

SEED = 2023
N_INPUTS, HIDDEN, N_OUTPUTS, STEPS = 3, 4, 2, 7
OUT = pathlib.Path(__file__).resolve().parents[1] / "cpp" / "data" / "torch_reference.json"


def rows(t: torch.Tensor) -> list:
    """A 2-D list (rows) of a vector (as a column) or matrix."""
    t = t.detach()
    if t.dim() == 1:
        t = t.unsqueeze(1)
    return t.tolist()


def gate_blocks(stacked: torch.Tensor, order: str, names: dict) -> dict:
    """Split a PyTorch gate-stacked tensor into our named blocks."""
    parts = stacked.chunk(len(order), dim=0)
    return {names[g]: parts[k] for k, g in enumerate(order)}


def readout_and_loss(hs, dense, y_target):
    y = dense(hs)
    return y, ((y - y_target) ** 2).sum()


def torch_module_case(name, cell, module, order, w_names, u_names, b_names, bh_names=None):
    dense = torch.nn.Linear(HIDDEN, N_OUTPUTS).double()
    with torch.no_grad():  # make every bias matter
        for p in list(module.parameters()) + list(dense.parameters()):
            p.uniform_(-0.6, 0.6)
    x = torch.randn(STEPS, N_INPUTS, dtype=torch.float64)
    y_target = torch.randn(STEPS, N_OUTPUTS, dtype=torch.float64)
    hs, _ = module(x.unsqueeze(1))  # (T, batch 1, H)
    y, sse = readout_and_loss(hs.squeeze(1), dense, y_target)
    sse.backward()

    def named(attr):
        t = getattr(module, attr)
        return t, t.grad

    w, gw = named("weight_ih_l0")
    u, gu = named("weight_hh_l0")
    bi, gbi = named("bias_ih_l0")
    bh, gbh = named("bias_hh_l0")
    blocks = {**gate_blocks(w, order, w_names), **gate_blocks(u, order, u_names)}
    grads = {**gate_blocks(gw, order, w_names), **gate_blocks(gu, order, u_names)}
    if bh_names is None:  # one bias per gate: the sum of PyTorch's two
        blocks.update(gate_blocks(bi + bh, order, b_names))
        grads.update(gate_blocks(gbi, order, b_names))
    else:
        blocks.update(gate_blocks(bi, order, b_names))
        blocks.update(gate_blocks(bh, order, bh_names))
        grads.update(gate_blocks(gbi, order, b_names))
        grads.update(gate_blocks(gbh, order, bh_names))
    blocks.update({"dense.W": dense.weight, "dense.b": dense.bias})
    grads.update({"dense.W": dense.weight.grad, "dense.b": dense.bias.grad})
    return case_record(name, cell, x, y_target, y, sse, blocks, grads)


def gru_classic_case(name):
    """Cho et al. (2014): hh = tanh(W_h x + U_h (r * h) + b_h), h = z h + (1 - z) hh."""
    shapes = {"W": (HIDDEN, N_INPUTS), "U": (HIDDEN, HIDDEN), "b": (HIDDEN,)}
    params = {}
    for kind in ("W", "U", "b"):
        for gate in ("z", "r", "h"):
            params[f"{kind}_{gate}"] = (torch.rand(shapes[kind], dtype=torch.float64) * 1.2 - 0.6)
    params["dense.W"] = torch.rand(N_OUTPUTS, HIDDEN, dtype=torch.float64) * 1.2 - 0.6
    params["dense.b"] = torch.rand(N_OUTPUTS, dtype=torch.float64) * 1.2 - 0.6
    for p in params.values():
        p.requires_grad_(True)
    x = torch.randn(STEPS, N_INPUTS, dtype=torch.float64)
    y_target = torch.randn(STEPS, N_OUTPUTS, dtype=torch.float64)
    P = params
    h = torch.zeros(HIDDEN, dtype=torch.float64)
    outputs = []
    for t in range(STEPS):
        z = torch.sigmoid(P["W_z"] @ x[t] + P["U_z"] @ h + P["b_z"])
        r = torch.sigmoid(P["W_r"] @ x[t] + P["U_r"] @ h + P["b_r"])
        hh = torch.tanh(P["W_h"] @ x[t] + P["U_h"] @ (r * h) + P["b_h"])
        h = z * h + (1 - z) * hh
        outputs.append(P["dense.W"] @ h + P["dense.b"])
    y = torch.stack(outputs)
    sse = ((y - y_target) ** 2).sum()
    sse.backward()
    grads = {k: p.grad for k, p in params.items()}
    return case_record(name, ("gru", "classic"), x, y_target, y, sse, params, grads)


def case_record(name, cell, x, y_target, y, sse, blocks, grads):
    return {
        "name": name,
        "cell": cell[0],
        "gru_variant": cell[1],
        "n_inputs": N_INPUTS,
        "hidden": HIDDEN,
        "n_outputs": N_OUTPUTS,
        "x": rows(x),
        "y_target": rows(y_target),
        "y": rows(y),
        "sse": sse.item(),
        "blocks": {k: rows(v) for k, v in blocks.items()},
        "gradients": {k: rows(v) for k, v in grads.items()},
    }


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              cwd=OUT.parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    torch.manual_seed(SEED)
    gru = torch.nn.GRU(N_INPUTS, HIDDEN).double()
    lstm = torch.nn.LSTM(N_INPUTS, HIDDEN).double()
    rnn = torch.nn.RNN(N_INPUTS, HIDDEN, nonlinearity="tanh").double()
    cases = [
        torch_module_case("gru_reset_after", ("gru", "reset_after"), gru, "rzn",
                          {"r": "W_r", "z": "W_z", "n": "W_h"},
                          {"r": "U_r", "z": "U_z", "n": "U_h"},
                          {"r": "b_r", "z": "b_z", "n": "b_h"},
                          {"r": "b_hr", "z": "b_hz", "n": "b_hh"}),
        torch_module_case("lstm", ("lstm", "classic"), lstm, "ifgo",
                          {"i": "W_i", "f": "W_f", "g": "W_c", "o": "W_o"},
                          {"i": "U_i", "f": "U_f", "g": "U_c", "o": "U_o"},
                          {"i": "b_i", "f": "b_f", "g": "b_c", "o": "b_o"}),
        torch_module_case("rnn", ("rnn", "classic"), rnn, "h", {"h": "W"}, {"h": "U"}, {"h": "b"}),
        gru_classic_case("gru_classic"),
    ]
    document = {
        "generator": "tests/tools/make_torch_reference.py",
        "torch_version": torch.__version__,
        "seed": SEED,
        "git_commit": git_commit(),
        "loss": "sum of squared errors over steps and outputs, zero initial state",
        "layout": "matrices as lists of rows; vectors as columns; block names of docs/model.md",
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n")
    tmp.replace(OUT)
    print(f"wrote {OUT} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()
