// Turning a dataset split into what the trainer and the evaluation need: the
// chosen channels of each sequence in physical units, and the same in model
// units (standardised when asked for); and a weights file together with the
// split it is evaluated on.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "rom/channel_selection.hpp"
#include "rom/dataset.hpp"
#include "rom/trained_model.hpp"
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

// A loaded weights file, the dataset it is applied to, the dataset's columns
// holding the model's channels, and the split's sequences restricted to them.
struct ModelOnSplit {
  rom::TrainedModel model;
  rom::Dataset dataset;
  rom::ChannelMatch match;
  PhysicalSet set;
};

// Loads both files and matches the channels (by name and unit) and the dt;
// InputError naming the file and the mismatch, or an empty split.
ModelOnSplit load_model_on_split(const std::string& weights_file, const std::string& data_dir,
                                 const std::string& split);

}  // namespace cli
