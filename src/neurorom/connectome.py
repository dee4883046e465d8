"""The hermaphrodite connectome as published tables shipped in c302.

Tables (name -> file in the c302 package):
- "c302": data/CElegansNeuronTables.xls, sheet 0 ("Connectome"): rows Origin, Target, Type
  (Send | GapJunction), Number of Connections, Neurotransmitter. c302's default; each chemical row
  carries its neurotransmitter.
- "varshney": data/NeuronConnectFormatted.xlsx (Varshney et al. 2011, PLoS Comput Biol 7:e1001066):
  rows Neuron 1, Neuron 2, Type (S, Sp: sends; R, Rp: receives, the mirror of the sends; EJ: gap
  junctions; NMJ: neuromuscular), Nbr. No transmitter per row: the presynaptic neuron's
  neurotransmitters from c302's owmeta_cache.json are used.

Rules (the same for both tables; docs/hf-model.md gives the reasoning):
- Chemical: one connection per directed pair (pre, post), count = sum of its send rows
  (S + Sp for Varshney). Inhibitory when the transmitter contains "GABA" (as c302 does), else excitatory.
- Gap junctions: one junction per unordered pair {a, b} with a != b; count = the larger of the two
  directions' counts (the tables list most pairs both ways as mirrors). Self-junction rows are dropped
  (a junction of a cell with itself carries no current in a soma-to-soma model).
- Neuromuscular rows are ignored: the network has neurons only.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from neurorom import c302_data
from neurorom.errors import InputError

TABLES = tuple(c302_data.TABLE_FILES)


@dataclass(frozen=True)
class ChemicalConnection:
    pre: str
    post: str
    count: int            # number of synapses in the table
    transmitter: str
    inhibitory: bool


@dataclass(frozen=True)
class GapConnection:
    a: str                # a < b alphabetically
    b: str
    count: int            # number of junctions (larger of the two listed directions)


@dataclass(frozen=True)
class Connectome:
    table: str
    source: Path
    sha256: str
    neurons: tuple[str, ...]              # all 302 neurons, sorted (also those without connections)
    chemical: tuple[ChemicalConnection, ...]
    gap: tuple[GapConnection, ...]

    def without(self, removed: set[str]) -> "Connectome":
        """The same network with some neurons removed, with every connection they take part in."""
        return Connectome(
            self.table, self.source, self.sha256,
            tuple(n for n in self.neurons if n not in removed),
            tuple(c for c in self.chemical if c.pre not in removed and c.post not in removed),
            tuple(g for g in self.gap if g.a not in removed and g.b not in removed))


@functools.lru_cache(maxsize=None)
def neuron_info() -> dict[str, dict]:
    """Neuron name -> {"types": [...], "transmitters": [...]} for the 302 neurons (owmeta_cache.json)."""
    path = c302_data.data_file(c302_data.NEURON_INFO_FILE)
    raw = json.loads(path.read_text())["neuron_info"]
    return {name: {"types": list(v[1]), "transmitters": list(v[3])} for name, v in raw.items()}


def neurons() -> tuple[str, ...]:
    return tuple(sorted(neuron_info()))


def _is_inhibitory(transmitter: str) -> bool:
    return "GABA" in transmitter


def _gap_pairs(directed: dict[tuple[str, str], int]) -> tuple[GapConnection, ...]:
    pairs: dict[tuple[str, str], int] = {}
    for (a, b), count in directed.items():
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        pairs[key] = max(pairs.get(key, 0), count)
    return tuple(GapConnection(a, b, n) for (a, b), n in sorted(pairs.items()))


def _check_names(rows: list[tuple[int, str, str]], path: Path, known: set[str]) -> None:
    for line, pre, post in rows:
        for name in (pre, post):
            if name not in known:
                raise InputError(f"{path} row {line}: unknown neuron {name!r}")


def _read_c302(path: Path) -> tuple[list, dict]:
    import xlrd  # Debian python3-xlrd

    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    header = [str(v) for v in sheet.row_values(0)]
    if header[:5] != ["Origin", "Target", "Type", "Number of Connections", "Neurotransmitter"]:
        raise InputError(f"{path}: unexpected header {header}")
    chemical, gap_directed, names = [], {}, []
    for r in range(1, sheet.nrows):
        pre, post, kind, number, transmitter = sheet.row_values(r)[:5]
        count = int(number)
        if count != number or count <= 0:
            raise InputError(f"{path} row {r + 1}: bad count {number!r}")
        names.append((r + 1, str(pre), str(post)))
        if kind == "Send":
            chemical.append(ChemicalConnection(str(pre), str(post), count, str(transmitter),
                                               _is_inhibitory(str(transmitter))))
        elif kind == "GapJunction":
            gap_directed[(str(pre), str(post))] = gap_directed.get((str(pre), str(post)), 0) + count
        else:
            raise InputError(f"{path} row {r + 1}: unknown connection type {kind!r}")
    _check_names(names, path, set(neurons()))
    return chemical, gap_directed


def _read_varshney(path: Path) -> tuple[list, dict]:
    import openpyxl  # Debian python3-openpyxl

    rows = list(openpyxl.load_workbook(str(path), read_only=True).worksheets[0].iter_rows(values_only=True))
    if list(rows[0][:4]) != ["Neuron 1", "Neuron 2", "Type", "Nbr"]:
        raise InputError(f"{path}: unexpected header {rows[0]}")
    info = neuron_info()
    sends: dict[tuple[str, str], int] = {}
    gap_directed: dict[tuple[str, str], int] = {}
    names = []
    for line, row in enumerate(rows[1:], start=2):
        pre, post, kind, number = row[:4]
        if kind == "NMJ":
            continue
        if not isinstance(number, int) or number < 0:
            raise InputError(f"{path} row {line}: bad count {number!r}")
        if number == 0:  # three rows list a polyadic synapse with count 0: no synapse
            continue
        names.append((line, str(pre), str(post)))
        if kind in ("S", "Sp"):
            sends[(pre, post)] = sends.get((pre, post), 0) + number
        elif kind == "EJ":
            gap_directed[(pre, post)] = gap_directed.get((pre, post), 0) + number
        elif kind not in ("R", "Rp"):
            raise InputError(f"{path} row {line}: unknown connection type {kind!r}")
    _check_names(names, path, set(info))
    chemical = []
    for (pre, post), count in sends.items():
        transmitter = "_".join(info[pre]["transmitters"]) or "unknown"
        chemical.append(ChemicalConnection(pre, post, count, transmitter, _is_inhibitory(transmitter)))
    return chemical, gap_directed


@functools.lru_cache(maxsize=None)
def load(table: str = "c302") -> Connectome:
    if table not in c302_data.TABLE_FILES:
        raise InputError(f"unknown connectome table {table!r} (known: {', '.join(TABLES)})")
    path = c302_data.data_file(c302_data.TABLE_FILES[table])
    chemical, gap_directed = _read_c302(path) if table == "c302" else _read_varshney(path)
    chemical.sort(key=lambda c: (c.pre, c.post))
    return Connectome(table, path, c302_data.sha256(path), neurons(), tuple(chemical), _gap_pairs(gap_directed))
