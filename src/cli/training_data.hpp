// Turning a dataset split into what the trainer and the evaluation need: the
// chosen channels of each sequence in physical units, and the same in model
// units (standardised when asked for).
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "rom/dataset.hpp"
#include "rom/trainer.hpp"

namespace cli {

struct PhysicalSet {
  std::vector<std::string> ids;
  std::vector<Eigen::MatrixXd> inputs;   // T x chosen inputs
  std::vector<Eigen::MatrixXd> targets;  // T x chosen outputs
  bool empty() const { return ids.empty(); }
};

// The split's sequences restricted to the given columns. An empty split is an
// InputError when `required`, else an empty set.
PhysicalSet physical_set(const rom::Dataset& dataset, const std::string& split,
                         const std::vector<int>& input_columns,
                         const std::vector<int>& output_columns, const std::string& label,
                         bool required);

// Per-channel mean and standard deviation over all steps of all sequences; a
// constant channel gets std 1 (it is only shifted).
rom::Standardisation fit_standardisation(const PhysicalSet& set);

// x_model = (x - mean) / std (identity when disabled).
std::vector<rom::Sequence> to_model_units(const PhysicalSet& set,
                                          const rom::Standardisation& standardisation);

}  // namespace cli
