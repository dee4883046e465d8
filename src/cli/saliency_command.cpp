// `neurorom saliency`: input saliency of a weights file on one split of a
// dataset (rom/saliency.hpp): for every output and input, the time-integrated
// gradient of the output summed over the sequence with respect to the input,
// averaged over the split's sequences.
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report_format.hpp"
#include "cli/training_data.hpp"
#include "rom/model_spec.hpp"
#include "rom/saliency.hpp"
#include "rom/weights_io.hpp"

namespace cli {
namespace {

nlohmann::ordered_json matrix_json(const Eigen::MatrixXd& values) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index r = 0; r < values.rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index c = 0; c < values.cols(); ++c) row.push_back(values(r, c));
    rows.push_back(row);
  }
  return rows;
}

void print_matrix(const std::string& title, const Eigen::MatrixXd& values,
                  const rom::TrainedModel& model) {
  std::cout << title << "\n" << std::left << std::setw(10) << "output";
  for (const rom::Channel& c : model.inputs) std::cout << std::setw(12) << c.name;
  std::cout << "\n";
  for (Eigen::Index o = 0; o < values.rows(); ++o) {
    std::cout << std::setw(10) << model.outputs[static_cast<std::size_t>(o)].name;
    for (Eigen::Index i = 0; i < values.cols(); ++i)
      std::cout << std::setw(12) << scientific(values(o, i), 3);
    std::cout << "\n";
  }
}

}  // namespace

int saliency_command(const Args& args) {
  Options options("saliency", "--weights FILE --data DIR [--split S] [--json]",
                  "Input saliency by backpropagation through time. For output o and input i,\n"
                  "G(t) = d(sum over the sequence of y_o) / d x_i(t); per sequence of T steps\n"
                  "gain = sum_t G(t) / T (mean shift of y_o per constant offset of x_i, output\n"
                  "unit per input unit) and strength = sum_t |G(t)| / T; both averaged over the\n"
                  "split's sequences.",
                  {{"weights", "FILE", "weights file (JSON)", ""},
                   {"data", "DIR", "dataset directory", ""},
                   {"split", "S", "train, valid, test or all", "test"},
                   {"json", "", "end with one line of JSON: inputs, outputs, gain, strength", ""}});
  if (!options.parse(args)) {
    std::cout << options.help();
    return 0;
  }
  const std::string weights_file = options.required("weights");
  const std::string data_dir = options.required("data");
  const std::string split = options.text("split", "test");
  const ModelOnSplit loaded = load_model_on_split(weights_file, data_dir, split);
  const rom::TrainedModel& model = loaded.model;
  const PhysicalSet& set = loaded.set;

  const Eigen::Index m = model.model.spec().n_outputs, n = model.model.spec().n_inputs;
  Eigen::MatrixXd gain = Eigen::MatrixXd::Zero(m, n), strength = Eigen::MatrixXd::Zero(m, n);
  for (const Eigen::MatrixXd& X : set.inputs) {
    const rom::Saliency s = rom::sequence_saliency(model, X);
    gain += s.gain;
    strength += s.strength;
  }
  const double count = static_cast<double>(set.inputs.size());
  gain /= count;
  strength /= count;

  const std::string unit = model.outputs.front().unit + "/" + model.inputs.front().unit;
  std::cout << "weights: " << weights_file << " (" << rom::describe(model.model.spec()) << ")\n"
            << "data: " << data_dir << ", split " << split << ": " << set.ids.size()
            << " sequences\n";
  print_matrix("gain (" + unit + "): mean shift of the output per constant input offset", gain,
               model);
  print_matrix("strength (" + unit + "): time integral of |gradient| / T", strength, model);
  if (options.flag("json")) {
    nlohmann::ordered_json report;
    report["weights"] = weights_file;
    report["data"] = data_dir;
    report["split"] = split;
    report["n_sequences"] = set.ids.size();
    report["inputs"] = rom::channels_to_json(model.inputs);
    report["outputs"] = rom::channels_to_json(model.outputs);
    report["gain"] = matrix_json(gain);
    report["strength"] = matrix_json(strength);
    std::cout << report.dump() << "\n";
  }
  return 0;
}

}  // namespace cli
