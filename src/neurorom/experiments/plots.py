"""PNG figures: loss curves, predictions against truth, RMSE against hidden size, saliency heat maps.

Every figure is written to a temporary file in the target folder and renamed into place.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from neurorom import dataset  # noqa: E402
from neurorom.experiments.training import RowSummary  # noqa: E402


def save(figure, path: Path) -> None:
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.png")
    figure.savefig(temp, dpi=110)
    plt.close(figure)
    os.replace(temp, path)


def read_history(path: Path) -> np.ndarray:
    """Columns run, seed, epoch, train_rmse, valid_rmse."""
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def loss_curves(path: Path, title: str, summaries: list[RowSummary]) -> None:
    """One panel per model: train and validation RMSE per epoch, mean over runs and every run."""
    n = len(summaries)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    figure, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, s in zip(axes.flat, summaries):
        curves = [read_history(r.history) for r in s.runs]
        for split, column, color in (("train", 3, "tab:blue"), ("valid", 4, "tab:orange")):
            for c in curves:
                ax.plot(c[:, 2], c[:, column], color=color, alpha=0.15, lw=0.7)
            length = min(len(c) for c in curves)
            mean = np.mean([c[:length, column] for c in curves], axis=0)
            ax.plot(curves[0][:length, 2], mean, color=color, lw=1.5, label=f"{split} (mean of {len(curves)})")
        ax.set_yscale("log")
        ax.set_title(f"{s.row.label} ({s.parameters} params)", fontsize=9)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"RMSE ({s.unit})")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    save(figure, path)


def predictions(path: Path, title: str, truth_dir: Path, predicted_dir: Path, label: str,
                count: int = 3, max_outputs: int = 4) -> None:
    """`count` sequences of the predicted split: truth (solid) and prediction (dashed) of up to
    `max_outputs` outputs, those varying most in the sequence."""
    manifest = dataset.read_manifest(predicted_dir)
    # Spread over the split (the first, middle and last sequence for 3), so that a merged dataset shows
    # sequences of each of its scenarios.
    every = manifest["sequences"]
    entries = [every[k] for k in sorted({round(j * (len(every) - 1) / max(count - 1, 1)) for j in range(count)})]
    outputs = [c["name"] for c in manifest["outputs"]]
    unit = manifest["outputs"][0]["unit"]
    dt = manifest["dt_ms"]
    figure, axes = plt.subplots(1, len(entries), figsize=(4.6 * len(entries), 3.4), squeeze=False)
    for ax, entry in zip(axes.flat, entries):
        _, truth = dataset.read_sequence_csv(truth_dir / entry["file"])
        _, pred = dataset.read_sequence_csv(predicted_dir / entry["file"])
        # The truth CSV holds all of the dataset's inputs; outputs are its last columns.
        y_true = truth[:, -len(outputs):]
        y_pred = pred[:, -len(outputs):]
        chosen = np.argsort(-np.ptp(y_true, axis=0))[:max_outputs]
        t = np.arange(len(y_true)) * dt
        for k, o in enumerate(sorted(chosen)):
            color = f"C{k}"
            ax.plot(t, y_true[:, o], color=color, lw=1.2, label=f"{outputs[o]}")
            ax.plot(t, y_pred[:, o], color=color, lw=1.2, ls="--")
        ax.set_title(f"{entry['id']} ({entry['split']})", fontsize=9)
        ax.set_xlabel("t (ms)")
        ax.set_ylabel(f"voltage ({unit})")
        ax.legend(fontsize=7, title="solid truth, dashed model", title_fontsize=7)
    figure.suptitle(f"{title}: {label}", fontsize=10)
    figure.tight_layout()
    save(figure, path)


def rmse_vs_hidden(path: Path, title: str, summaries: list[RowSummary], paper: dict | None) -> None:
    """Mean ± std of each split against hidden size; the paper's numbers (V) in the same panel when ours
    are in V too, else in a panel of their own."""
    hidden = [s.row.hidden for s in summaries]
    unit = summaries[0].unit
    same_units = unit == "V"
    panels = 1 if (same_units or not paper) else 2
    figure, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 3.8), squeeze=False)
    ours_ax = axes[0, 0]
    paper_ax = ours_ax if panels == 1 else axes[0, 1]
    for split, color in (("train", "tab:blue"), ("valid", "tab:orange"), ("test", "tab:green")):
        stats = [s.stat(split) for s in summaries]
        if not all(math.isnan(st.mean) for st in stats):
            ours_ax.errorbar(hidden, [st.mean for st in stats], yerr=[st.std for st in stats], color=color,
                             marker="o", capsize=3, label=f"{split} (ours)")
        if paper:
            index = ("train", "valid", "test").index(split)
            values = [paper.get(s.row.label, (math.nan,) * 3)[index] for s in summaries]
            paper_ax.plot(hidden, values, color=color, ls=":", marker="x", label=f"{split} (paper)")
    for ax, label in ((ours_ax, f"ours, {unit}"), (paper_ax, "paper, V")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(hidden)
        ax.set_xticklabels([str(h) for h in hidden])
        ax.set_xlabel("GRU hidden units")
        ax.set_ylabel(f"RMSE ({unit if ax is ours_ax else 'V'})")
        ax.legend(fontsize=7)
        if panels == 2:
            ax.set_title(label, fontsize=9)
    figure.suptitle(f"{title}: mean ± std over runs", fontsize=10)
    figure.tight_layout()
    save(figure, path)


def heat_map(path: Path, title: str, values: np.ndarray, outputs: list[str], inputs: list[str],
             colorbar_label: str) -> None:
    figure, ax = plt.subplots(figsize=(1.2 + 0.9 * len(inputs), 1.2 + 0.45 * len(outputs)))
    limit = float(np.max(np.abs(values))) or 1.0
    if np.min(values) >= 0:  # magnitudes: sequential scale from zero
        image = ax.imshow(values, cmap="Reds", vmin=0, vmax=limit, aspect="auto")
    else:  # signed: diverging scale centred on zero
        image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(inputs)))
    ax.set_xticklabels(inputs, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(outputs)))
    ax.set_yticklabels(outputs, fontsize=8)
    for o in range(len(outputs)):
        for i in range(len(inputs)):
            ax.text(i, o, f"{values[o, i]:.2g}", ha="center", va="center", fontsize=6)
    figure.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_title(title, fontsize=9)
    figure.tight_layout()
    save(figure, path)
