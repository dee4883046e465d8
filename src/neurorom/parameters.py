"""Parameter sets of the high-fidelity model: JSON data files in params/.

Every leaf is {"value": number, "unit": "...", "source": "..."}; the unit must be the one this module
expects (NEURON's units), so a file cannot silently mean something else. Membrane values that a set
leaves out come from each cell's NeuroML2 file.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from neurorom import paths
from neurorom.errors import InputError

# (group, key) -> required unit. None marks an optional entry.
SCHEMA: dict[tuple[str, str], tuple[str, bool]] = {
    ("morphology", "d_lambda"): ("1", True),
    ("morphology", "frequency"): ("Hz", True),
    ("membrane", "g_leak"): ("S/cm2", False),
    ("membrane", "e_leak"): ("mV", False),
    ("membrane", "cm"): ("uF/cm2", False),
    ("membrane", "ra"): ("ohm cm", False),
    ("membrane", "v_init"): ("mV", False),
    ("gap_junction", "g_per_junction"): ("uS", True),
}
for _kind in ("excitatory", "inhibitory"):
    SCHEMA.update({
        (f"chemical_{_kind}", "g_per_synapse"): ("uS", True),
        (f"chemical_{_kind}", "e_rev"): ("mV", True),
        (f"chemical_{_kind}", "v_half"): ("mV", True),
        (f"chemical_{_kind}", "slope"): ("mV", True),
        (f"chemical_{_kind}", "tau"): ("ms", True),
    })
POSITIVE = {"d_lambda", "frequency", "g_leak", "cm", "ra", "slope", "tau"}


@dataclass(frozen=True)
class ParameterSet:
    name: str
    path: Path
    sha256: str
    values: dict[tuple[str, str], float]   # (group, key) -> value in SCHEMA's unit

    def get(self, group: str, key: str, default: float | None = None) -> float | None:
        return self.values.get((group, key), default)


def params_dir() -> Path:
    return paths.ROOT / "params"


def resolve(params: str | Path) -> Path:
    """A name of params/<name>.json, or a path to a JSON file."""
    text = str(params)
    if text.endswith(".json") or "/" in text:
        path = Path(text)
    else:
        path = params_dir() / f"{text}.json"
        if not path.is_file():
            known = sorted(p.stem for p in params_dir().glob("*.json"))
            raise InputError(f"unknown parameter set {text!r} (known: {', '.join(known)})")
    if not path.is_file():
        raise InputError(f"parameter file not found: {path}")
    return path


def load(params: str | Path = "default") -> ParameterSet:
    path = resolve(params)
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object with 'parameters'")
    groups = data.get("parameters")
    if not isinstance(groups, dict):
        raise InputError(f"{path}: missing object 'parameters'")
    values: dict[tuple[str, str], float] = {}
    for group, entries in groups.items():
        if not isinstance(entries, dict):
            raise InputError(f"{path}: parameters.{group} is not an object")
        for key, entry in entries.items():
            field = f"{path}: parameters.{group}.{key}"
            if (group, key) not in SCHEMA:
                raise InputError(f"{field}: unknown parameter")
            unit, _ = SCHEMA[(group, key)]
            if not isinstance(entry, dict) or set(entry) != {"value", "unit", "source"}:
                raise InputError(f"{field}: needs exactly value, unit and source")
            if entry["unit"] != unit:
                raise InputError(f"{field}: unit {entry['unit']!r}, expected {unit!r}")
            value = entry["value"]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise InputError(f"{field}: value {value!r} is not a finite number")
            if key in POSITIVE and value <= 0:
                raise InputError(f"{field}: value {value!r} must be > 0")
            if key.startswith("g_") and value < 0:
                raise InputError(f"{field}: value {value!r} must be >= 0")
            if not str(entry["source"]).strip():
                raise InputError(f"{field}: empty source")
            values[(group, key)] = float(value)
    for (group, key), (_, required) in SCHEMA.items():
        if required and (group, key) not in values:
            raise InputError(f"{path}: missing parameters.{group}.{key}")
    return ParameterSet(str(data.get("name", path.stem)), path, hashlib.sha256(raw).hexdigest(), values)
