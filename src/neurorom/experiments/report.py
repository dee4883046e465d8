"""docs/results.md: the command, date and machine of a run, every table beside the paper's numbers, the
figures, and observations computed from the tables. Text after the KEEP marker in an existing report
(the hand-written discussion) is kept when the report is made again."""

from __future__ import annotations

import math
import os
import platform
from pathlib import Path

import numpy as np

from neurorom import dataset
from neurorom.experiments import paper, tables
from neurorom.experiments.definitions import Experiment, Settings
from neurorom.experiments.training import RowSummary

KEEP = "<!-- Text below this line is written by hand and kept when the report is regenerated. -->"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def by_label(summaries: list[RowSummary]) -> dict[str, RowSummary]:
    return {s.row.label: s for s in summaries}


def ratio(a: float, b: float) -> str:
    return "n/a" if math.isnan(a) or math.isnan(b) or b == 0 else f"{a / b:.2f}"


def observations(experiment: Experiment, summaries: dict[str, list[RowSummary]]) -> list[str]:
    """Facts read off the tables, phrased against the study's claims."""
    notes = []
    split = "test"
    for table in experiment.tables:
        rows = summaries[table.name]
        if not rows:
            continue
        if all(math.isnan(s.stat("test").mean) for s in rows):
            split = "valid"
        else:
            split = "test"
        rows_of = by_label(rows)
        mean = lambda label: rows_of[label].stat(split).mean  # noqa: E731
        where = "published data" if "published" in table.name else "our data"
        k = ("train", "valid", "test").index(split)  # the paper's numbers of the same split
        if experiment.number == 1:
            published = paper.EXPERIMENT_1
            for small, big in (("RNN-16", ("LSTM-8", "GRU-8")), ("RNN-64", ("LSTM-32", "GRU-32"))):
                notes.append(f"{where}: mean {split} RMSE {small} / {big[0]} = {ratio(mean(small), mean(big[0]))}, "
                             f"{small} / {big[1]} = {ratio(mean(small), mean(big[1]))}; "
                             f"{big[0]} / {big[1]} = {ratio(mean(big[0]), mean(big[1]))} "
                             f"(paper: {ratio(published[small][k], published[big[0]][k])}, "
                             f"{ratio(published[small][k], published[big[1]][k])}, "
                             f"{ratio(published[big[0]][k], published[big[1]][k])}).")
        elif experiment.number == 2:
            best = min(rows, key=lambda s: s.stat(split).mean)
            ratios = ", ".join(f"{s.row.label} {ratio(s.stat(split).mean, best.stat(split).mean)}" for s in rows)
            notes.append(f"{where}: lowest mean {split} RMSE {best.row.label}; each size relative to it: {ratios}.")
        elif experiment.number == 3:
            for h in (4, 8):
                a, b = f"GRU-{h}, dt 0.1 ms", f"GRU-{h}, dt 0.5 ms"
                notes.append(f"GRU-{h}: mean {split} RMSE at dt 0.1 / at dt 0.5 = {ratio(mean(a), mean(b))} "
                             f"(paper: {ratio(paper.EXPERIMENT_3[a][2], paper.EXPERIMENT_3[b][2])}).")
        elif experiment.number == 4:
            notes += ablation_notes(rows)
        elif experiment.number == 5:
            notes += scenario_notes(rows)
    return notes


def ablation_ratios(rows: list[RowSummary]) -> dict[str, dict[str, float]]:
    """Per ablation ("without AVB", "without PLM") and output: mean over models of the output's RMSE
    relative to the same model with all inputs."""
    rows_of = by_label(rows)
    out: dict[str, dict[str, float]] = {}
    for ablation in ("without AVB", "without PLM"):
        per_output: dict[str, list[float]] = {}
        for s in rows:
            if not s.row.label.endswith(ablation):
                continue
            full = rows_of[s.row.label.replace(ablation, "all inputs")].per_output()
            for name, st in s.per_output().items():
                per_output.setdefault(name, []).append(st.mean / full[name].mean)
        out[ablation] = {n: float(np.mean(v)) for n, v in per_output.items()}
    return out


def ablation_notes(rows: list[RowSummary]) -> list[str]:
    notes = []
    for ablation, per_output in ablation_ratios(rows).items():
        text = ", ".join(f"{n} x{v:.2g}" for n, v in sorted(per_output.items(), key=lambda kv: -kv[1]))
        notes.append(f"{ablation}: each output's RMSE relative to all inputs (mean over the six models): {text}.")
    notes.append(f"Paper: {paper.EXPERIMENT_4_FINDING}")
    return notes


def scenario_notes(rows: list[RowSummary]) -> list[str]:
    from neurorom.scenarios import load_scenario
    fcm_outputs = set(load_scenario("fcm16").outputs)
    notes = []
    for s in rows:
        per = s.per_output()
        fcm = [st.mean for n, st in per.items() if dataset.neuron_of_output(n) in fcm_outputs]
        nict = [st.mean for n, st in per.items() if dataset.neuron_of_output(n) not in fcm_outputs]
        notes.append(f"{s.row.label}: mean per-output RMSE {np.mean(fcm):.3g} on the {len(fcm)} FCM outputs, "
                     f"{np.mean(nict):.3g} on the {len(nict)} Nictation outputs ({s.unit}).")
    return notes


