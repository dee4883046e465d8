"""neurorom: reduced-order recurrent models of detailed NEURON networks, run back inside NEURON."""

from neurorom.errors import InputError

__all__ = ["InputError"]
