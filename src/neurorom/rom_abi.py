"""The C ABI of src/nrn/rom_nrn.h called from Python (ctypes), outside any simulation.

The ABI is linked into the compiled mechanisms (libnrnmech.so), so Python can
load and describe a weights file - running its self-test - with exactly the
code RomModel uses, before any NEURON section exists.
"""

import ctypes
from dataclasses import dataclass
from pathlib import Path

from neurorom import mechanisms
from neurorom.errors import InputError

ABI_VERSION = 1
_INPUT, _OUTPUT = 0, 1
_OK = 0
_MESSAGE_SIZE = 2048


@dataclass(frozen=True)
class WeightsInfo:
    """What a weights file holds, as the mechanism sees it."""

    path: Path
    description: str  # e.g. "GRU-4 (classic), 4 inputs, 4 outputs"
    dt_ms: float  # the model's time step, ms
    hidden: int
    inputs: tuple[str, ...]
    input_units: tuple[str, ...]
    outputs: tuple[str, ...]
    output_units: tuple[str, ...]


_library: ctypes.CDLL | None = None


def _abi() -> ctypes.CDLL:
    global _library
    if _library is None:
        library = ctypes.CDLL(str(mechanisms.load()))
        model = ctypes.c_void_p
        library.rom_nrn_abi_version.restype = ctypes.c_int
        library.rom_nrn_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(model), ctypes.c_char_p, ctypes.c_size_t]
        library.rom_nrn_open.restype = ctypes.c_int
        library.rom_nrn_close.argtypes = [model]
        library.rom_nrn_close.restype = None
        for name in ("rom_nrn_n_inputs", "rom_nrn_n_outputs", "rom_nrn_hidden"):
            getattr(library, name).argtypes = [model]
            getattr(library, name).restype = ctypes.c_int
        library.rom_nrn_dt_ms.argtypes = [model]
        library.rom_nrn_dt_ms.restype = ctypes.c_double
        library.rom_nrn_describe.argtypes = [model]
        library.rom_nrn_describe.restype = ctypes.c_char_p
        for name in ("rom_nrn_channel_name", "rom_nrn_channel_unit"):
            getattr(library, name).argtypes = [model, ctypes.c_int, ctypes.c_int]
            getattr(library, name).restype = ctypes.c_char_p
        version = library.rom_nrn_abi_version()
        if version != ABI_VERSION:
            raise InputError(f"{mechanisms.library_path()}: rom_nrn ABI version {version}, expected {ABI_VERSION} "
                             "(rebuild with ./neurorom setup)")
        _library = library
    return _library


def read_weights_info(path: str | Path) -> WeightsInfo:
    """Load `path` through the ABI (running its self-test) and describe it; InputError if it is bad."""
    library = _abi()
    handle = ctypes.c_void_p()
    message = ctypes.create_string_buffer(_MESSAGE_SIZE)
    status = library.rom_nrn_open(str(path).encode(), ctypes.byref(handle), message, _MESSAGE_SIZE)
    if status != _OK:
        raise InputError(message.value.decode(errors="replace"))
    try:
        def names(kind: int, count: int, getter) -> tuple[str, ...]:
            return tuple(getter(handle, kind, i).decode() for i in range(count))

        n_in, n_out = library.rom_nrn_n_inputs(handle), library.rom_nrn_n_outputs(handle)
        return WeightsInfo(
            path=Path(path),
            description=library.rom_nrn_describe(handle).decode(),
            dt_ms=library.rom_nrn_dt_ms(handle),
            hidden=library.rom_nrn_hidden(handle),
            inputs=names(_INPUT, n_in, library.rom_nrn_channel_name),
            input_units=names(_INPUT, n_in, library.rom_nrn_channel_unit),
            outputs=names(_OUTPUT, n_out, library.rom_nrn_channel_name),
            output_units=names(_OUTPUT, n_out, library.rom_nrn_channel_unit),
        )
    finally:
        library.rom_nrn_close(handle)