def run_time_note(distinct: list, settings: Settings) -> str:
    """What one round (one run of every distinct model) cost, from the latest complete round's times."""
    by_seed: dict[int, list] = {}
    for r in distinct:
        by_seed.setdefault(r.seed, []).append(r)
    models = max((len(runs) for runs in by_seed.values()), default=0)  # every model has its first seed
    complete = [seed for seed, runs in by_seed.items() if len(runs) == models]
    if not complete:
        return "Run time: no round (one run of every model) is complete yet."
    seed = max(complete)
    minutes = sum(r.seconds for r in by_seed[seed]) / 60
    builds = sorted({r.trainer[:12] for r in by_seed[seed]})
    return (f"Run time: the round of seed {seed} (one run of each of the {models} distinct models, "
            f"neurorom-cli {', '.join(builds)}) took {minutes:.0f} min of training (the sum of the runs' times). With two "
            f"trainings side by side on the 2 cores (--jobs 2 --threads 1), R = {settings.runs} rounds take about "
            f"{settings.runs * minutes / 2 / 60:.1f} h of wall time.")


def write(path: Path, out_dir: Path, command: str, date: str, commit: str, settings: Settings,
          experiments: list[Experiment], summaries: dict[str, list[RowSummary]], extra: dict[int, str],
          figures: dict[int, list[tuple[str, Path]]], seconds: float) -> None:
    link = lambda p: os.path.relpath(p, path.parent)  # noqa: E731
    total_train = sum(s.seconds for rows in summaries.values() for s in rows)
    distinct = {r.folder: r for rows in summaries.values() for s in rows for r in s.runs}
    round_note = run_time_note(list(distinct.values()), settings)
    counts = sorted({len(s.runs) for rows in summaries.values() for s in rows})
    run_counts = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    builds = sorted({r.trainer[:12] for rows in summaries.values() for s in rows for r in s.runs})
    lines = [
        "# Results: the study's Experiments 1-5 on our high-fidelity model",
        "",
        f"Made by `{command}` on {date}, git commit {commit}, on this machine ({os.cpu_count()} cores, "
        f"{cpu_model()}). Wall time of the command {seconds / 60:.1f} min; training time of the runs it "
        f"reports {total_train / 60:.1f} min (runs shared between tables counted once per table; cached runs "
        "count their original time).",
        "",
        f"Settings: {run_counts} run(s) per model (column runs; seeds from {settings.first_seed}; "
        f"{settings.runs} asked for), "
        f"{settings.epochs} epochs, Adam (lr 0.001 RNN, 0.05 LSTM/GRU; batch 32, i.e. full batch), "
        "whole-sequence BPTT, the epoch best on validation kept (as the study). The study's data are used as "
        "published, unnormalised (as the study); on our data each input and output channel is standardised "
        "with the train split's mean and standard deviation (errors are reported in mV after undoing it; why: "
        f"see the discussion). Our datasets: {settings.sequences} sequences of {settings.duration_ms:g} ms per "
        f"scenario, split {'/'.join(map(str, dataset.default_split_counts(settings.sequences)))} "
        f"(train/valid/test), stimulus seed {settings.data_seed}. Each table cell: mean ± sample standard "
        "deviation over the runs, and the run best on validation. Runs are cached; they come from "
        f"{len(builds)} build(s) of neurorom-cli (sha256 {', '.join(builds)}).",
        "",
        round_note,
        "",
        "Units: our outputs are soma voltages in mV (inputs nA); the study's published data are in V. "
        "Absolute RMSEs of our model and the study's are therefore not comparable (different network, units and "
        "stimulus amplitudes); the ratios between rows are. On the published data (tables marked so) the "
        "numbers compare directly; that data has no test split (its test sequences were withheld), so the test "
        "column is n/a there.",
        "",
    ]
    for experiment in experiments:
        lines += [f"## Experiment {experiment.number}: {experiment.title}", "", f"Study's claim: {experiment.claim}", ""]
        for table in experiment.tables:
            rows = summaries[table.name]
            labels = list(dict.fromkeys(s.row.data.label for s in rows))
            lines += [f"### {table.title}", "", f"Data: {'; '.join(labels)}. CSV: "
                      f"[{table.name}.csv]({link(out_dir / (table.name + '.csv'))})", "", tables.markdown(table, rows)]
            if table.per_output:
                lines += [f"Per output (CSV: [{table.name}_per_output.csv]({link(out_dir / (table.name + '_per_output.csv'))})):",
                          "", tables.per_output_markdown(rows)]
        notes = observations(experiment, summaries)
        if notes:
            lines += ["Observations:", ""] + [f"- {n}" for n in notes] + [""]
        if experiment.number in extra:
            lines += [extra[experiment.number], ""]
        for caption, figure in figures.get(experiment.number, []):
            lines += [f"![{caption}]({link(figure)})", ""]
    kept = ""
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if KEEP in old:
            kept = old.split(KEEP, 1)[1]
    text = "\n".join(lines) + "\n" + KEEP + (kept if kept else "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset.write_text_atomic(path, text)
