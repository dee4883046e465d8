#include "rom/channel_selection.hpp"

#include <cmath>
#include <set>

#include "rom/csv.hpp"
#include "rom/errors.hpp"

namespace rom {
namespace {

std::string list_names(const std::vector<Channel>& channels) {
  std::string names;
  for (const Channel& c : channels) names += (names.empty() ? "" : ", ") + c.name;
  return names;
}

}  // namespace

std::vector<int> select_channels(const std::vector<Channel>& available,
                                 const std::vector<std::string>& wanted, const std::string& kind,
                                 const std::string& label) {
  std::vector<int> columns;
  std::set<std::string> seen;
  for (const std::string& name : wanted) {
    const int column = find_channel(available, name);
    if (column < 0) {
      throw InputError(label + ": channel " + name + " is not among the dataset's " + kind + " (" +
                       list_names(available) + ")");
    }
    if (!seen.insert(name).second) throw InputError(label + ": channel " + name + " given twice");
    columns.push_back(column);
  }
  return columns;
}

ChannelMatch match_model_to_dataset(const TrainedModel& model, const std::string& weights_label,
                                    const Dataset& dataset, const std::string& data_label) {
  // Time steps: the recurrent model is only meaningful at the dt it learnt.
  if (std::abs(model.dt_ms - dataset.dt_ms) > 1e-9 * model.dt_ms) {
    throw InputError(data_label + ": dt_ms " + format_number(dataset.dt_ms) + " but " +
                     weights_label + " was trained at dt_ms " + format_number(model.dt_ms));
  }
  auto match = [&](const std::vector<Channel>& needed, const std::vector<Channel>& available,
                   const std::string& kind) {
    std::vector<int> columns;
    for (const Channel& channel : needed) {
      const int column = find_channel(available, channel.name);
      if (column < 0) {
        throw InputError(data_label + ": " + weights_label + " needs " + kind + " " + channel.name +
                         ", which the dataset lacks (it has " + list_names(available) + ")");
      }
      const std::string& unit = available[static_cast<std::size_t>(column)].unit;
      if (unit != channel.unit) {
        throw InputError(data_label + ": " + kind + " " + channel.name + " is in " + unit +
                         " but " + weights_label + " expects " + channel.unit);
      }
      columns.push_back(column);
    }
    return columns;
  };
  return {match(model.inputs, dataset.inputs, "input"),
          match(model.outputs, dataset.outputs, "output")};
}

Eigen::MatrixXd take_columns(const Eigen::MatrixXd& values, const std::vector<int>& columns) {
  Eigen::MatrixXd taken(values.rows(), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) {
    taken.col(static_cast<Eigen::Index>(j)) = values.col(columns[j]);
  }
  return taken;
}

std::vector<std::string> split_names(const std::string& text, const std::string& what) {
  std::vector<std::string> names;
  if (text.empty()) return names;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma - start);
    if (name.empty()) {
      throw InputError(what + ": empty channel name (name " + std::to_string(names.size() + 1) +
                       ") in '" + text + "'");
    }
    names.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

}  // namespace rom
