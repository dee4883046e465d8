// Small helpers shared by the core tests: models with every parameter set
// from a seed, random sequences.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "rom/bptt.hpp"
#include "rom/random.hpp"
#include "rom/sequence_model.hpp"
#include "rom/trainer.hpp"

namespace rom::test {

// Every parameter (biases included, so none hides a wrong gradient) uniform
// in [-scale, scale].
inline void randomise(SequenceModel& model, std::uint64_t seed, double scale = 0.5) {
  Rng rng(seed);
  for (ParamBlock& block : model.blocks()) {
    for (Eigen::Index i = 0; i < block.value.size(); ++i) {
      block.value.data()[i] = rng.uniform(-scale, scale);
    }
  }
}

inline Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed,
                                     double scale = 1.0) {
  Rng rng(seed);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-scale, scale);
  return m;
}

inline Sequence random_sequence(const ModelSpec& spec, int steps, std::uint64_t seed) {
  return {random_matrix(steps, spec.n_inputs, seed),
          random_matrix(steps, spec.n_outputs, seed + 1)};
}

inline ColumnSequence columns(const Sequence& s) { return {s.x.transpose(), s.y.transpose()}; }

}  // namespace rom::test
