// `neurorom-cli bench-train`: time per epoch of our trainer on a GRU-4
// (classic) with 4 inputs, 4 outputs, 20 training and 10 validation sequences
// of 1000 steps, batch 32: the size of the study's problem. `./neurorom bench
// train` runs this and PyTorch on the same data (--write-data) and prints the ratio.
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/synthetic_problem.hpp"
#include "cli/training_data.hpp"
#include "rom/csv.hpp"
#include "rom/model_spec.hpp"
#include "rom/trainer.hpp"

namespace cli {

int bench_train_command(const Args& args) {
  Options options("bench-train", "[--epochs N] [--threads N] [--write-data DIR] [--json]",
                  "Times our trainer on a GRU-4 (classic), 20 train + 10 valid sequences x\n"
                  "1000 steps, 4 inputs, 4 outputs, batch 32 (one Adam step and one\n"
                  "validation pass per epoch). --write-data saves that exact problem as a\n"
                  "dataset so that another trainer can be timed on the same data.",
                  {{"epochs", "N", "epochs to time", "20"},
                   {"threads", "N", "threads", "2"},
                   {"hidden", "N", "GRU units", "4"},
                   {"write-data", "DIR", "write the generated dataset to DIR", ""},
                   {"json", "", "end with one line of JSON (epoch_s, ...)", ""}});
  if (!options.parse(args)) {
    std::cout << options.help();
    return 0;
  }
  const rom::Dataset dataset = synthetic_problem(SyntheticProblemSize{}, 2023);
  if (options.given("write-data")) rom::write_dataset(options.text("write-data"), dataset);

  rom::ModelSpec spec;
  spec.cell = rom::CellType::Gru;
  spec.gru_variant = rom::GruVariant::Classic;
  spec.n_inputs = static_cast<int>(dataset.inputs.size());
  spec.hidden = options.integer("hidden", 4, 1);
  spec.n_outputs = static_cast<int>(dataset.outputs.size());
  rom::TrainOptions train;
  train.epochs = options.integer("epochs", 20, 1);
  train.threads = options.integer("threads", 2, 1);
  train.batch_size = 32;
  train.learning_rate = rom::default_learning_rate(spec.cell);
  const std::vector<int> inputs = {0, 1, 2, 3}, outputs = {0, 1, 2, 3};
  const auto train_set = to_model_units(
      physical_set(dataset, "train", inputs, outputs, "synthetic", true), rom::Standardisation{});
  const auto valid_set = to_model_units(
      physical_set(dataset, "valid", inputs, outputs, "synthetic", true), rom::Standardisation{});

  const auto start = std::chrono::steady_clock::now();
  const rom::TrainResult result = rom::train(spec, train_set, valid_set, train);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double epoch_s = seconds / train.epochs;
  const int parameters = result.best_model.parameter_count();
  std::cout << "ours: " << rom::describe(spec) << " (" << parameters << " parameters), "
            << train_set.size() << " train + " << valid_set.size() << " valid sequences x "
            << dataset.n_steps << " steps, batch 32, " << train.threads
            << " thread(s): " << rom::format_number(epoch_s) << " s per epoch over " << train.epochs
            << " epochs (final valid RMSE " << rom::format_number(result.history.back().valid_rmse)
            << ")\n";
  if (options.flag("json")) {
    nlohmann::ordered_json report;
    report["epoch_s"] = epoch_s;
    report["epochs"] = train.epochs;
    report["threads"] = train.threads;
    report["model"] = rom::describe(spec);
    report["parameters"] = parameters;
    report["train_sequences"] = train_set.size();
    report["valid_sequences"] = valid_set.size();
    report["steps"] = dataset.n_steps;
    report["batch"] = 32;
    report["learning_rate"] = train.learning_rate;
    report["final_valid_rmse"] = result.history.back().valid_rmse;
    std::cout << report.dump() << "\n";
  }
  return 0;
}

}  // namespace cli
