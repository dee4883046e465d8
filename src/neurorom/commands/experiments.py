"""`./neurorom experiments`: the study's Experiments 1-5 on our high-fidelity model (and 1-2 on its data).

usage: ./neurorom experiments [--only 1,2,...] [--runs 10] [--epochs 1000] [--quick] [--seed-data DIR]
                              [--out results] [--report docs/results.md] [--cache data/experiments]
                              [--finished-only] [--np 2] [--threads 2] [--jobs 1]

Datasets that are missing are generated (./neurorom generate) and cached under a key of their provenance;
every training run is cached too, so an interrupted or repeated invocation only does what is missing.
Writes OUT/*.csv (one per table, per-output tables for Experiments 4 and 5, saliency), OUT/*.png (loss
curves, predictions against truth, RMSE against hidden size, saliency heat maps) and the report.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from neurorom import paths
from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.experiments import definitions, plots, provenance, report, saliency, tables
from neurorom.experiments.datasets import DatasetCache
from neurorom.experiments.definitions import WITHOUT_AVB, WITHOUT_PLM, Experiment
from neurorom.experiments.runner import run_all
from neurorom.experiments.training import RowSummary, _cli, has_split
from neurorom.git_state import git_state

DEFAULT_OUT = paths.ROOT / "results"
DEFAULT_REPORT = paths.ROOT / "docs" / "results.md"
DEFAULT_CACHE = paths.ROOT / "data" / "experiments"


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandParser(prog="./neurorom experiments", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="IDS", help="comma-separated experiments to run (default: 1,2,3,4,5)")
    parser.add_argument("--runs", type=int, help="runs per model, seeds 1..R (default 10; 1 with --quick)")
    parser.add_argument("--epochs", type=int, help="epochs per run (default 1000; 15 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 8 sequences of 50 ms per scenario, 15 epochs, 1 run")
    parser.add_argument("--seed-data", type=Path, metavar="DIR",
                        help="the study's Sequence_NN.dat files: Experiments 1 and 2 also run on them")
    parser.add_argument("--out", type=Path, help="folder of the CSVs and PNGs (default results; with --quick "
                        "data/experiments/quick, so that a smoke run never replaces the committed results)")
    parser.add_argument("--report", type=Path, help="report file (default docs/results.md, or OUT/results.md "
                        "when --out is given)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="datasets, weights and run results (default data/experiments)")
    parser.add_argument("--finished-only", action="store_true",
                        help="train nothing: tables from the runs already in the cache (each row states its runs)")
    parser.add_argument("--np", type=int, default=2, metavar="N", help="MPI ranks for generate (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per training (default 2)")
    parser.add_argument("--jobs", type=int, default=1, help="trainings at a time (default 1)")
    return parser.parse_args(argv)


def check_seed_data(folder: Path | None) -> None:
    if folder is not None and not sorted(folder.glob("Sequence_*.dat")):
        raise InputError(f"--seed-data {folder}: no Sequence_NN.dat files there")


def predictions_figure(experiment: Experiment, rows: list[RowSummary], cache: Path, out: Path) -> tuple[str, Path]:
    """Truth against the predictions of the table's model best on validation (mean), on three sequences."""
    chosen = min(rows, key=lambda s: s.stat("valid").mean)
    run = chosen.best
    data_dir = run.data
    split = "test" if has_split(data_dir, "test") else "valid"
    predicted = cache / "predictions" / run.folder.name
    _cli(["eval", "--weights", str(run.weights), "--data", str(data_dir), "--split", split,
          "--predictions", str(predicted)])
    figure = out / f"exp{experiment.number}_predictions.png"
    plots.predictions(figure, f"Experiment {experiment.number}", data_dir, predicted,
                      f"{chosen.row.label}, best run (seed {run.seed}), {split} sequences")
    return f"Experiment {experiment.number}: truth (solid) and {chosen.row.label} (dashed)", figure


