"""The experiments' datasets, made on demand and cached under a key derived from their provenance.

The key hashes everything that decides a dataset's content: the recipe (scenarios, dt, duration, number
of sequences, stimulus seed), the scenario and parameter files, the connectome table, the c302 and NEURON
versions and the source of the high-fidelity model. A changed parameter, scenario or model file therefore
gives a new key and a new dataset; stale data is never reused.

Experiment 5's dataset holds FCM-16 and Nictation sequences. Each scenario is simulated recording all 28
outputs of both (so every value in the merged dataset is simulated, none padded), and its sequences get
zero current on the other scenario's inputs, which is what the network received.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from neurorom import dataset, paths
from neurorom.errors import InputError
from neurorom.experiments.definitions import DataSpec
from neurorom.scenarios import load_scenario

# Files whose content decides what the high-fidelity model computes (besides scenario and parameter files).
HF_SOURCES = (
    "src/neurorom/c302_data.py", "src/neurorom/cells.py", "src/neurorom/connectome.py",
    "src/neurorom/connectome_model.py", "src/neurorom/morphology.py", "src/neurorom/parameters.py",
    "src/neurorom/scenarios.py", "src/neurorom/stimuli.py", "src/neurorom/dataset.py",
    "src/neurorom/run_options.py", "src/neurorom/commands/generate.py",
    "mod/GradedSyn.mod", "mod/GapJunction.mod",
)
PARAMETER_SET = "default"
TABLE = "c302"


def sha256_of_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def model_fingerprint() -> dict:
    """What the high-fidelity model is, as far as it changes the data."""
    from neurorom import c302_data, parameters
    try:
        import importlib.metadata
        neuron_version = importlib.metadata.version("NEURON")
    except Exception:  # not installed: generate will fail with its own message
        neuron_version = "unknown"
    return {
        "hf_source_sha256": sha256_of_files([paths.ROOT / f for f in HF_SOURCES]),
        "parameter_set_sha256": sha256_of_files([parameters.resolve(PARAMETER_SET)]),
        "table": TABLE,
        "c302_version": c302_data.version(),
        "neuron_version": neuron_version,
    }


def cache_key(recipe: dict) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def is_complete(folder: Path) -> bool:
    """A manifest whose every sequence file exists (generate writes the manifest first, CSVs after)."""
    if not (folder / "manifest.json").is_file():
        return False
    manifest = dataset.read_manifest(folder)
    return all((folder / entry["file"]).is_file() for entry in manifest["sequences"])


def run_generate(scenario: str, spec: DataSpec, folder: Path, ranks: int) -> None:
    command = [sys.executable, "-m", "neurorom", "generate", "--scenario", scenario, "--dt", f"{spec.dt_ms:g}",
               "--duration", f"{spec.duration_ms:g}", "--sequences", str(spec.sequences), "--seed", str(spec.seed),
               "--params", PARAMETER_SET, "--table", TABLE, "--np", str(ranks), "--out", str(folder)]
    print(f"[experiments] generating {folder.name}: {' '.join(command[3:])}", file=sys.stderr, flush=True)
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise InputError(f"generating {folder} failed: {last}")


def generated_folder(scenario_file: Path, spec: DataSpec, cache: Path, fingerprint: dict) -> Path:
    """Where the dataset of one scenario file under `spec` lives: named by a key of its provenance."""
    scenario = load_scenario(scenario_file)
    recipe = {"kind": "generated", "scenario_sha256": scenario.file_sha256, "scenario": scenario.name,
              "dt_ms": spec.dt_ms, "duration_ms": spec.duration_ms, "sequences": spec.sequences,
              "seed": spec.seed, "params": PARAMETER_SET, "model": fingerprint}
    name = f"{scenario.name}-dt{spec.dt_ms:g}-{spec.sequences}x{spec.duration_ms:g}ms-{cache_key(recipe)}"
    return cache / "datasets" / name


def generated(scenario_file: Path, spec: DataSpec, cache: Path, fingerprint: dict, ranks: int) -> Path:
    """The dataset of one scenario file under `spec`, generated unless the cache holds it."""
    folder = generated_folder(scenario_file, spec, cache, fingerprint)
    if not is_complete(folder):
        run_generate(str(scenario_file), spec, folder, ranks)
    return folder


def all_outputs_scenario(name: str, scenarios: tuple[str, ...], cache: Path) -> Path:
    """A copy of scenario `name` recording the outputs of all `scenarios`, in their order (Experiment 5)."""
    base = load_scenario(name)
    outputs: list[str] = []
    for other in scenarios:
        outputs += [o for o in load_scenario(other).outputs if o not in outputs]
    others = [s for s in scenarios if s != name]
    data = json.loads(base.file.read_text(encoding="utf-8"))
    data["name"] = f"{name}_all_outputs"
    data["outputs"] = outputs
    data["description"] = (f"{base.description} Also records the outputs of {', '.join(others)} "
                           "(Experiment 5's merged dataset).")
    path = cache / "scenarios" / f"{name}_all_outputs.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        dataset.write_text_atomic(path, text)
    return path


def merge(parts: list[tuple[str, Path]], folder: Path) -> None:
    """One dataset from several of the same dt and length: the union of inputs (zero current where a part
    has none) and the common outputs; each part keeps its sequences' splits. Written atomically per file."""
    manifests = [(name, part, dataset.read_manifest(part)) for name, part in parts]
    first = manifests[0][2]
    inputs: list[str] = []
    for _, _, m in manifests:
        inputs += [c["name"] for c in m["inputs"] if c["name"] not in inputs]

    def recorded_neurons(m: dict) -> list[str]:
        return [dataset.neuron_of_output(c["name"]) for c in m["outputs"]]

    recorded = recorded_neurons(first)
    # A part's input may be another part's output: dataset.output_channel_names names its channel.
    outputs = dataset.output_channel_names(inputs, recorded)
    for name, part, m in manifests:
        if recorded_neurons(m) != recorded or m["dt_ms"] != first["dt_ms"] \
                or m["n_steps"] != first["n_steps"]:
            raise InputError(f"{part}: outputs, dt or length differ from {manifests[0][1]}; cannot merge")
    folder.mkdir(parents=True, exist_ok=True)
    sequences = []
    for name, part, m in manifests:
        own = [c["name"] for c in m["inputs"]]
        for entry in m["sequences"]:
            header, values = dataset.read_sequence_csv(part / entry["file"])
            expected = ["t_ms", *own, *(c["name"] for c in m["outputs"])]
            if header != expected:
                raise InputError(f"{part / entry['file']}: header {header[:4]}... is not {expected[:4]}...")
            X = np.zeros((values.shape[0], len(inputs)))
            for k, input_name in enumerate(own):
                X[:, inputs.index(input_name)] = values[:, 1 + k]
            Y = values[:, 1 + len(own):]
            seq_id = f"{name}_{entry['id']}"
            stimulus = dict(entry.get("stimulus") or {})
            for input_name in inputs:
                if input_name not in own:
                    stimulus[input_name] = {"shape": "none", "t_ms": [0.0], "amp_nA": [0.0]}
            dataset.write_text_atomic(folder / f"{seq_id}.csv",
                                      dataset.sequence_csv_text(m["dt_ms"], inputs, outputs, X, Y))
            sequences.append({"id": seq_id, "file": f"{seq_id}.csv", "split": entry["split"], "stimulus": stimulus})
    manifest = {
        "format": dataset.FORMAT, "format_version": dataset.FORMAT_VERSION,
        "dt_ms": first["dt_ms"], "n_steps": first["n_steps"], "duration_ms": first["duration_ms"],
        "inputs": [{"name": n, "unit": "nA"} for n in inputs],
        "outputs": [{"name": n, "unit": "mV"} for n in outputs],
        "sequences": sequences,
        "provenance": {
            "generator": "neurorom experiments (merge)",
            "units": {"time": "ms", "inputs": "nA (injected current)", "outputs": "mV (soma voltage)"},
            "note": "each part's sequences, with zero current on the inputs of the other parts",
            "renamed_outputs": {c: dataset.neuron_of_output(c) for c in outputs
                                if c != dataset.neuron_of_output(c)},
            "parts": [{"name": name, "path": str(part),
                       "manifest_sha256": hashlib.sha256((part / "manifest.json").read_bytes()).hexdigest(),
                       "provenance": m.get("provenance", {})} for name, part, m in manifests],
        },
    }
    dataset.write_manifest(folder, manifest)


