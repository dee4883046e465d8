"""One C. elegans neuron as NEURON sections, from its c302 NeuroML2 file.

morphology=True: one section per unbranched NeuroML cable, with the file's 3D points and diameters
as pt3d; nseg by the d_lambda rule (default d_lambda 0.1 at 100 Hz). The soma, a sphere in the file,
is a cylinder with length = diameter (the same membrane area).
morphology=False: a single-compartment soma with the same passive properties and the same total
membrane area as the full cell (a cylinder with length = diameter = sqrt(area / pi)), for the
reduced model's stand-in neurons.
Passive: the `pas` mechanism with the file's leak, reversal, capacitance and axial resistivity
unless `passive` overrides them. Units: um, mV, S/cm2, uF/cm2, ohm cm.
"""

import math
from dataclasses import dataclass, field, replace

import numpy as np
from neuron import h

from neurorom import morphology as morph

DEFAULT_D_LAMBDA = 0.1
DEFAULT_FREQUENCY_HZ = 100.0


@dataclass
class Cell:
    name: str
    soma: object                                   # nrn.Section
    sections: list = field(default_factory=list)   # soma first
    passive: morph.Passive | None = None

    @property
    def nseg(self) -> int:
        return sum(sec.nseg for sec in self.sections)

    def area_um2(self) -> float:
        return sum(seg.area() for sec in self.sections for seg in sec)


def lambda_f_um(points: np.ndarray, frequency_hz: float, ra: float, cm: float) -> float:
    """NEURON's stdlib lambda_f: AC length constant at frequency_hz, averaged over the 3D points."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points[:, :3], axis=0), axis=1))])
    length = arc[-1]
    d = points[:, 3]
    if length <= 0:
        return 1e5 * math.sqrt(d.mean() / (4 * math.pi * frequency_hz * ra * cm))
    lam = float(np.sum(np.diff(arc) / np.sqrt(d[:-1] + d[1:])))
    lam *= math.sqrt(2) * 1e-5 * math.sqrt(4 * math.pi * frequency_hz * ra * cm)
    return length / lam


def d_lambda_nseg(points: np.ndarray, d_lambda: float, frequency_hz: float, ra: float, cm: float) -> int:
    length = float(np.sum(np.linalg.norm(np.diff(points[:, :3], axis=0), axis=1)))
    return int((length / (d_lambda * lambda_f_um(points, frequency_hz, ra, cm)) + 0.9) / 2) * 2 + 1


def membrane_area_um2(points: np.ndarray) -> float:
    """Lateral area of the frusta between consecutive 3D points (what NEURON integrates)."""
    r = points[:, 3] / 2
    dl = np.linalg.norm(np.diff(points[:, :3], axis=0), axis=1)
    return float(np.sum(math.pi * (r[:-1] + r[1:]) * np.sqrt((r[:-1] - r[1:]) ** 2 + dl ** 2)))


def _set_passive(sec, passive: morph.Passive) -> None:
    sec.Ra = passive.ra_ohm_cm
    sec.cm = passive.cm_uF_per_cm2
    sec.insert("pas")
    for seg in sec:
        seg.pas.g = passive.g_leak_S_per_cm2
        seg.pas.e = passive.e_leak_mV


def build_cell(name: str, morphology: bool = True, passive: dict | None = None,
               d_lambda: float = DEFAULT_D_LAMBDA, frequency_hz: float = DEFAULT_FREQUENCY_HZ) -> Cell:
    """Build neuron `name` (InputError if c302 has no such cell).

    passive: optional overrides of the file's values, keys as in morph.Passive
    (g_leak_S_per_cm2, e_leak_mV, cm_uF_per_cm2, ra_ohm_cm, v_init_mV).
    """
    m = morph.load(name)
    props = replace(m.passive, **(passive or {}))
    if not morphology:
        area = sum(membrane_area_um2(c.points) for c in m.cables)
        soma = h.Section(name=f"{name}_soma")
        soma.L = soma.diam = math.sqrt(area / math.pi)
        _set_passive(soma, props)
        return Cell(name, soma, [soma], props)

    sections = []
    for cable in m.cables:
        sec = h.Section(name=f"{name}_{cable.name}")
        p = cable.points
        h.pt3dadd(h.Vector(p[:, 0]), h.Vector(p[:, 1]), h.Vector(p[:, 2]), h.Vector(p[:, 3]), sec=sec)
        sec.nseg = d_lambda_nseg(p, d_lambda, frequency_hz, props.ra_ohm_cm, props.cm_uF_per_cm2)
        if cable.parent >= 0:
            sec.connect(sections[cable.parent](cable.parent_x), 0)
        _set_passive(sec, props)
        sections.append(sec)
    return Cell(name, sections[0], sections, props)
