"""results/provenance.json: what the tables and figures of one `experiments` command were made from.

It names the command, date, git commit, settings and versions; each dataset by its manifest's SHA-256 and
content key; and each table row's runs by seed, run folder, the SHA-256 of its weights and of the
neurorom-cli that trained it. Units: RMSEs in the tables are in each row's unit (mV on our data, V on the
study's published data); times in s.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from pathlib import Path

from neurorom import dataset
from neurorom.experiments.definitions import Experiment, Settings
from neurorom.experiments.training import RowSummary

FORMAT = "neurorom-experiments-provenance"
FORMAT_VERSION = 1


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def dataset_entry(folder: Path) -> dict:
    from neurorom.experiments.datasets import content_key

    manifest = dataset.read_manifest(folder)
    return {"folder": folder.name, "manifest_sha256": sha256_of(folder / "manifest.json"),
            "content_key": content_key(folder), "dt_ms": manifest["dt_ms"], "n_steps": manifest["n_steps"],
            "sequences": len(manifest["sequences"]), "generator": manifest["provenance"].get("generator")}


def write(path: Path, command: str, date: str, git: dict, settings: Settings, experiments: list[Experiment],
          summaries: dict[str, list[RowSummary]]) -> None:
    folders = sorted({run.data for rows in summaries.values() for s in rows for run in s.runs})
    tables = {}
    for experiment in experiments:
        for table in experiment.tables:
            tables[table.name] = [
                {"row": s.row.label, "unit": s.unit, "parameters": s.parameters,
                 "runs": [{"seed": r.seed, "folder": r.folder.name, "weights_sha256": sha256_of(r.weights),
                           "trainer_sha256": r.trainer, "seconds": r.seconds, "best_epoch": r.best_epoch}
                          for r in s.runs]}
                for s in summaries[table.name]]
    record = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "command": command, "date": date, "git": git,
        "settings": dataclasses.asdict(settings),
        "versions": {"python": platform.python_version(), "neuron": package_version("neuron"),
                     "c302": package_version("c302"), "numpy": package_version("numpy")},
        "units": {"rmse": "each row's unit (mV: our data, V: the study's published data)", "seconds": "s"},
        "datasets": [dataset_entry(folder) for folder in folders],
        "tables": tables,
    }
    dataset.write_text_atomic(path, json.dumps(record, indent=1) + "\n")
