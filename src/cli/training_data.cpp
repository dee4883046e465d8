#include "cli/training_data.hpp"

#include <cmath>
#include <filesystem>

#include "rom/weights_io.hpp"

namespace cli {
namespace {

void fit(const std::vector<Eigen::MatrixXd>& sequences, Eigen::VectorXd& mean,
         Eigen::VectorXd& std_dev) {
  const Eigen::Index cols = sequences.front().cols();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(cols);
  double count = 0;
  for (const Eigen::MatrixXd& s : sequences) {
    sum += s.colwise().sum().transpose();
    count += static_cast<double>(s.rows());
  }
  mean = sum / count;
  // Second pass about the mean: exact enough where values sit far from zero (-65 mV).
  Eigen::VectorXd squares = Eigen::VectorXd::Zero(cols);
  for (const Eigen::MatrixXd& s : sequences) {
    squares +=
        (s.rowwise() - mean.transpose()).array().square().matrix().colwise().sum().transpose();
  }
  std_dev = (squares / count).cwiseSqrt();
  for (Eigen::Index c = 0; c < cols; ++c) {
    if (!(std_dev(c) > 0)) std_dev(c) = 1.0;
  }
}

Eigen::MatrixXd standardise(const Eigen::MatrixXd& values, const Eigen::VectorXd& mean,
                            const Eigen::VectorXd& std_dev) {
  return ((values.rowwise() - mean.transpose()).array().rowwise() / std_dev.transpose().array())
      .matrix();
}

}  // namespace

PhysicalSet physical_set(const rom::Dataset& dataset, const std::string& split,
                         const std::vector<int>& input_columns,
                         const std::vector<int>& output_columns, const std::string& label,
                         bool required) {
  PhysicalSet set;
  bool any = false;
  for (const rom::DatasetSequence& s : dataset.sequences) {
    any = any || split == "all" || s.split == split;
  }
  if (!any && !required) return set;
  for (const rom::DatasetSequence* s : rom::sequences_in_split(dataset, split, label)) {
    set.ids.push_back(s->id);
    set.inputs.push_back(rom::take_columns(s->inputs, input_columns));
    set.targets.push_back(rom::take_columns(s->outputs, output_columns));
  }
  return set;
}

rom::Standardisation fit_standardisation(const PhysicalSet& set) {
  rom::Standardisation s;
  s.enabled = true;
  fit(set.inputs, s.input_mean, s.input_std);
  fit(set.targets, s.output_mean, s.output_std);
  return s;
}

std::vector<rom::Sequence> to_model_units(const PhysicalSet& set,
                                          const rom::Standardisation& standardisation) {
  std::vector<rom::Sequence> sequences;
  for (std::size_t i = 0; i < set.ids.size(); ++i) {
    if (standardisation.enabled) {
      sequences.push_back(
          {standardise(set.inputs[i], standardisation.input_mean, standardisation.input_std),
           standardise(set.targets[i], standardisation.output_mean, standardisation.output_std)});
    } else {
      sequences.push_back({set.inputs[i], set.targets[i]});
    }
  }
  return sequences;
}

ModelOnSplit load_model_on_split(const std::string& weights_file, const std::string& data_dir,
                                 const std::string& split) {
  ModelOnSplit loaded{rom::load_weights(weights_file), rom::read_dataset(data_dir), {}, {}};
  const std::string manifest = (std::filesystem::path(data_dir) / "manifest.json").string();
  loaded.match = rom::match_model_to_dataset(loaded.model, weights_file, loaded.dataset, manifest);
  loaded.set = physical_set(loaded.dataset, split, loaded.match.input_columns,
                            loaded.match.output_columns, manifest, true);
  return loaded;
}

}  // namespace cli
