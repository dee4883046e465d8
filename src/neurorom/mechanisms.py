"""Load neurorom's compiled NEURON mechanisms (every mod/*.mod) once per process.

`./neurorom setup` (CMake target `nrnmech`) builds them with nrnivmodl into
build/nrnmech/x86_64/libnrnmech.so; call `load()` before creating any of their
point processes (RomModel, RomClamp, GradedSyn, GapJunction, ...).
"""

from pathlib import Path

from neurorom import paths
from neurorom.errors import InputError

_loaded_from: Path | None = None


def library_path() -> Path:
    """Where the build puts the compiled mechanisms."""
    return paths.NRNMECH_DIR / "x86_64" / "libnrnmech.so"


def load() -> Path:
    """Load the mechanisms into NEURON (idempotent); return the library's path.

    Raises InputError when the library is not built or NEURON refuses it.
    """
    global _loaded_from
    if _loaded_from is not None:
        return _loaded_from
    library = library_path()
    if not library.is_file():
        raise InputError(f"NEURON mechanisms are not built: {library} is missing (run ./neurorom setup)")
    from neuron import h

    if hasattr(h, "RomModel"):
        # Already loaded: fine if it is this library (e.g. `nrniv -dll ... -python`), not if it is some
        # other build (an x86_64/ folder in the working directory, which `import neuron` loads).
        if _is_mapped(library):
            _loaded_from = library
            return library
        raise InputError(
            "NEURON already has a RomModel mechanism loaded from elsewhere (an x86_64/ folder in the "
            f"working directory?); refusing to load {library} on top of it"
        )
    if not h.nrn_load_dll(str(library)):
        raise InputError(f"NEURON could not load the mechanisms in {library} (rebuild with ./neurorom setup)")
    _loaded_from = library
    return library


def _is_mapped(library: Path) -> bool:
    """Whether this process has `library` loaded (Linux: /proc/self/maps)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return False
    return str(library.resolve()) in maps
