"""One neuron's geometry and passive properties, read from its c302 NeuroML2 file.

The file lists 3D segments (x, y, z, diameter in um, whole-body frame) and groups them into
unbranched cables (segment groups with neuroLexId sao864921383, NeuroML v1's "cables").
Each cable becomes one NEURON section with pt3d points; see cells.py.
"""

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neurorom import c302_data
from neurorom.errors import InputError

NS = "{http://www.neuroml.org/schema/neuroml2}"
CABLE_LEXID = "sao864921383"
SOMA_CABLE = "Soma"

# NeuroML unit strings -> factor to NEURON's units (S/cm2, mV, uF/cm2, ohm cm).
UNIT_FACTORS = {
    "mS_per_cm2": 1e-3, "S_per_cm2": 1.0, "S_per_m2": 1e-4,
    "mV": 1.0, "V": 1e3,
    "uF_per_cm2": 1.0, "F_per_m2": 100.0,
    "kohm_cm": 1e3, "ohm_cm": 1.0, "ohm_m": 100.0,
}


@dataclass(frozen=True)
class Passive:
    """Passive membrane as the NeuroML2 file gives it, in NEURON's units."""
    g_leak_S_per_cm2: float
    e_leak_mV: float
    cm_uF_per_cm2: float
    ra_ohm_cm: float
    v_init_mV: float


@dataclass(frozen=True)
class Cable:
    """An unbranched stretch of neurite (or the soma): one NEURON section."""
    name: str
    points: np.ndarray        # (n, 4): x, y, z, diameter in um
    parent: int               # index of the parent cable in Morphology.cables; -1 for the soma
    parent_x: float           # where on the parent (0..1, by arc length) this cable starts


@dataclass(frozen=True)
class Morphology:
    cell: str
    cables: tuple[Cable, ...]  # cables[0] is the soma; every parent comes before its children
    passive: Passive
    source: Path


def _quantity(text: str, where: str) -> float:
    try:
        value, unit = text.split()
        return float(value) * UNIT_FACTORS[unit]
    except (ValueError, KeyError):
        raise InputError(f"{where}: cannot read quantity {text!r}") from None


def _point(element: ET.Element) -> np.ndarray:
    return np.array([float(element.get(k)) for k in ("x", "y", "z", "diameter")])


def _passive(cell: ET.Element, path: Path) -> Passive:
    membrane = cell.find(f"{NS}biophysicalProperties/{NS}membraneProperties")
    resistivity = cell.find(f"{NS}biophysicalProperties/{NS}intracellularProperties/{NS}resistivity")
    if membrane is None or resistivity is None:
        raise InputError(f"{path}: no biophysicalProperties")
    leak = membrane.find(f"{NS}channelDensity[@ionChannel='LeakConductance']")
    capacitance = membrane.find(f"{NS}specificCapacitance")
    v_init = membrane.find(f"{NS}initMembPotential")
    if leak is None or capacitance is None:
        raise InputError(f"{path}: no LeakConductance channelDensity or specificCapacitance")
    return Passive(
        g_leak_S_per_cm2=_quantity(leak.get("condDensity"), f"{path} condDensity"),
        e_leak_mV=_quantity(leak.get("erev"), f"{path} erev"),
        cm_uF_per_cm2=_quantity(capacitance.get("value"), f"{path} specificCapacitance"),
        ra_ohm_cm=_quantity(resistivity.get("value"), f"{path} resistivity"),
        v_init_mV=_quantity(v_init.get("value"), f"{path} initMembPotential") if v_init is not None
        else _quantity(leak.get("erev"), f"{path} erev"),
    )


@functools.lru_cache(maxsize=None)
def load(name: str) -> Morphology:
    """Parse <c302>/NeuroML2/<name>.cell.nml (cached per process)."""
    path = c302_data.cell_file(name)
    try:
        cell = ET.parse(path).getroot().find(f"{NS}cell")
    except ET.ParseError as error:
        raise InputError(f"{path}: not valid XML ({error})") from None
    if cell is None:
        raise InputError(f"{path}: no <cell> element")
    morph = cell.find(f"{NS}morphology")
    segments = {}
    parent_of = {}
    for seg in morph.findall(f"{NS}segment"):
        sid = seg.get("id")
        parent = seg.find(f"{NS}parent")
        if parent is not None and parent.get("fractionAlong", "1") not in ("1", "1.0"):
            raise InputError(f"{path}: segment {sid} attaches at fractionAlong "
                             f"{parent.get('fractionAlong')} (only 1 is supported)")
        parent_of[sid] = parent.get("segment") if parent is not None else None
        proximal = seg.find(f"{NS}proximal")
        segments[sid] = (_point(proximal) if proximal is not None else None, _point(seg.find(f"{NS}distal")))

    groups = [g for g in morph.findall(f"{NS}segmentGroup") if g.get("neuroLexId") == CABLE_LEXID]
    members = {g.get("id"): [m.get("segment") for m in g.findall(f"{NS}member")] for g in groups}
    if SOMA_CABLE not in members or len(members[SOMA_CABLE]) != 1:
        raise InputError(f"{path}: expected a one-segment cable {SOMA_CABLE!r}")
    cable_of = {sid: cname for cname, sids in members.items() for sid in sids}
    missing = set(segments) - set(cable_of)
    if missing:
        raise InputError(f"{path}: segments {sorted(missing)[:5]} belong to no cable")

    # Order cables parents-first, starting from the soma.
    children: dict[str, list[str]] = {c: [] for c in members}
    for cname, sids in members.items():
        first_parent = parent_of[sids[0]]
        if cname != SOMA_CABLE:
            if first_parent is None:
                raise InputError(f"{path}: cable {cname} has no parent")
            children[cable_of[first_parent]].append(cname)
    order = [SOMA_CABLE]
    for cname in order:
        order.extend(children[cname])
    if len(order) != len(members):
        raise InputError(f"{path}: cables not connected to the soma: {sorted(set(members) - set(order))[:5]}")

    # The soma is a sphere (proximal == distal): a cylinder of length = diameter has the same area.
    soma_point = segments[members[SOMA_CABLE][0]][1]
    x, y, z, d = soma_point
    soma_points = np.array([[x, y - d / 2, z, d], [x, y + d / 2, z, d]])
    cables = [Cable(SOMA_CABLE, soma_points, -1, 0.0)]
    index = {SOMA_CABLE: 0}
    arc_at_segment_end: dict[str, float] = {members[SOMA_CABLE][0]: 0.5}  # children leave the soma centre
    for cname in order[1:]:
        points = []
        ends = []
        for sid in members[cname]:
            proximal, distal = segments[sid]
            if proximal is None:
                proximal = segments[parent_of[sid]][1]
            if not points or not np.array_equal(points[-1], proximal):
                points.append(proximal)
            points.append(distal)
            ends.append((sid, len(points) - 1))
        pts = np.array(points)
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts[:, :3], axis=0), axis=1))])
        total = arc[-1] if arc[-1] > 0 else 1.0
        for sid, k in ends:
            arc_at_segment_end[sid] = arc[k] / total
        first_parent = parent_of[members[cname][0]]
        index[cname] = len(cables)
        cables.append(Cable(cname, pts, index[cable_of[first_parent]], arc_at_segment_end[first_parent]))
    return Morphology(name, tuple(cables), _passive(cell, path), path)