def saliency_section(rows: list[RowSummary], out: Path, name: str, ablation: bool) -> tuple[str, list[tuple[str, Path]]]:
    """Saliency of every all-input model's best run: CSV, a heat map of the best model, and (Experiment 4)
    the comparison with the ablations. Returns the Markdown and the figures."""
    full = [s for s in rows if not s.row.inputs]
    results = []
    csv_rows = []
    for s in full:
        data_dir = s.best.data
        split = "test" if has_split(data_dir, "test") else "valid"
        result = saliency.compute(s.best.weights, data_dir, split)
        results.append((s, result))
        for o, output in enumerate(result.outputs):
            for i, input_name in enumerate(result.inputs):
                csv_rows.append([s.row.label, split, output, input_name, float(result.gain[o, i]),
                                 float(result.strength[o, i]), float(result.input_peak[i]),
                                 float(result.importance[o, i])])
    tables.write_csv(out / f"{name}_saliency.csv",
                     ["row", "split", "output", "input", "gain_mV_per_nA", "strength_mV_per_nA", "input_peak_nA",
                      "importance_mV"], csv_rows)
    best_summary, best = min(results, key=lambda pair: pair[0].stat("valid").mean)
    figures = []
    figure = out / f"{name}_saliency.png"
    plots.heat_map(figure, f"{best_summary.row.label}: input importance (strength x peak input, mV)",
                   best.importance, best.outputs, best.inputs, "mV")
    figures.append((f"Saliency of {best_summary.row.label} (best run): importance of each input for each output",
                    figure))
    figure = out / f"{name}_saliency_gain.png"
    plots.heat_map(figure, f"{best_summary.row.label}: gain (mean output shift per nA offset, mV/nA)",
                   best.gain, best.outputs, best.inputs, "mV/nA")
    figures.append((f"Saliency of {best_summary.row.label}: signed gain", figure))
    lines = [f"Saliency (CSV: {name}_saliency.csv): for each all-input model's best run, the gradient of each "
             "output summed over a sequence with respect to each input at every step, by backpropagation through "
             "time (neurorom-cli saliency), integrated over time and averaged over the "
             f"{best.split} sequences. Importance = time-integrated |gradient| x the input's peak current (mV)."]
    if ablation:
        shares = np.array([saliency.group_share(r, WITHOUT_PLM, WITHOUT_AVB) for _, r in results])
        ratios = report.ablation_ratios(rows)
        lines += ["", "| output | AVB share of importance (mean over models) | RMSE x without AVB | RMSE x without PLM |",
                  "|---|---:|---:|---:|"]
        for o, output in enumerate(best.outputs):
            lines.append(f"| {output} | {np.nanmean(shares[:, o]):.2f} | {ratios['without AVB'].get(output, np.nan):.2g} "
                         f"| {ratios['without PLM'].get(output, np.nan):.2g} |")
        lines += ["", "An output whose importance comes mostly from AVB (share near 1) should lose most when the AVB "
                  "inputs are removed, and one driven by PLM (share near 0) when the PLM inputs are."]
    return "\n".join(lines), figures


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    args = parse_arguments(argv)
    only = definitions.parse_only(args.only)
    check_seed_data(args.seed_data)
    for label, value in (("--np", args.np), ("--threads", args.threads), ("--jobs", args.jobs)):
        if value < 1:
            raise InputError(f"{label} must be at least 1, got {value}")
    if not paths.CLI.is_file():
        raise InputError(f"{paths.CLI} is not built; run ./neurorom setup")
    settings = definitions.with_overrides(definitions.QUICK if args.quick else definitions.Settings(),
                                          args.runs, args.epochs)
    out = (args.out or (args.cache / "quick" if args.quick else DEFAULT_OUT)).resolve()
    report_path = args.report or (DEFAULT_REPORT if out == DEFAULT_OUT.resolve() else out / "results.md")
    out.mkdir(parents=True, exist_ok=True)
    cache = args.cache.resolve()
    experiments = [definitions.experiment(n, settings, args.seed_data is not None) for n in only]

    datasets = DatasetCache(cache, args.np, args.seed_data)
    summaries = run_all(experiments, settings, datasets, cache, args.threads, args.jobs, args.finished_only)

    figures: dict[int, list[tuple[str, Path]]] = {}
    extra: dict[int, str] = {}
    for experiment in experiments:
        shown = figures.setdefault(experiment.number, [])
        for table in experiment.tables:
            rows = summaries[table.name]
            tables.table_csv(out / f"{table.name}.csv", table, rows, settings.epochs)
            if table.per_output:
                tables.per_output_csv(out / f"{table.name}_per_output.csv", rows)
            figure = out / f"{table.name}_loss.png"
            plots.loss_curves(figure, f"{table.title}: RMSE per epoch", rows)
            shown.append((f"{table.title}: training and validation loss", figure))
            if experiment.number == 2:
                figure = out / f"{table.name}_rmse_vs_hidden.png"
                plots.rmse_vs_hidden(figure, table.title, rows, table.paper)
                shown.append((f"{table.title}: RMSE against hidden size", figure))
        shown.append(predictions_figure(experiment, summaries[experiment.tables[0].name], cache, out))
        if experiment.saliency or experiment.number == 5:
            text, saliency_figures = saliency_section(summaries[experiment.tables[0].name], out,
                                                      experiment.tables[0].name, experiment.saliency)
            extra[experiment.number] = text
            shown += saliency_figures

    command = "./neurorom experiments" + ("" if not argv else " " + shlex.join(argv))
    state = git_state()
    commit = state["commit"][:12] + (" (high-fidelity model files modified)" if state.get("dirty") else "")
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report.write(report_path, out, command, date, commit, settings, experiments, summaries, extra, figures,
                 time.perf_counter() - start)
    provenance.write(out / "provenance.json", command, date, state, settings, experiments, summaries)
    for experiment in experiments:
        for table in experiment.tables:
            print(f"{table.name}: {table.title}")
            print(tables.markdown(table, summaries[table.name]))
    print(f"tables and figures: {out}; report: {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
