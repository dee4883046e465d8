#include "cli/synthetic_problem.hpp"

#include <cmath>
#include <random>

namespace cli {
namespace {

// Uniform in [0, 1) from the top 53 bits: the same on every platform
// (std::uniform_real_distribution is implementation-defined).
double uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

// One input channel: a pulse or a ramp with a random onset, length and height.
Eigen::VectorXd stimulus(int steps, std::mt19937_64& random) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(steps);
  const int onset = static_cast<int>(uniform(random) * steps * 0.5);
  const int length = 1 + static_cast<int>(uniform(random) * steps * 0.4);
  const double height = 0.5 + 1.5 * uniform(random);
  const bool ramp = uniform(random) < 0.5;
  for (int k = onset; k < std::min(steps, onset + length); ++k) {
    x(k) = ramp ? height * (k - onset + 1) / length : height;
  }
  return x;
}

}  // namespace

rom::Dataset synthetic_problem(const SyntheticProblemSize& size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  rom::Dataset dataset;
  dataset.dt_ms = size.dt_ms;
  dataset.n_steps = size.steps;
  for (int i = 0; i < size.inputs; ++i) dataset.inputs.push_back({"in" + std::to_string(i), "nA"});
  for (int o = 0; o < size.outputs; ++o)
    dataset.outputs.push_back({"out" + std::to_string(o), "mV"});
  // Output o integrates a fixed mix of the inputs with its own time constant.
  Eigen::MatrixXd mix(size.outputs, size.inputs);
  for (int o = 0; o < size.outputs; ++o) {
    for (int i = 0; i < size.inputs; ++i) mix(o, i) = 2.0 * uniform(random) - 1.0;
  }
  const int total = size.train_sequences + size.valid_sequences;
  for (int s = 0; s < total; ++s) {
    rom::DatasetSequence sequence;
    sequence.id = "seq_" + std::to_string(s + 1);
    sequence.file = sequence.id + ".csv";
    sequence.split = s < size.train_sequences ? "train" : "valid";
    sequence.inputs.resize(size.steps, size.inputs);
    for (int i = 0; i < size.inputs; ++i) sequence.inputs.col(i) = stimulus(size.steps, random);
    sequence.outputs.resize(size.steps, size.outputs);
    Eigen::VectorXd state = Eigen::VectorXd::Zero(size.outputs);
    for (int k = 0; k < size.steps; ++k) {
      for (int o = 0; o < size.outputs; ++o) {
        const double tau_ms = 5.0 + 10.0 * o;
        state(o) += size.dt_ms / tau_ms * (mix.row(o).dot(sequence.inputs.row(k)) - state(o));
        sequence.outputs(k, o) = 1.0 / (1.0 + std::exp(-3.0 * state(o)));
      }
    }
    dataset.sequences.push_back(std::move(sequence));
  }
  dataset.provenance = {{"generator", "neurorom bench-train synthetic problem"}, {"seed", seed}};
  return dataset;
}

}  // namespace cli
