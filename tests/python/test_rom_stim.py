"""RomStim (mod/RomStim.mod), the reduced network's stimulus electrode: it injects exactly what an
IClamp whose amp is driven by Vector.play injects, and refuses bad tables and CVODE with a hoc error."""

import numpy as np
import pytest


def two_somas(h):
    """Two identical passive somas, one with a RomStim and one with an IClamp (delay 0, long dur)."""
    somas = []
    for name in ("stim_soma", "iclamp_soma"):
        soma = h.Section(name=name)
        soma.L = soma.diam = 10.0
        soma.insert("pas")
        somas.append(soma)
    electrode = h.RomStim(somas[0](0.5))
    clamp = h.IClamp(somas[1](0.5))
    clamp.delay, clamp.dur, clamp.amp = 0.0, 1e9, 0.0
    return somas, electrode, clamp


@pytest.mark.parametrize("sim_dt", [0.5, 0.125])
def test_injects_what_a_played_iclamp_injects(h, sim_dt):
    dt, n_steps = 0.5, 200
    rng = np.random.default_rng(7)
    samples = rng.uniform(-0.01, 0.02, n_steps)
    # The reduced network's table: sample k from t_k - dt/2 on, sample 0 from finitialize.
    times = h.Vector(np.concatenate([[0.0], (np.arange(1, n_steps) - 0.5) * dt]))
    somas, electrode, clamp = two_somas(h)
    electrode.play(times, h.Vector(samples))
    played = h.Vector(samples)
    played.play(clamp._ref_amp, times, 0)
    records = [h.Vector().record(ref) for ref in (electrode._ref_i, clamp._ref_i, somas[0](0.5)._ref_v,
                                                   somas[1](0.5)._ref_v)]
    h.CVode().active(0)
    h.dt = sim_dt
    for _ in range(2):  # a second finitialize starts the table again
        h.finitialize(-65.0)
        h.continuerun((n_steps - 1) * dt)
        i_stim, i_clamp, v_stim, v_clamp = (np.array(vector) for vector in records)
        assert np.array_equal(i_stim, i_clamp)
        assert np.array_equal(v_stim, v_clamp)
        assert np.array_equal(np.unique(i_stim), np.unique(samples))  # every sample was injected
    played.play_remove()


def test_refuses_a_bad_table(h, capfd):
    somas, electrode, _ = two_somas(h)  # the sections must outlive the electrode's use
    with pytest.raises(RuntimeError):
        electrode.play(h.Vector([0.0, 0.5]), h.Vector([1.0]))
    assert "RomStim: play(times, amplitudes): the two vectors differ in size" in capfd.readouterr().err
    with pytest.raises(RuntimeError):
        electrode.play(h.Vector([0.0, 0.5, 0.25]), h.Vector([1.0, 2.0, 3.0]))
    assert "times must be non-decreasing" in capfd.readouterr().err
    assert electrode.play(h.Vector([0.0, 0.5]), h.Vector([1.0, 2.0])) == 2
    assert len(somas) == 2


def test_refuses_cvode(h, capfd):
    somas, electrode, _ = two_somas(h)
    electrode.play(h.Vector([0.0]), h.Vector([0.01]))
    cvode = h.CVode()
    cvode.active(1)
    try:
        with pytest.raises(RuntimeError):
            h.finitialize(-65.0)
        assert "RomStim: only the fixed-step method is supported" in capfd.readouterr().err
    finally:
        cvode.active(0)
    assert len(somas) == 2
