COMMENT
RomClamp: a stiff voltage clamp whose target a reduced model (RomModel) sets.

It drives the soma of an output neuron towards the model's prediction with the
current i = (vtarget - v) / rs, injected like an electrode (ELECTRODE_CURRENT:
positive depolarises). With rs = 1e-3 MOhm the tracking error is of the order
of rs times the membrane current (micro-volts for C. elegans neurons); writing
v directly would not be a physical drive and misbehaves under CVODE. The clamp
current is then the current the replaced network effectively injects.

Units: vtarget mV, rs MOhm, i nA. Before its model first sets it, vtarget
equals v at finitialize, so an unattached clamp injects (almost) nothing.
See docs/mechanism.md.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS RomClamp
    ELECTRODE_CURRENT i
    RANGE vtarget, rs, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
}

PARAMETER {
    rs = 0.001 (megohm) <1e-9, 1e9>
}

ASSIGNED {
    v (mV)
    i (nA)
    vtarget (mV)
}

INITIAL {
    vtarget = v
    i = 0
}

BREAKPOINT {
    i = (vtarget - v) / rs
}
