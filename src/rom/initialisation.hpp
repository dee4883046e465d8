// Keras' default initialisation of a recurrent layer and a dense readout, so
// that comparisons with the study (which used Keras) are fair:
// - input weights: Glorot-uniform, limit sqrt(6 / (fan_in + fan_out)) where,
//   as in Keras, the gates of a layer form one kernel: fan_in = inputs,
//   fan_out = gates * hidden;
// - recurrent weights: orthogonal; the gate blocks stacked (gates*hidden x
//   hidden) have orthonormal columns (Keras' recurrent kernel, transposed);
// - biases zero, except the LSTM forget-gate bias, one (unit_forget_bias).
// The random stream and draw order are documented in docs/model.md.
#pragma once

#include <cstdint>

#include "rom/sequence_model.hpp"

namespace rom {

void initialise_keras(SequenceModel& model, std::uint64_t seed);

}  // namespace rom
