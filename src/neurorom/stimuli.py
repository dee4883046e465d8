"""The stimulus library: the study's families of input-current shapes, as piecewise-linear breakpoints.

Families (Barbulescu et al. 2023): a rectangular pulse, a train of three pulses, a ramp (that drops back
to zero), a ramp then hold (to the end of the run), one to three triangles; onset at 0 or 100 ms.
Every shape peaks at the input's amplitude (nA, from the scenario) and is zero elsewhere.

A stimulus is a JSON-ready dict, for example
  {"shape": "pulse", "amplitude_nA": 0.01, "onset_ms": 100.0, "width_ms": 50.0,
   "t_ms": [0.0, 100.0, 100.0, 150.0, 150.0], "amp_nA": [0.0, 0.0, 0.01, 0.01, 0.0]}
The breakpoints (t_ms, amp_nA) are what is injected: linear between points, held after the last one.
Two points at the same time make a jump; the value at that time is the later point's (right-continuous),
as in a recording that starts the pulse exactly at its onset sample.

The library draws sequence k (1-based) of seed S from its own random stream (S, k, input index), so
sequence k is the same whether 40 or 400 sequences are asked for, and each input gets its own shape.
Times are drawn on a grid of 10 ms at the reference duration of 500 ms and scale with the run's duration
(a 50 ms run gets onsets 0 or 10 ms), so short test runs still see every family.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from neurorom.errors import InputError

FAMILIES = ("pulse", "train", "ramp", "ramp_hold", "triangles")
SHAPES = FAMILIES + ("none",)  # "none": no current (for hand-written stimulus files)
LIBRARY_VERSION = 1  # bump when the draws change, so that old manifests are not silently reinterpreted
REFERENCE_DURATION_MS = 500.0
GRID_STEPS_PER_REFERENCE = 50  # 10 ms steps at 500 ms

# Parameter ranges in grid steps (10 ms at the reference duration), inclusive.
ONSET_STEPS = (0, 10)  # 0 or 100 ms
PULSE_WIDTH_STEPS = (1, 30)  # 10-300 ms
TRAIN_WIDTH_STEPS = (1, 5)  # each of the three pulses 10-50 ms
TRAIN_GAP_STEPS = (1, 5)  # between pulses 10-50 ms
RAMP_RISE_STEPS = (5, 30)  # 50-300 ms
TRIANGLE_WIDTH_STEPS = (2, 10)  # each triangle 20-100 ms, rising and falling over half of it
TRIANGLE_COUNT = (1, 3)

# The parameters (besides onset) each shape needs, in ms unless named otherwise.
SHAPE_PARAMS = {
    "pulse": ("width_ms",),
    "train": ("width_ms", "gap_ms"),
    "ramp": ("rise_ms",),
    "ramp_hold": ("rise_ms",),
    "triangles": ("count", "width_ms"),
    "none": (),
}


def breakpoints(spec: dict) -> tuple[np.ndarray, np.ndarray]:
    """(t_ms, amp_nA) of a stimulus: its stored breakpoints if it has them, else built from its shape."""
    if "t_ms" in spec or "amp_nA" in spec:
        return _checked_breakpoints(spec)
    return _shape_breakpoints(spec)


def sample(spec: dict, times_ms: np.ndarray) -> np.ndarray:
    """The current (nA) at each time: linear between breakpoints, right-continuous at jumps."""
    t, a = breakpoints(spec)
    times = np.asarray(times_ms, dtype=float)
    j = np.searchsorted(t, times, side="right") - 1  # last breakpoint at or before each time
    out = np.empty_like(times)
    before = j < 0
    out[before] = a[0]
    last = j >= len(t) - 1
    out[last] = a[-1]
    inner = ~before & ~last
    ji = j[inner]
    t0, t1, a0, a1 = t[ji], t[ji + 1], a[ji], a[ji + 1]  # t0 <= time < t1, so t1 > t0
    out[inner] = a0 + (a1 - a0) * (times[inner] - t0) / (t1 - t0)
    return out


def draw(rng: np.random.Generator, amplitude_nA: float, duration_ms: float) -> dict:
    """One stimulus drawn from the families, with its breakpoints."""
    step = lambda k: (k * duration_ms) / GRID_STEPS_PER_REFERENCE  # noqa: E731  exact for whole ms
    between = lambda bounds: int(rng.integers(bounds[0], bounds[1] + 1))  # noqa: E731
    shape = FAMILIES[int(rng.integers(len(FAMILIES)))]
    spec: dict = {"shape": shape, "amplitude_nA": amplitude_nA,
                  "onset_ms": step(ONSET_STEPS[int(rng.integers(2))])}
    if shape == "pulse":
        spec["width_ms"] = step(between(PULSE_WIDTH_STEPS))
    elif shape == "train":
        spec["width_ms"] = step(between(TRAIN_WIDTH_STEPS))
        spec["gap_ms"] = step(between(TRAIN_GAP_STEPS))
    elif shape in ("ramp", "ramp_hold"):
        spec["rise_ms"] = step(between(RAMP_RISE_STEPS))
    else:  # triangles
        spec["count"] = between(TRIANGLE_COUNT)
        spec["width_ms"] = step(between(TRIANGLE_WIDTH_STEPS))
    t, a = _shape_breakpoints(spec)
    spec["t_ms"] = t.tolist()
    spec["amp_nA"] = a.tolist()
    return spec


def sequence_stimuli(seed: int, index: int, inputs: Sequence[str], amplitudes_nA: Sequence[float],
                     duration_ms: float) -> dict[str, dict]:
    """The stimuli of library sequence `index` (1-based): input name -> stimulus."""
    if index < 1:
        raise InputError(f"stimulus sequence numbers start at 1, got {index}")
    return {
        name: draw(np.random.default_rng([seed, index, j]), float(amplitude), duration_ms)
        for j, (name, amplitude) in enumerate(zip(inputs, amplitudes_nA))
    }


def library(seed: int, count: int, inputs: Sequence[str], amplitudes_nA: Sequence[float],
            duration_ms: float) -> list[dict[str, dict]]:
    """Sequences 1..count of the seeded library."""
    return [sequence_stimuli(seed, k, inputs, amplitudes_nA, duration_ms) for k in range(1, count + 1)]


def _shape_breakpoints(spec: dict) -> tuple[np.ndarray, np.ndarray]:
    shape = spec.get("shape")
    if shape not in SHAPES:
        raise InputError(f"unknown stimulus shape {shape!r} (known: {', '.join(SHAPES)})")
    if shape == "none":
        return np.zeros(1), np.zeros(1)
    for key in ("amplitude_nA", "onset_ms") + SHAPE_PARAMS[shape]:
        value = spec.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"stimulus {shape}: {key!r} must be a finite number, got {value!r}")
        if key != "amplitude_nA" and value < 0:
            raise InputError(f"stimulus {shape}: {key!r} must not be negative, got {value!r}")
    peak = float(spec["amplitude_nA"])
    onset = float(spec["onset_ms"])
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    if shape == "pulse":
        points += _pulse(onset, float(spec["width_ms"]), peak)
    elif shape == "train":
        width, gap = float(spec["width_ms"]), float(spec["gap_ms"])
        for p in range(3):
            points += _pulse(onset + p * (width + gap), width, peak)
    elif shape == "ramp":
        top = onset + float(spec["rise_ms"])
        points += [(onset, 0.0), (top, peak), (top, 0.0)]
    elif shape == "ramp_hold":
        points += [(onset, 0.0), (onset + float(spec["rise_ms"]), peak)]
    else:  # triangles
        count, width = spec["count"], float(spec["width_ms"])
        if int(count) != count or not 1 <= count <= 3:
            raise InputError(f"stimulus triangles: 'count' must be 1, 2 or 3, got {count!r}")
        for p in range(int(count)):
            start = onset + p * width
            points += [(start, 0.0), (start + width / 2, peak), (start + width, 0.0)]
    return _tidy(points)


def _pulse(start: float, width: float, peak: float) -> list[tuple[float, float]]:
    return [(start, 0.0), (start, peak), (start + width, peak), (start + width, 0.0)]


def _tidy(points: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated points and points a jump at the same time overrides; keep jumps as two points."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        # Three points at one time: the middle one is never seen.
        if len(kept) >= 2 and kept[-2][0] == kept[-1][0] == point[0]:
            kept.pop()
        kept.append(point)
    # A jump at t = 0 starts at the jumped-to value.
    if len(kept) >= 2 and kept[0][0] == kept[1][0] == 0.0:
        kept.pop(0)
    t = np.array([p[0] for p in kept])
    a = np.array([p[1] for p in kept])
    return t, a


def _checked_breakpoints(spec: dict) -> tuple[np.ndarray, np.ndarray]:
    t_raw, a_raw = spec.get("t_ms"), spec.get("amp_nA")
    if not isinstance(t_raw, list) or not isinstance(a_raw, list) or len(t_raw) != len(a_raw) or not t_raw:
        raise InputError("stimulus: 't_ms' and 'amp_nA' must be non-empty lists of the same length")
    try:
        t = np.array(t_raw, dtype=float)
        a = np.array(a_raw, dtype=float)
    except (TypeError, ValueError):
        raise InputError("stimulus: 't_ms' and 'amp_nA' must hold numbers") from None
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(a))):
        raise InputError("stimulus: breakpoints must be finite")
    if t[0] < 0 or np.any(np.diff(t) < 0):
        raise InputError(f"stimulus: 't_ms' must start at >= 0 and never decrease, got {t_raw}")
    return t, a