def merged(spec: DataSpec, cache: Path, fingerprint: dict, ranks: int) -> Path:
    parts = []
    for name in spec.scenarios:
        scenario_file = all_outputs_scenario(name, spec.scenarios, cache)
        parts.append((name, generated(scenario_file, spec, cache, fingerprint, ranks)))
    recipe = {"kind": "merged", "parts": [str(p.name) for _, p in parts]}  # part names carry their keys
    folder = cache / "datasets" / f"{'+'.join(spec.scenarios)}-dt{spec.dt_ms:g}-{cache_key(recipe)}"
    if not is_complete(folder):
        merge(parts, folder)
    return folder


def published(seed_dir: Path, cache: Path) -> Path:
    """The study's Sequence_NN.dat files imported with neurorom-cli import-seed (published split)."""
    files = sorted(seed_dir.glob("Sequence_*.dat")) if seed_dir.is_dir() else []
    if not files:
        raise InputError(f"--seed-data {seed_dir}: no Sequence_NN.dat files there")
    key = cache_key({"kind": "published", "files": sha256_of_files(files)})
    folder = cache / "datasets" / f"published-{key}"
    if not is_complete(folder):
        done = subprocess.run([str(paths.CLI), "import-seed", str(seed_dir), str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise InputError((done.stderr.strip().splitlines() or ["import-seed failed"])[-1])
    return folder


def content_key(folder: Path) -> str:
    """A key of what a trainer sees of a dataset: dt, channels, and each sequence's id, split and CSV
    bytes (not the provenance, which also records e.g. the git commit). Training runs are keyed by it, so
    a dataset made again with identical content keeps its runs."""
    manifest = dataset.read_manifest(folder)
    digest = hashlib.sha256(json.dumps([manifest["dt_ms"], manifest["n_steps"], manifest["inputs"],
                                        manifest["outputs"]], sort_keys=True).encode())
    for entry in manifest["sequences"]:
        digest.update(f"{entry['id']} {entry['split']} ".encode())
        digest.update(hashlib.sha256((folder / entry["file"]).read_bytes()).digest())
    return digest.hexdigest()[:16]


class DatasetCache:
    """DataSpec -> dataset folder, making each at most once per run."""

    def __init__(self, cache: Path, ranks: int, seed_dir: Path | None) -> None:
        self.cache = cache
        self.ranks = ranks
        self.seed_dir = seed_dir
        self._folders: dict[DataSpec, Path] = {}
        self._content: dict[DataSpec, str] = {}
        self._fingerprint: dict | None = None

    def folder(self, spec: DataSpec) -> Path:
        if spec not in self._folders:
            self._folders[spec] = self._make(spec)
            self._content[spec] = content_key(self._folders[spec])
        return self._folders[spec]

    def content(self, spec: DataSpec) -> str:
        self.folder(spec)
        return self._content[spec]

    def _make(self, spec: DataSpec) -> Path:
        if spec.kind == "published":
            if self.seed_dir is None:
                raise InputError("the published data needs --seed-data DIR")
            return published(self.seed_dir, self.cache)
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint()
        if spec.kind == "merged":
            return merged(spec, self.cache, self._fingerprint, self.ranks)
        scenario_file = load_scenario(spec.scenarios[0]).file
        return generated(scenario_file, spec, self.cache, self._fingerprint, self.ranks)
