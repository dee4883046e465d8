COMMENT
Graded (non-spiking) chemical synapse, one per connection, conductance = synapse count x unitary.

The activation s relaxes with first-order kinetics toward a smooth sigmoid of the presynaptic
voltage:  ds/dt = (sinf(vpre) - s) / tau,  sinf = 1 / (1 + exp((vth - vpre) / delta)).
Current: i = gmax * s * (v - e). The sign comes from e (excitatory ~0 mV, inhibitory below rest).
vpre is not a POINTER: it is a ParallelContext target_var, set from the presynaptic soma's
source_var, so the network runs with threads and across MPI ranks.
Units: mV, ms, uS, nA.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS GradedSyn
    RANGE gmax, e, vth, delta, tau, vpre, g, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
    (uS) = (microsiemens)
}

PARAMETER {
    gmax = 0 (uS)            : unitary conductance x synapse count
    e = 0 (mV)               : reversal potential
    vth = -35 (mV)           : presynaptic voltage of half activation
    delta = 5 (mV)           : slope of the sigmoid
    tau = 10 (ms) <1e-6, 1e9>: activation time constant
}

ASSIGNED {
    v (mV)
    vpre (mV)                : presynaptic soma voltage (ParallelContext target_var)
    g (uS)
    i (nA)
}

STATE {
    s
}

INITIAL {
    s = sinf(vpre)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gmax * s
    i = g * (v - e)
}

DERIVATIVE states {
    s' = (sinf(vpre) - s) / tau
}

FUNCTION sinf(vp (mV)) {
    LOCAL x
    x = (vth - vp) / delta
    if (x > 700) {
        sinf = 0   : exp would overflow; the limit is 0
    } else {
        sinf = 1 / (1 + exp(x))
    }
}
