"""Tables of the experiments: one CSV per table (and per-output CSVs), and their Markdown for the report."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from neurorom import dataset
from neurorom.experiments.definitions import Table
from neurorom.experiments.training import RowSummary

SPLITS = ("train", "valid", "test")


def sci(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.4e}"


def short(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.3g}"


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([sci(v) if isinstance(v, float) else v for v in row])
    dataset.write_text_atomic(path, out.getvalue())


def table_csv(path: Path, table: Table, summaries: list[RowSummary], epochs: int) -> None:
    header = ["row", "cell", "hidden", "inputs", "data", "parameters", "runs", "epochs", "unit"]
    for split in SPLITS:
        header += [f"{split}_mean", f"{split}_std", f"{split}_min"]
    header += ["best_seed", "best_epoch", "best_train", "best_valid", "best_test",
               "paper_train_V", "paper_valid_V", "paper_test_V", "train_seconds_total"]
    rows = []
    for s in summaries:
        line = [s.row.label, s.row.cell, s.row.hidden, " ".join(s.row.inputs) or "all", s.row.data.label,
                s.parameters, len(s.runs), epochs, s.unit]
        for split in SPLITS:
            st = s.stat(split)
            line += [st.mean, st.std, st.min]
        b = s.best
        paper = table.paper.get(s.row.label, (math.nan,) * 3)
        line += [b.seed, b.best_epoch, b.train_rmse, b.valid_rmse, b.test_rmse, *paper, round(s.seconds, 1)]
        rows.append(line)
    write_csv(path, header, rows)


def per_output_csv(path: Path, summaries: list[RowSummary]) -> None:
    header = ["row", "split", "output", "unit", "rmse_mean", "rmse_std", "rmse_min", "rmse_best_run"]
    rows = []
    for s in summaries:
        best = s.best
        for name, st in s.per_output().items():
            rows.append([s.row.label, best.eval_split, name, s.unit, st.mean, st.std, st.min, best.per_output[name]])
    write_csv(path, header, rows)


def markdown(table: Table, summaries: list[RowSummary]) -> str:
    unit = summaries[0].unit
    has_paper = any(s.row.label in table.paper for s in summaries)
    head = (f"| model | params | runs | train RMSE ({unit}) | valid RMSE ({unit}) | test RMSE ({unit}) "
            f"| best run: train / valid / test ({unit}) |")
    rule = "|---|---:|---:|---|---|---|---|"
    if has_paper:
        head += " paper (V): train / valid / test |"
        rule += "---|"
    lines = [head, rule]
    for s in summaries:
        cells = []
        for split in SPLITS:
            st = s.stat(split)
            if math.isnan(st.mean):
                cells.append("n/a")
            else:  # no spread to show for a single run
                cells.append(short(st.mean) if len(s.runs) == 1 else f"{short(st.mean)} ± {short(st.std)}")
        b = s.best
        line = (f"| {s.row.label} | {s.parameters} | {len(s.runs)} | {' | '.join(cells)} "
                f"| {short(b.train_rmse)} / {short(b.valid_rmse)} / {short(b.test_rmse)} |")
        if has_paper:
            paper = table.paper.get(s.row.label)
            line += (" " + " / ".join(short(v) for v in paper) + " |") if paper else " |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def per_output_markdown(summaries: list[RowSummary]) -> str:
    """Mean RMSE over runs of each output on the evaluation split: models as rows and outputs as columns,
    or the other way round when there are more outputs than models."""
    names = list(summaries[0].runs[0].per_output)
    unit = summaries[0].unit
    split = summaries[0].best.eval_split
    means = {s.row.label: {n: st.mean for n, st in s.per_output().items()} for s in summaries}
    if len(names) <= len(summaries):
        lines = [f"| model ({split} RMSE, {unit}) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
        lines += [f"| {label} | " + " | ".join(short(m[n]) for n in names) + " |" for label, m in means.items()]
    else:
        lines = [f"| output ({split} RMSE, {unit}) | " + " | ".join(means) + " |", "|---|" + "---:|" * len(means)]
        lines += [f"| {n} | " + " | ".join(short(m[n]) for m in means.values()) + " |" for n in names]
    return "\n".join(lines) + "\n"
