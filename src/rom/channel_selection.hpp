// Picking a model's channels out of a dataset by name: for training on a
// subset of channels (--inputs / --outputs) and for evaluating a weights file
// on a dataset that must carry the channels it was trained on.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "rom/dataset.hpp"

namespace rom {

// Column indices of `wanted` among `available`, in the order of `wanted`.
// InputError "<label>: channel X is not among the dataset's <kind> (A, B, ...)".
std::vector<int> select_channels(const std::vector<Channel>& available,
                                 const std::vector<std::string>& wanted, const std::string& kind,
                                 const std::string& label);

// The channels a weights file needs, found in the dataset by name with equal
// units; the time steps must agree too. InputError naming the mismatch.
struct ChannelMatch {
  std::vector<int> input_columns;
  std::vector<int> output_columns;
};
ChannelMatch match_model_to_dataset(const TrainedModel& model, const std::string& weights_label,
                                    const Dataset& dataset, const std::string& data_label);

// The chosen columns of a matrix.
Eigen::MatrixXd take_columns(const Eigen::MatrixXd& values, const std::vector<int>& columns);

// Comma-separated names ("PLML,PLMR") -> list; empty text -> empty list. An
// empty name ("PLML,,PLMR", "PLML,") is an InputError naming `what` (the option).
std::vector<std::string> split_names(const std::string& text, const std::string& what);

}  // namespace rom
