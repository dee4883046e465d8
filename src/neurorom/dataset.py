"""Dataset files in docs/formats.md's format: manifest.json plus one CSV per sequence.

Units: t in ms, inputs (injected currents) in nA, outputs (soma voltages) in mV.
Numbers are written with Python's shortest round-trip repr, so a CSV holds exactly the doubles computed
and the same data always gives the same bytes. Every file is written atomically (a temporary file in the
same folder, then a rename), so an interrupted run never leaves a half-written file under its real name.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from neurorom.errors import InputError

FORMAT = "neurorom-dataset"
FORMAT_VERSION = 1
SPLITS = ("train", "valid", "test")
TEMP_SUFFIX = ".tmp"
# A channel name is unique across inputs and outputs (docs/formats.md), so the recorded voltage of a
# neuron that is also stimulated (FCM-16 records PLML, one of its inputs) is named <neuron>_soma.
RECORDED_INPUT_SUFFIX = "_soma"
NUMBER_LIST = re.compile(r"\[\s*((?:-?[0-9][0-9.eE+-]*,?\s*)+)\]")


def write_text_atomic(path: Path, text: str) -> None:
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        # O_EXCL: never write through someone else's temporary file; mode 0o666 lets the umask decide.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None


def prepare_output_file(path: Path, option: str) -> None:
    """Create the folder of the output file given with `option` and prove it writable with a probe file,
    so that a bad path fails before a command's runs rather than after them."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{option} {path} is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the folder of {option} {path}: {error.strerror or error}") from None
    probe = path.with_name(f".{path.name}.{os.getpid()}.probe")
    try:
        write_text_atomic(probe, "")
    except InputError:
        raise InputError(f"{option} {path}: folder {path.parent} is not writable") from None
    probe.unlink()


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by an interrupted run (never renamed into place)."""
    for temp in Path(folder).glob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)


def sequence_csv_text(dt_ms: float, inputs: Sequence[str], outputs: Sequence[str],
                      X: np.ndarray, Y: np.ndarray) -> str:
    """Header `t_ms,<inputs>,<outputs>`, then row k = the sample at t = k * dt_ms."""
    n_steps = X.shape[0]
    if X.shape != (n_steps, len(inputs)) or Y.shape != (n_steps, len(outputs)):
        raise ValueError(f"trace shapes {X.shape} and {Y.shape} do not match {len(inputs)} inputs, "
                         f"{len(outputs)} outputs")
    lines = [",".join(["t_ms", *inputs, *outputs])]
    t = sample_times(dt_ms, n_steps)
    table = np.column_stack([t, X, Y]).tolist()  # Python floats: repr is the shortest round trip
    lines.extend(",".join(map(repr, row)) for row in table)
    return "\n".join(lines) + "\n"


def output_channel_names(inputs: Sequence[str], outputs: Sequence[str]) -> list[str]:
    """The output channels of recording `outputs` while stimulating `inputs` (neuron names)."""
    return [f"{name}{RECORDED_INPUT_SUFFIX}" if name in inputs else name for name in outputs]


def neuron_of_output(channel: str) -> str:
    """The neuron an output channel records (inverse of output_channel_names)."""
    return channel.removesuffix(RECORDED_INPUT_SUFFIX)


def sample_times(dt_ms: float, n_steps: int) -> np.ndarray:
    return np.arange(n_steps) * dt_ms


def read_sequence_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """(header, values) of one sequence CSV; InputError naming the file and line if it is malformed."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    if not lines:
        raise InputError(f"{path}: empty file")
    header = lines[0].split(",")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split(",")
        if len(fields) != len(header):
            raise InputError(f"{path}:{number}: {len(fields)} fields, the header has {len(header)}")
        try:
            rows.append([float(field) for field in fields])
        except ValueError:
            raise InputError(f"{path}:{number}: not a number in {line!r}") from None
    return header, np.array(rows, dtype=float).reshape(len(rows), len(header))


def default_split_counts(count: int) -> tuple[int, int, int]:
    """Half train, a quarter validation, a quarter test (20/10/10 for 40 sequences, as the study);
    rounding favours train, then validation (1/1/0 for 2, 2/1/1 for 4)."""
    train = (count + 1) // 2
    valid = (count - train + 1) // 2
    return train, valid, count - train - valid


def parse_split(text: str, count: int) -> tuple[int, int, int]:
    parts = text.split("/")
    try:
        numbers = tuple(int(p) for p in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 3 or min(numbers) < 0:
        raise InputError(f"--split must be TRAIN/VALID/TEST counts such as 20/10/10, got {text!r}")
    if sum(numbers) != count:
        raise InputError(f"--split {text} adds up to {sum(numbers)}, but --sequences is {count}")
    return numbers  # type: ignore[return-value]


def assign_splits(counts: tuple[int, int, int]) -> list[str]:
    """The split of sequences 1..n, interleaved so that every stretch of sequences keeps the proportions.

    Each sequence goes to the split furthest behind its quota (ties: train, valid, test), so 20/10/10
    repeats train, valid, train, test; a longer run with the same proportions keeps the first splits.
    """
    total = sum(counts)
    given = [0, 0, 0]
    out = []
    for k in range(1, total + 1):
        lag = [counts[s] * k / total - given[s] for s in range(3)]
        choice = max(range(3), key=lambda s: (lag[s], -s))
        given[choice] += 1
        out.append(SPLITS[choice])
    return out


def sequence_id(index: int, count: int) -> str:
    return f"seq_{index:0{max(2, len(str(count)))}d}"


def manifest_text(manifest: dict) -> str:
    """Indented JSON with each list of numbers on one line (stimulus breakpoints stay readable)."""
    text = json.dumps(manifest, indent=2)
    one_line = lambda match: "[" + ", ".join(n.rstrip(",") for n in match.group(1).split()) + "]"  # noqa: E731
    return NUMBER_LIST.sub(one_line, text) + "\n"


def write_manifest(folder: Path, manifest: dict) -> None:
    write_text_atomic(Path(folder) / "manifest.json", manifest_text(manifest))


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path}: not a {FORMAT} manifest")
    return manifest
