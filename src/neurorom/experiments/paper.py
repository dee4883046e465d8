"""The numbers Barbulescu et al. (Sci Rep 13, 467, 2023) published: RMSE in volts, means over 10 runs.

Source: ../shared/reference/barbulescu2023.md (their outputs are voltages in V). Keys are table-row labels.
"""

from __future__ import annotations

# label -> (train, valid, test)
EXPERIMENT_1 = {
    "RNN-16": (1.0444e-1, 1.2986e-1, 1.3406e-1),
    "LSTM-8": (9.9371e-3, 3.6109e-2, 1.4904e-2),
    "GRU-8": (7.7912e-3, 3.4760e-2, 1.0005e-2),
    "RNN-64": (6.2831e-2, 8.8764e-2, 9.5476e-2),
    "LSTM-32": (7.6058e-3, 3.6437e-2, 1.5230e-2),
    "GRU-32": (6.7129e-3, 3.5098e-2, 1.2384e-2),
}

EXPERIMENT_2 = {
    "GRU-2": (4.2999e-2, 5.3732e-2, 6.0047e-2),
    "GRU-4": (1.0525e-2, 3.4800e-2, 1.1771e-2),
    "GRU-8": (7.7912e-3, 3.4760e-2, 1.0005e-2),
    "GRU-16": (6.7886e-3, 3.4961e-2, 9.3625e-3),
    "GRU-32": (6.7128e-3, 3.5098e-2, 1.2384e-2),
    "GRU-64": (5.8068e-3, 3.6230e-2, 1.6841e-2),
}

EXPERIMENT_3 = {
    "GRU-4, dt 0.5 ms": EXPERIMENT_2["GRU-4"],
    "GRU-8, dt 0.5 ms": EXPERIMENT_2["GRU-8"],
    "GRU-4, dt 0.1 ms": (1.0878e-2, 3.4554e-2, 1.2107e-2),
    "GRU-8, dt 0.1 ms": (8.1769e-3, 3.5440e-2, 1.0434e-2),
}

UNIT = "V"

EXPERIMENT_4_FINDING = ("Without the AVB inputs the models reproduce LUAL and PVR well and DB1, VB1 poorly; "
                        "without the PLM inputs the opposite. No table was published.")
EXPERIMENT_5_FINDING = "No table was published."
