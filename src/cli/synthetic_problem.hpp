// A generated problem the size of the study's (for bench-train): pulse and
// ramp inputs drive leaky integrators whose sigmoid is the output, so a
// recurrent model has something real to learn. Deterministic for a seed.
#pragma once

#include <cstdint>

#include "rom/dataset.hpp"

namespace cli {

struct SyntheticProblemSize {
  int train_sequences = 20;
  int valid_sequences = 10;
  int steps = 1000;
  int inputs = 4;
  int outputs = 4;
  double dt_ms = 0.5;
};

rom::Dataset synthetic_problem(const SyntheticProblemSize& size, std::uint64_t seed);

}  // namespace cli
