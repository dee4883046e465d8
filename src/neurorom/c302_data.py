"""Where the c302 package's data lives: NeuroML2 cell files and connectome tables.

c302 is installed with `pip install --no-deps` for its data only, so it is never imported
(its __init__ needs libNeuroML); the folder is found through importlib instead.
"""

import functools
import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path

from neurorom.errors import InputError

# Files the connectome tables live in, relative to the c302 package folder.
TABLE_FILES = {
    "c302": "data/CElegansNeuronTables.xls",
    "varshney": "data/NeuronConnectFormatted.xlsx",
}
# Neuron-level metadata (type, neurotransmitters) for all 302 neurons.
NEURON_INFO_FILE = "data/owmeta_cache.json"


@functools.lru_cache(maxsize=None)
def package_dir() -> Path:
    """The installed c302 package folder; InputError if c302 is not installed."""
    try:
        spec = importlib.util.find_spec("c302")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise InputError("the c302 package is not installed (its data is needed); run ./neurorom setup")
    return Path(list(spec.submodule_search_locations)[0])


def version() -> str:
    try:
        return importlib.metadata.version("c302")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cell_file(name: str) -> Path:
    """The NeuroML2 file of one cell; InputError naming the neuron if there is none."""
    path = package_dir() / "NeuroML2" / f"{name}.cell.nml"
    if not path.is_file():
        raise InputError(f"unknown neuron {name!r}: no NeuroML2 file {path}")
    return path


def data_file(relative: str) -> Path:
    path = package_dir() / relative
    if not path.is_file():
        raise InputError(f"c302 data file missing: {path}")
    return path


@functools.lru_cache(maxsize=None)
def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
