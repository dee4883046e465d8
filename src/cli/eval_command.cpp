// `neurorom eval`: the errors of a weights file on one split of a dataset,
// as the study reports them (pooled RMSE) plus per output the RMSE and the
// RMSE over the output's range (NRMSE). Optionally writes the predictions as
// a dataset whose outputs are the model's.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report_format.hpp"
#include "cli/training_data.hpp"
#include "rom/channel_selection.hpp"
#include "rom/dataset.hpp"
#include "rom/evaluation.hpp"
#include "rom/model_spec.hpp"
#include "rom/provenance.hpp"

namespace cli {
namespace {

namespace fs = std::filesystem;

void write_predictions(const fs::path& dir, const rom::Dataset& source, const std::string& split,
                       const rom::TrainedModel& model, const std::vector<int>& input_columns,
                       const std::vector<Eigen::MatrixXd>& predictions,
                       const std::string& weights_file, const std::string& data_dir) {
  rom::Dataset out;
  out.dt_ms = source.dt_ms;
  out.n_steps = source.n_steps;
  out.inputs = model.inputs;
  out.outputs = model.outputs;
  std::size_t k = 0;
  for (const rom::DatasetSequence* s : rom::sequences_in_split(source, split, data_dir)) {
    rom::DatasetSequence p;
    p.id = s->id;
    p.file = s->file;
    p.split = s->split;
    p.inputs = rom::take_columns(s->inputs, input_columns);
    p.outputs = predictions[k++];
    p.stimulus = s->stimulus;
    out.sequences.push_back(std::move(p));
  }
  out.provenance = {{"generator", "neurorom eval --predictions"},
                    {"note", "outputs are the model's predictions, inputs those of the data"},
                    {"weights", weights_file},
                    {"weights_sha256", rom::sha256_of_file(weights_file)},
                    {"data", data_dir},
                    {"data_manifest_sha256", source.manifest_sha256},
                    {"data_sha256", source.data_sha256},
                    {"split", split},
                    {"neurorom_version", rom::program_version()},
                    {"git_commit", rom::git_commit()}};
  rom::write_dataset(dir, out);
}

}  // namespace

int eval_command(const Args& args) {
  Options options(
      "eval", "--weights FILE --data DIR [--split S] [--predictions DIR] [--json]",
      "RMSE of a weights file on one split of a dataset: pooled over all steps,\n"
      "outputs and sequences (as in the study), per output, and per output divided\n"
      "by the output's range over the split (NRMSE; nrmse is their mean). The\n"
      "dataset must hold the weights' channels (by name, same units) at the same dt.",
      {{"weights", "FILE", "weights file (JSON)", ""},
       {"data", "DIR", "dataset directory", ""},
       {"split", "S", "train, valid, test or all", "test"},
       {"predictions", "DIR", "write the predictions as a dataset (same ids and splits)", ""},
       {"json", "", "end with one line of JSON: rmse, nrmse, per_output, ...", ""}});
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
  std::vector<Eigen::MatrixXd> predictions;
  const rom::Evaluation result = rom::evaluate(model, set.inputs, set.targets, &predictions);

  std::cout << "weights: " << weights_file << " (" << rom::describe(model.model.spec()) << ")\n"
            << "data: " << data_dir << ", split " << split << ": " << set.ids.size()
            << " sequences, " << result.steps << " steps\n"
            << "pooled RMSE " << scientific(result.rmse) << ", mean NRMSE "
            << scientific(result.mean_nrmse) << "\n"
            << std::left << std::setw(12) << "output" << std::setw(6) << "unit" << std::setw(12)
            << "RMSE" << std::setw(12) << "range"
            << "NRMSE\n";
  nlohmann::ordered_json per_output;
  for (std::size_t o = 0; o < model.outputs.size(); ++o) {
    const Eigen::Index i = static_cast<Eigen::Index>(o);
    const rom::Channel& c = model.outputs[o];
    std::cout << std::setw(12) << c.name << std::setw(6) << c.unit << std::setw(12)
              << scientific(result.per_output(i)) << std::setw(12) << scientific(result.range(i))
              << scientific(result.nrmse(i)) << "\n";
    per_output[c.name] = {{"unit", c.unit},
                          {"rmse", result.per_output(i)},
                          {"range", result.range(i)},
                          {"nrmse", number_or_null(result.nrmse(i))}};
  }
  const std::string predictions_dir = options.text("predictions");
  if (!predictions_dir.empty()) {
    write_predictions(predictions_dir, loaded.dataset, split, model, loaded.match.input_columns,
                      predictions, weights_file, data_dir);
    std::cout << "predictions: " << predictions_dir << "\n";
  }
  if (options.flag("json")) {
    nlohmann::ordered_json report;
    report["weights"] = weights_file;
    report["data"] = data_dir;
    report["split"] = split;
    report["n_sequences"] = set.ids.size();
    report["n_steps"] = result.steps;
    report["rmse"] = result.rmse;
    report["nrmse"] = number_or_null(result.mean_nrmse);
    report["per_output"] = per_output;
    std::cout << report.dump() << "\n";
  }
  return 0;
}

}  // namespace cli
