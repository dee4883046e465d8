"""`./neurorom bench train [--json] [--epochs N]`: our trainer vs. PyTorch, time per epoch of a GRU-4.

The problem has the size of the study's: 20 training and 10 validation sequences of 1000 steps, 4 inputs,
4 outputs, batch 32, so one epoch is one full-batch Adam step over 20 sequences plus a forward pass over
the 10 validation sequences (as Keras' fit with validation data does).

- Ours: `neurorom-cli bench-train`, a classic GRU-4 (Cho et al., 128 parameters) in double precision on
  2 threads. It also writes the exact problem it trained on, which PyTorch then reads.
- PyTorch 1.13 (Debian's python3-torch, if importable): torch.nn.GRU + torch.nn.Linear on the same data
  and batch, Adam(lr 0.05, eps 1e-7), MSE, 2 threads. torch.nn.GRU only has the reset-after form
  (two biases per gate, 152 parameters), so its model is the same size and shape of computation but not
  the same equations. Timed in float32 (PyTorch's usual precision; `ratio` uses it) and float64 (ours'
  precision; `ratio_float64`).
Both are timed in this one run after warm-up epochs; the goal (issue 2) is a ratio of at least 10.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from neurorom import paths
from neurorom.command_line import CommandParser
from neurorom.errors import InputError

GOAL_RATIO = 10.0
WARMUP_EPOCHS = 2
THREADS = 2
LEARNING_RATE = 0.05
BATCH = 32


def time_ours(epochs: int, data_dir: Path) -> dict:
    if not paths.CLI.exists():
        raise InputError(f"{paths.CLI}: not built (run ./neurorom setup)")
    command = [str(paths.CLI), "bench-train", "--json", "--epochs", str(epochs), "--threads", str(THREADS),
               "--write-data", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise InputError(f"neurorom-cli bench-train failed: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def read_split(data_dir: Path, split: str):
    """(inputs, outputs) of one split as float64 arrays of shape sequences x steps x channels."""
    import numpy as np

    manifest = json.loads((data_dir / "manifest.json").read_text())
    n_in = len(manifest["inputs"])
    tables = [np.loadtxt(data_dir / s["file"], delimiter=",", skiprows=1)
              for s in manifest["sequences"] if s["split"] == split]
    stacked = np.stack(tables)
    return stacked[:, :, 1:1 + n_in], stacked[:, :, 1 + n_in:]


def time_torch(data_dir: Path, epochs: int, hidden: int, dtype_name: str) -> float:
    """Seconds per epoch of torch.nn.GRU + Linear trained like ours on the problem in data_dir."""
    import torch

    torch.manual_seed(1)
    torch.set_num_threads(THREADS)
    dtype = getattr(torch, dtype_name)
    train_x, train_y = (torch.tensor(a, dtype=dtype) for a in read_split(data_dir, "train"))
    valid_x, valid_y = (torch.tensor(a, dtype=dtype) for a in read_split(data_dir, "valid"))
    gru = torch.nn.GRU(train_x.shape[2], hidden, batch_first=True).to(dtype)
    dense = torch.nn.Linear(hidden, train_y.shape[2]).to(dtype)
    parameters = list(gru.parameters()) + list(dense.parameters())
    optimiser = torch.optim.Adam(parameters, lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-7)
    loss_function = torch.nn.MSELoss()

    def epoch() -> None:
        order = torch.randperm(train_x.shape[0])
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            optimiser.zero_grad()
            loss = loss_function(dense(gru(train_x[batch])[0]), train_y[batch])
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            loss_function(dense(gru(valid_x)[0]), valid_y)

    for _ in range(WARMUP_EPOCHS):
        epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / epochs


def torch_version() -> str | None:
    try:
        import torch
    except ImportError:
        return None
    return torch.__version__


def main(argv: list[str]) -> int:
    parser = CommandParser(prog="./neurorom bench train", description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--epochs", type=int, default=20, help="epochs timed per trainer (default 20)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        raise InputError(f"--epochs must be at least 1, got {args.epochs}")

    with tempfile.TemporaryDirectory(prefix="neurorom-bench-train-") as folder:
        data_dir = Path(folder) / "problem"
        ours = time_ours(args.epochs, data_dir)
        print(f"ours:    {ours['model']}, {ours['parameters']} parameters, float64, {THREADS} threads: "
              f"{ours['epoch_s'] * 1e3:.2f} ms per epoch")
        version = torch_version()
        torch32 = torch64 = None
        if version is None:
            print("PyTorch: not importable (Debian's python3-torch is absent); skipped")
        else:
            hidden = 4
            torch32 = time_torch(data_dir, args.epochs, hidden, "float32")
            torch64 = time_torch(data_dir, args.epochs, hidden, "float64")
            print(f"PyTorch {version}: torch.nn.GRU (reset-after; PyTorch has no classic GRU) + Linear, "
                  f"{THREADS} threads: {torch32 * 1e3:.2f} ms per epoch in float32, "
                  f"{torch64 * 1e3:.2f} ms in float64")
    ratio = torch32 / ours["epoch_s"] if torch32 else None
    ratio64 = torch64 / ours["epoch_s"] if torch64 else None
    if ratio is not None:
        verdict = "meets" if ratio >= GOAL_RATIO else "misses"
        print(f"ratio (PyTorch float32 / ours): {ratio:.1f}x; float64: {ratio64:.1f}x "
              f"({verdict} the goal of {GOAL_RATIO:.0f}x)")
    if args.json:
        print(json.dumps({"ours_epoch_s": ours["epoch_s"], "torch_epoch_s": torch32, "ratio": ratio,
                          "torch_float64_epoch_s": torch64, "ratio_float64": ratio64,
                          "torch_version": version, "epochs": args.epochs, "threads": THREADS,
                          "problem": "20 train + 10 valid sequences x 1000 steps, 4 in, 4 out, batch 32",
                          "ours_model": ours["model"], "torch_model": "torch.nn.GRU (reset-after) + Linear"}))
    return 0
