COMMENT
One half of a symmetric electrical synapse: i = g * (v - vgap).

A junction between cells A and B is two GapJunction instances with the same g, one on each soma;
vgap is not a POINTER but a ParallelContext target_var fed by the other cell's soma source_var, so
the pair works with threads and across MPI ranks. g = unitary conductance x junction count.
Units: mV, uS, nA.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS GapJunction
    RANGE g, vgap, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0 (uS)
}

ASSIGNED {
    v (mV)
    vgap (mV)    : the other cell's soma voltage (ParallelContext target_var)
    i (nA)
}

BREAKPOINT {
    i = g * (v - vgap)
}
