"""Scenarios: which neurons receive current and which are recorded, kept as data in scenarios/*.json.

A scenario file holds:
  name                  the scenario's name (equal to the file's stem)
  description, source   what it models and where it comes from
  inputs                [{"name": NEURON, "amplitude_nA": peak current of every stimulus shape}, ...]
  outputs               [NEURON, ...] whose soma voltages (mV) are recorded
  amplitude_reasoning   why the amplitudes are what they are
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from neurorom.errors import InputError
from neurorom.paths import ROOT

SCENARIO_DIR = ROOT / "scenarios"


@dataclass(frozen=True)
class Scenario:
    name: str
    inputs: tuple[str, ...]
    amplitudes_nA: tuple[float, ...]  # peak current per input, in the order of `inputs`
    outputs: tuple[str, ...]
    description: str
    source: str
    amplitude_reasoning: str
    file: Path
    file_sha256: str

    def provenance(self) -> dict:
        return {
            "name": self.name,
            "file": self.file.name,
            "file_sha256": self.file_sha256,
            "inputs": [{"name": n, "amplitude_nA": a} for n, a in zip(self.inputs, self.amplitudes_nA)],
            "outputs": list(self.outputs),
        }


def known_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A scenario by name (scenarios/<name>.json) or by the path of a JSON file."""
    text = str(name_or_path)
    if text.endswith(".json"):
        path = Path(text)
        if not path.is_file():
            raise InputError(f"scenario file {path} does not exist")
    else:
        path = SCENARIO_DIR / f"{text}.json"
        if not path.is_file():
            raise InputError(f"unknown scenario {text!r} (known: {', '.join(known_scenarios())})")
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from None
    return _parse(data, path, hashlib.sha256(raw).hexdigest())


def _parse(data: object, path: Path, sha256: str) -> Scenario:
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")

    def field(key: str, kind: type) -> object:
        if key not in data:
            raise InputError(f"{path}: missing field {key!r}")
        if not isinstance(data[key], kind):
            raise InputError(f"{path}: field {key!r} must be a {kind.__name__}")
        return data[key]

    name = field("name", str)
    inputs_raw = field("inputs", list)
    outputs = field("outputs", list)
    if not inputs_raw:
        raise InputError(f"{path}: 'inputs' is empty")
    if not outputs:
        raise InputError(f"{path}: 'outputs' is empty")

    inputs: list[str] = []
    amplitudes: list[float] = []
    for k, item in enumerate(inputs_raw):
        where = f"{path}: inputs[{k}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(f"{where} must be an object with a string 'name'")
        amplitude = item.get("amplitude_nA")
        if isinstance(amplitude, bool) or not isinstance(amplitude, (int, float)) or not math.isfinite(amplitude):
            raise InputError(f"{where} ({item['name']}): 'amplitude_nA' must be a finite number, got {amplitude!r}")
        inputs.append(item["name"])
        amplitudes.append(float(amplitude))
    for k, neuron in enumerate(outputs):
        if not isinstance(neuron, str):
            raise InputError(f"{path}: outputs[{k}] must be a neuron name, got {neuron!r}")
    for label, names in (("inputs", inputs), ("outputs", outputs)):
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InputError(f"{path}: {label} name {repeated[0]} more than once")

    return Scenario(
        name=name,
        inputs=tuple(inputs),
        amplitudes_nA=tuple(amplitudes),
        outputs=tuple(outputs),
        description=str(data.get("description", "")),
        source=str(data.get("source", "")),
        amplitude_reasoning=str(data.get("amplitude_reasoning", "")),
        file=path,
        file_sha256=sha256,
    )
