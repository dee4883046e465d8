// `neurorom train`: trains a recurrent model on a dataset R times (seeds
// S..S+R-1), reports the train / validation / test RMSE of every run and their
// mean, standard deviation and minimum, and writes the weights of the run that
// is best on validation.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report_format.hpp"
#include "cli/training_data.hpp"
#include "rom/channel_selection.hpp"
#include "rom/csv.hpp"
#include "rom/dataset.hpp"
#include "rom/errors.hpp"
#include "rom/evaluation.hpp"
#include "rom/json_util.hpp"
#include "rom/model_spec.hpp"
#include "rom/provenance.hpp"
#include "rom/trainer.hpp"
#include "rom/weights_io.hpp"

namespace cli {
namespace {

using rom::InputError;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct RunResult {
  int run;  // 1-based
  std::uint64_t seed;
  int best_epoch;
  double train_rmse, valid_rmse, test_rmse;  // physical units; test NaN without a test split
  double seconds;
  std::vector<rom::EpochRecord> history;
};

struct Summary {
  double mean, std_dev, min;
};

// Sample standard deviation (n - 1); 0 for a single run. NaN entries (no test
// split) give NaN.
Summary summarise(const std::vector<RunResult>& runs, double RunResult::*field) {
  Summary s{0.0, 0.0, std::numeric_limits<double>::infinity()};
  for (const RunResult& r : runs) {
    s.mean += r.*field;
    s.min = std::min(s.min, r.*field);
  }
  const double n = static_cast<double>(runs.size());
  s.mean /= n;
  for (const RunResult& r : runs) s.std_dev += (r.*field - s.mean) * (r.*field - s.mean);
  s.std_dev = runs.size() > 1 ? std::sqrt(s.std_dev / (n - 1)) : 0.0;
  if (std::isnan(s.mean)) s.min = s.std_dev = kNaN;
  return s;
}

std::string output_unit(const std::vector<rom::Channel>& outputs) {
  for (const rom::Channel& c : outputs) {
    if (c.unit != outputs.front().unit) return "output units";
  }
  return outputs.front().unit;
}

nlohmann::ordered_json run_json(const RunResult& r) {
  return {{"run", r.run},
          {"seed", r.seed},
          {"best_epoch", r.best_epoch},
          {"train_rmse", number_or_null(r.train_rmse)},
          {"valid_rmse", number_or_null(r.valid_rmse)},
          {"test_rmse", number_or_null(r.test_rmse)}};
}

nlohmann::ordered_json summary_json(const std::vector<RunResult>& runs) {
  nlohmann::ordered_json out;
  for (const auto& [name, field] : {std::pair{"train_rmse", &RunResult::train_rmse},
                                    std::pair{"valid_rmse", &RunResult::valid_rmse},
                                    std::pair{"test_rmse", &RunResult::test_rmse}}) {
    const Summary s = summarise(runs, field);
    out[name] = {{"mean", number_or_null(s.mean)},
                 {"std", number_or_null(s.std_dev)},
                 {"min", number_or_null(s.min)}};
  }
  return out;
}

void write_history(const std::string& file, const std::vector<RunResult>& runs) {
  std::size_t rows = 0;
  for (const RunResult& r : runs) rows += r.history.size();
  Eigen::MatrixXd table(static_cast<Eigen::Index>(rows), 5);
  Eigen::Index row = 0;
  for (const RunResult& r : runs) {
    for (const rom::EpochRecord& e : r.history) {
      table.row(row++) << r.run, static_cast<double>(r.seed), e.epoch, e.train_rmse, e.valid_rmse;
    }
  }
  rom::write_csv(file, {"run", "seed", "epoch", "train_rmse", "valid_rmse"}, table);
}

// Fails before hours of training rather than after, when an output cannot be written.
void require_writable_directory(const std::string& file, const std::string& option) {
  const std::filesystem::path parent =
      std::filesystem::absolute(std::filesystem::path(file)).parent_path();
  if (!std::filesystem::is_directory(parent) || ::access(parent.c_str(), W_OK) != 0) {
    throw InputError("--" + option + ": " + file + ": directory " + parent.string() +
                     " does not exist or is not writable");
  }
}

Options train_options() {
  return Options(
      "train", "--data DIR --out WEIGHTS.json [options]",
      "Trains one recurrent layer + dense readout with BPTT and Adam on the MSE of the\n"
      "dataset's train split, keeping the epoch with the best validation RMSE. With\n"
      "--runs R it trains R times with seeds S..S+R-1, reports the mean, standard\n"
      "deviation (n-1) and minimum of the train / valid / test RMSE (physical units,\n"
      "pooled over steps, outputs and sequences) and writes the run best on validation.",
      {{"data", "DIR", "dataset directory (manifest.json + CSVs)", ""},
       {"out", "FILE", "weights file to write (JSON)", ""},
       {"cell", "rnn|lstm|gru", "recurrent cell", "gru"},
       {"variant", "classic|reset_after", "GRU form", "classic"},
       {"hidden", "N", "recurrent units", "8"},
       {"epochs", "N", "epochs", "1000"},
       {"batch", "N", "sequences per mini-batch", "32"},
       {"lr", "X", "Adam learning rate", "0.001 for rnn, 0.05 for lstm and gru"},
       {"truncate", "N", "truncated BPTT length in steps; 0 = whole sequences", "0"},
       {"clip", "X", "clip the global gradient norm to X; 0 = off", "0"},
       {"standardise", "", "standardise each channel with the train split's mean and std", ""},
       {"inputs", "A,B,..", "train on these input channels only", "all"},
       {"outputs", "A,B,..", "train on these output channels only", "all"},
       {"seed", "S", "seed of the first run", "1"},
       {"runs", "R", "independent runs with seeds S..S+R-1", "1"},
       {"threads", "N", "threads (results are identical for any N)", "2"},
       {"history", "FILE", "write the loss history (CSV: run,seed,epoch,train_rmse,valid_rmse)",
        ""},
       {"json", "", "end with one line of JSON: runs, mean/std/min, best run", ""}});
}

}  // namespace

int train_command(const Args& args) {
  Options options = train_options();
  if (!options.parse(args)) {
    std::cout << options.help();
    return 0;
  }
  const std::string data_dir = options.required("data");
  const std::string out_file = options.required("out");
  rom::ModelSpec spec;
  spec.cell = rom::parse_cell_type(options.text("cell", "gru"));
  spec.gru_variant = rom::parse_gru_variant(options.text("variant", "classic"));
  if (options.given("variant") && spec.cell != rom::CellType::Gru) {
    throw InputError("--variant: only for --cell gru");
  }
  spec.hidden = options.integer("hidden", 8, 1);
  rom::TrainOptions train;
  train.epochs = options.integer("epochs", 1000, 1);
  train.batch_size = options.integer("batch", 32, 1);
  train.learning_rate = options.number("lr", rom::default_learning_rate(spec.cell), 0.0);
  if (!(train.learning_rate > 0)) throw InputError("--lr: must be positive");
  train.truncation = options.integer("truncate", 0, 0);
  train.clip_norm = options.number("clip", 0.0, 0.0);
  train.threads = options.integer("threads", 2, 1);
  train.progress = ::isatty(STDERR_FILENO) == 1;
  const int first_seed = options.integer("seed", 1, 0);
  const int runs = options.integer("runs", 1, 1);
  const bool json = options.flag("json");
  require_writable_directory(out_file, "out");
  if (options.given("history")) require_writable_directory(options.text("history"), "history");

  const rom::Dataset dataset = rom::read_dataset(data_dir);
  const std::string manifest = (std::filesystem::path(data_dir) / "manifest.json").string();
  std::vector<std::string> input_names = rom::split_names(options.text("inputs"), "--inputs");
  std::vector<std::string> output_names = rom::split_names(options.text("outputs"), "--outputs");
  for (const auto& [option, names] :
       {std::pair{"inputs", &input_names}, {"outputs", &output_names}}) {
    if (options.given(option) && names->empty()) {
      throw InputError("--" + std::string(option) + ": no channel names in '" +
                       options.text(option) + "'");
    }
  }
  if (input_names.empty()) {
    for (const rom::Channel& c : dataset.inputs) input_names.push_back(c.name);
  }
  if (output_names.empty()) {
    for (const rom::Channel& c : dataset.outputs) output_names.push_back(c.name);
  }
  const auto input_columns = rom::select_channels(dataset.inputs, input_names, "inputs", manifest);
  const auto output_columns =
      rom::select_channels(dataset.outputs, output_names, "outputs", manifest);
  spec.n_inputs = static_cast<int>(input_columns.size());
  spec.n_outputs = static_cast<int>(output_columns.size());

  const PhysicalSet train_set =
      physical_set(dataset, "train", input_columns, output_columns, manifest, true);
  const PhysicalSet valid_set =
      physical_set(dataset, "valid", input_columns, output_columns, manifest, true);
  const PhysicalSet test_set =
      physical_set(dataset, "test", input_columns, output_columns, manifest, false);
  const rom::Standardisation standardisation =
      options.flag("standardise") ? fit_standardisation(train_set) : rom::Standardisation{};
  const auto train_model_units = to_model_units(train_set, standardisation);
  const auto valid_model_units = to_model_units(valid_set, standardisation);

  rom::TrainedModel trained{rom::SequenceModel(spec), {}, {}, dataset.dt_ms, standardisation,
                            nlohmann::json::object()};
  for (int c : input_columns) trained.inputs.push_back(dataset.inputs[c]);
  for (int c : output_columns) trained.outputs.push_back(dataset.outputs[c]);
  const std::string unit = output_unit(trained.outputs);

  std::cout << "data: " << data_dir << ": " << train_set.ids.size() << " train, "
            << valid_set.ids.size() << " valid, " << test_set.ids.size() << " test sequences x "
            << dataset.n_steps << " steps, dt " << rom::format_number(dataset.dt_ms) << " ms\n"
            << "model: " << rom::describe(spec) << ", " << trained.model.parameter_count()
            << " parameters\n"
            << "training: " << train.epochs << " epochs, batch " << train.batch_size << ", lr "
            << rom::format_number(train.learning_rate) << ", "
            << (train.truncation
                    ? "BPTT truncated to " + std::to_string(train.truncation) + " steps"
                    : std::string("whole-sequence BPTT"))
            << ", "
            << (train.clip_norm > 0 ? "clip " + rom::format_number(train.clip_norm) : "no clipping")
            << ", " << (standardisation.enabled ? "standardised" : "no standardisation") << ", "
            << train.threads << " thread(s)\n"
            << "run  seed  best_epoch  train_rmse  valid_rmse  test_rmse  seconds   (RMSE in "
            << unit << ")\n"
            << std::flush;

  std::vector<RunResult> results;
  std::size_t best = 0;
  rom::SequenceModel best_model(spec);
  for (int run = 0; run < runs; ++run) {
    train.seed = static_cast<std::uint64_t>(first_seed) + static_cast<std::uint64_t>(run);
    const auto start = std::chrono::steady_clock::now();
    rom::TrainResult result = rom::train(spec, train_model_units, valid_model_units, train);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    trained.model = result.best_model;
    RunResult r{run + 1,
                train.seed,
                result.best_epoch,
                evaluate(trained, train_set.inputs, train_set.targets).rmse,
                evaluate(trained, valid_set.inputs, valid_set.targets).rmse,
                test_set.empty() ? kNaN : evaluate(trained, test_set.inputs, test_set.targets).rmse,
                seconds,
                std::move(result.history)};
    std::cout << std::left << std::setw(5) << r.run << std::setw(6) << r.seed << std::setw(12)
              << r.best_epoch << std::setw(12) << scientific(r.train_rmse) << std::setw(12)
              << scientific(r.valid_rmse) << std::setw(11) << scientific(r.test_rmse) << std::fixed
              << std::setprecision(1) << seconds << std::defaultfloat << "\n"
              << std::flush;
    // Strictly better only, so ties keep the earlier (smaller) seed.
    if (results.empty() || r.valid_rmse < results[best].valid_rmse) {
      best = results.size();
      best_model = trained.model;
    }
    results.push_back(std::move(r));
  }
  const RunResult& winner = results[best];
  trained.model = best_model;

  nlohmann::json hyperparameters = {{"cell", rom::to_string(spec.cell)},
                                    {"hidden", spec.hidden},
                                    {"epochs", train.epochs},
                                    {"batch_size", train.batch_size},
                                    {"learning_rate", train.learning_rate},
                                    {"truncation", train.truncation},
                                    {"clip_norm", train.clip_norm},
                                    {"standardise", standardisation.enabled},
                                    {"inputs", input_names},
                                    {"outputs", output_names},
                                    {"runs", runs},
                                    {"first_seed", first_seed},
                                    {"optimiser", "Adam beta1 0.9 beta2 0.999 eps 1e-7, MSE loss"}};
  if (spec.cell == rom::CellType::Gru)
    hyperparameters["gru_variant"] = rom::to_string(spec.gru_variant);
  nlohmann::json runs_json = nlohmann::json::array();
  for (const RunResult& r : results) runs_json.push_back(nlohmann::json::parse(run_json(r).dump()));
  trained.provenance = {
      {"generator", "neurorom train"},
      {"neurorom_version", rom::program_version()},
      {"git_commit", rom::git_commit()},
      {"dataset",
       {{"path", data_dir},
        {"manifest_sha256", dataset.manifest_sha256},
        {"data_sha256", dataset.data_sha256},
        {"provenance", dataset.provenance}}},
      {"hyperparameters", hyperparameters},
      {"seed", winner.seed},
      {"best_epoch", winner.best_epoch},
      {"losses",
       {{"unit", unit},
        {"train_rmse", winner.train_rmse},
        {"valid_rmse", winner.valid_rmse},
        {"test_rmse", std::isnan(winner.test_rmse) ? nlohmann::json(nullptr)
                                                   : nlohmann::json(winner.test_rmse)}}},
      {"runs", runs_json},
      {"summary", nlohmann::json::parse(summary_json(results).dump())}};
  rom::save_weights(out_file, trained);
  const std::string history_file = options.text("history");
  if (!history_file.empty()) write_history(history_file, results);

  std::cout << "RMSE (" << unit << ")  mean        std         min         best run\n";
  for (const auto& [name, field] :
       {std::pair{"train", &RunResult::train_rmse}, std::pair{"valid", &RunResult::valid_rmse},
        std::pair{"test ", &RunResult::test_rmse}}) {
    const Summary s = summarise(results, field);
    std::cout << name << std::string(unit.size() + 3, ' ') << std::left << std::setw(12)
              << scientific(s.mean) << std::setw(12) << scientific(s.std_dev) << std::setw(12)
              << scientific(s.min) << scientific(winner.*field) << "\n";
  }
  std::cout << "best on validation: run " << winner.run << " (seed " << winner.seed << ", epoch "
            << winner.best_epoch << "); wrote " << out_file << "\n";
  if (!history_file.empty()) std::cout << "loss history: " << history_file << "\n";
  if (json) {
    nlohmann::ordered_json report;
    report["weights"] = out_file;
    report["unit"] = unit;
    report["best_run"] = run_json(winner);
    report["summary"] = summary_json(results);
    report["runs"] = nlohmann::ordered_json::array();
    for (const RunResult& r : results) report["runs"].push_back(run_json(r));
    std::cout << report.dump() << "\n";
  }
  return 0;
}

}  // namespace cli
